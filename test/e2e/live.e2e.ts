// The packed node in a real n8n serving active workflows (`n8n start`), read over HTTP as a
// caller would: a Webhook in Streaming response mode → Coze Run, and n8n's Chat Trigger in
// streaming mode → Coze Chat, → Bot Chat, and → the bot example, whose tool call n8n answers.
import { LIVE_PATHS, liveWorkflows } from '../sandbox/live-workflows';
import { SANDBOX_BOTS } from '../sandbox/sandbox-bots';
import { defineSandboxWorkflows } from '../sandbox/sandbox-workflows';
import { postAndReadChunks, startLiveN8n, type LiveN8n, type StreamedChunk } from '../n8n/live-n8n';
import { CozeSimulator } from '../simulator/server';
import { ServerStream } from '../simulator/shapes';
import { stopSimulator } from '../simulator/stop';
import { DEBUG_URL, numbered } from '../simulator/workflows';

const GATED_WORKFLOW_ID = '7404830425073352720';
const CHATFLOW_ID = '7404830425073352721';
const GATED_BOT_ID = '7404830425073352722';
/** How long the simulator holds the rest of the run for the client's first chunk, at most. */
const GATE_TIMEOUT_MS = 30_000;

let sim: CozeSimulator;
let n8n: LiveN8n;
/** Opened by the test when its client has read the first chunk. */
let openGate: () => void = () => {};
let gateTimedOut = false;

/**
 * A causal check, as a stream's onWrite: nothing after write `atWrite` is sent until the caller
 * has read it (openGate). Anything that buffers (the node, n8n, compression) leaves the gate shut.
 */
const gateAfterWrite = (atWrite: number) => async (writeIndex: number) => {
	if (writeIndex !== atWrite) return;
	await new Promise<void>((resolve) => {
		const timer = setTimeout(() => {
			gateTimedOut = true;
			resolve();
		}, GATE_TIMEOUT_MS);
		openGate = () => {
			clearTimeout(timer);
			resolve();
		};
	});
};

beforeAll(async () => {
	sim = await CozeSimulator.start({ flavour: 'cloud' });
	// The sandbox's workflows and bots: the bot example talks to its weather_bot.
	defineSandboxWorkflows(sim);
	sim.defineWorkflow(GATED_WORKFLOW_ID, {
		run: () => ({
			stream: numbered(
				new ServerStream('cloud')
					.message({ title: 'Out', id: '100001', type: 'Message' }, ['first ', 'second'])
					.message({ title: 'End', id: '900001', type: 'End' }, ['{"output":"done"}'])
					.done(DEBUG_URL).events,
			),
			shape: { onWrite: gateAfterWrite(0) },
		}),
	});
	sim.defineWorkflow(CHATFLOW_ID, {
		chat: (turn) => ({
			answers: [[`Turn ${turn.history.length / 2 + 1}: `, 'you said ', turn.message]],
		}),
	});
	sim.bots.define(GATED_BOT_ID, {
		chat: (turn) => ({
			answers: [['first ', 'second ', `(turn ${turn.history.length / 2 + 1})`]],
			// Writes 0 and 1 are chat.created and chat.in_progress; write 2 is the first delta.
			shape: { onWrite: gateAfterWrite(2) },
		}),
	});
	const { workflows, webhookPaths } = liveWorkflows(
		['runStreaming', 'chatflowChat', 'botChat', 'toolCallsExample'],
		{ chatflowId: CHATFLOW_ID, botId: GATED_BOT_ID },
	);
	n8n = await startLiveN8n(sim, workflows, webhookPaths);
}, 20 * 60_000);

afterAll(async () => {
	await n8n?.stop();
	if (sim) await stopSimulator(sim);
});

/** The text one node streamed. */
const textOf = (chunks: StreamedChunk[], nodeName = 'Coze') =>
	chunks
		.filter((chunk) => chunk.type === 'item' && chunk.metadata?.nodeName === nodeName)
		.map((chunk) => chunk.content)
		.join('');

/** The kinds of chunk one node streamed, in order. */
const typesOf = (chunks: StreamedChunk[], nodeName = 'Coze') =>
	chunks.filter((chunk) => chunk.metadata?.nodeName === nodeName).map((chunk) => chunk.type);

/** The conversation_id in the query of each request to `path`. */
const conversationsOf = (path: string) =>
	sim.requests
		.filter((request) => request.path === path)
		.map((request) => new URLSearchParams(request.query).get('conversation_id'));

