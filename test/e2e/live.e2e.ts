// The packed node in a real n8n serving active workflows (`n8n start`), read over HTTP as a
// caller would: a Webhook in Streaming response mode → Coze Run, and n8n's Chat Trigger in
// streaming mode → Coze Chat.
import { LIVE_PATHS, LIVE_WEBHOOK_PATHS, liveWorkflows } from '../sandbox/live-workflows';
import { postAndReadChunks, startLiveN8n, type LiveN8n, type StreamedChunk } from '../n8n/live-n8n';
import { CozeSimulator } from '../simulator/server';
import { ServerStream } from '../simulator/shapes';
import { stopSimulator } from '../simulator/stop';
import { DEBUG_URL, numbered } from '../simulator/workflows';

const GATED_WORKFLOW_ID = '7404830425073352720';
const CHATFLOW_ID = '7404830425073352721';
/** How long the simulator holds the rest of the run for the client's first chunk, at most. */
const GATE_TIMEOUT_MS = 30_000;

let sim: CozeSimulator;
let n8n: LiveN8n;
/** Opened by the test when its client has read the first chunk. */
let openGate: () => void = () => {};
let gateTimedOut = false;

beforeAll(async () => {
	sim = await CozeSimulator.start({ flavour: 'cloud' });
	sim.defineWorkflow(GATED_WORKFLOW_ID, {
		run: () => ({
			stream: numbered(
				new ServerStream('cloud')
					.message({ title: 'Out', id: '100001', type: 'Message' }, ['first ', 'second'])
					.message({ title: 'End', id: '900001', type: 'End' }, ['{"output":"done"}'])
					.done(DEBUG_URL).events,
			),
			shape: {
				// A causal check: nothing after the first chunk is sent until the caller has read it.
				// Anything that buffers (the node, n8n, compression) leaves the gate shut.
				onWrite: async (writeIndex) => {
					if (writeIndex !== 0) return;
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
				},
			},
		}),
	});
	sim.defineWorkflow(CHATFLOW_ID, {
		chat: (turn) => ({
			answers: [[`Turn ${turn.history.length / 2 + 1}: `, 'you said ', turn.message]],
		}),
	});
	n8n = await startLiveN8n(sim, liveWorkflows(CHATFLOW_ID), LIVE_WEBHOOK_PATHS);
}, 20 * 60_000);

afterAll(async () => {
	await n8n?.stop();
	if (sim) await stopSimulator(sim);
});

const textOf = (chunks: StreamedChunk[]) =>
	chunks
		.filter((chunk) => chunk.type === 'item' && chunk.metadata?.nodeName === 'Coze')
		.map((chunk) => chunk.content)
		.join('');

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
		const types = chunks
			.filter((chunk) => chunk.metadata?.nodeName === 'Coze')
			.map((chunk) => chunk.type);
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
});