describe('live streaming in a real n8n (n8n start)', () => {
	it('streams a Coze run into a streaming Webhook as it happens: the rest of the run waits for the caller to read the first chunk', async () => {
		gateTimedOut = false;
		const chunks = await postAndReadChunks(
			`${n8n.base}/webhook/${LIVE_PATHS.streaming}`,
			{ workflow_id: GATED_WORKFLOW_ID },
			(chunk) => {
				if (chunk.type === 'item' && chunk.content?.includes('first')) openGate();
			},
		);
		expect(gateTimedOut).toBe(false);
		expect(textOf(chunks)).toBe('first second\n\ndone');
		const types = typesOf(chunks);
		expect([types[0], types[types.length - 1]]).toEqual(['begin', 'end']);
	});

	it('chats through the Chat Trigger in streaming mode: two turns of a session share one conversation, a new session gets its own', async () => {
		const say = (sessionId: string, chatInput: string) =>
			postAndReadChunks(`${n8n.base}/webhook/${LIVE_PATHS.chatWebhookId}/chat`, {
				action: 'sendMessage',
				sessionId,
				chatInput,
			});
		expect(textOf(await say('session-1', 'hello'))).toBe('Turn 1: you said hello');
		expect(textOf(await say('session-1', 'again'))).toBe('Turn 2: you said again');
		expect(textOf(await say('session-2', 'hi'))).toBe('Turn 1: you said hi');
		const conversations = sim.bodiesOf('/v1/workflows/chat').map((body) => body.conversation_id);
		expect(conversations).toHaveLength(3);
		expect(conversations[1]).toBe(conversations[0]);
		expect(conversations[2]).not.toBe(conversations[0]);
		expect(JSON.stringify(sim.bodiesOf('/v1/workflows/chat'))).toContain(
			'"additional_messages":[{"role":"user","content":"again","content_type":"text"}]',
		);
	});

	it("chats with a bot through the Chat Trigger in streaming mode: its answer streams (the rest waits for the caller to read the first piece), and a session's next message talks in the same Coze conversation", async () => {
		const say = async (sessionId: string, chatInput: string) => {
			gateTimedOut = false;
			const chunks = await postAndReadChunks(
				`${n8n.base}/webhook/${LIVE_PATHS.botChatWebhookId}/chat`,
				{ action: 'sendMessage', sessionId, chatInput },
				(chunk) => {
					if (chunk.type === 'item' && chunk.content?.includes('first')) openGate();
				},
			);
			expect(gateTimedOut).toBe(false);
			return chunks;
		};
		const first = await say('bot-session-1', 'hello');
		expect(textOf(first)).toBe('first second (turn 1)');
		const types = typesOf(first);
		expect([types[0], types[types.length - 1]]).toEqual(['begin', 'end']);
		expect(types.filter((type) => type === 'item').length).toBeGreaterThanOrEqual(3);
		expect(textOf(await say('bot-session-1', 'again'))).toBe('first second (turn 2)');
		expect(textOf(await say('bot-session-2', 'hi'))).toBe('first second (turn 1)');
		const bodies = sim.bodiesOf('/v3/chat');
		expect(bodies.map((body) => [body.bot_id, body.stream])).toEqual([
			[GATED_BOT_ID, true],
			[GATED_BOT_ID, true],
			[GATED_BOT_ID, true],
		]);
		const conversations = conversationsOf('/v3/chat');
		expect(conversations[0]).toMatch(/^\d+$/);
		expect(conversations[1]).toBe(conversations[0]);
		expect(conversations[2]).not.toBe(conversations[0]);
	});

	it("runs the bot example: weather_bot's get_weather call leaves by Interrupts, Edit Fields answers it, Submit Tool Outputs streams the bot's answer into the chat; the session's next message goes on in that conversation", async () => {
		const say = (chatInput: string) =>
			postAndReadChunks(`${n8n.base}/webhook/${LIVE_PATHS.toolCallsWebhookId}/chat`, {
				action: 'sendMessage',
				sessionId: 'weather-session',
				chatInput,
			});
		const chatsBefore = sim.bodiesOf('/v3/chat').length;
		const chunks = await say("What's the weather in Suzhou?");
		const [chat] = sim.bodiesOf('/v3/chat').slice(chatsBefore);
		expect(chat).toMatchObject({ bot_id: SANDBOX_BOTS.weather, stream: true });
		// The call went out of the bot's chat by Interrupts, to Edit Fields, which answered it from its args.
		const submits = sim.requests.filter(
			(request) => request.path === '/v3/chat/submit_tool_outputs',
		);
		expect(submits).toHaveLength(1);
		const submitted = JSON.parse(submits[0].body!) as {
			tool_outputs: Array<{ tool_call_id: string; output: string }>;
		};
		expect(submitted.tool_outputs).toHaveLength(1);
		expect(submitted.tool_outputs[0].tool_call_id).toMatch(/^call_\d+$/);
		expect(JSON.parse(submitted.tool_outputs[0].output)).toEqual({
			city: 'Suzhou',
			weather: 'sunny',
			temperature_c: 24,
		});
		// The chat saw only the bot's final answer, streamed in pieces by Submit Tool Outputs.
		expect(typesOf(chunks, 'Coze: weather_bot')).toEqual([]);
		expect(textOf(chunks, 'Coze: submit tool outputs')).toBe(
			"Your n8n workflow's get_weather says: Suzhou is sunny, 24°C. Enjoy your day! 祝你愉快！",
		);
		const types = typesOf(chunks, 'Coze: submit tool outputs');
		expect([types[0], types[types.length - 1]]).toEqual(['begin', 'end']);
		expect(types.filter((type) => type === 'item').length).toBeGreaterThan(5);

		const next = await say('hello');
		expect(textOf(next, 'Coze: weather_bot')).toContain('Ask me about the weather in a city');
		expect(typesOf(next, 'Coze: submit tool outputs')).toEqual([]);
		const submitConversation = new URLSearchParams(submits[0].query).get('conversation_id');
		expect(conversationsOf('/v3/chat').slice(-1)).toEqual([submitConversation]);
	});
});
