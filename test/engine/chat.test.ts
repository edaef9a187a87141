import type { IDataObject, StructuredChunk } from 'n8n-workflow';

import { stopSimulator } from '../simulator/stop';
import { CozeSimulator } from '../simulator/server';
import type { SimWorkflow } from '../simulator/workflows';
import {
	COZE_TYPE,
	cozeCredentials,
	runWorkflow,
	useBinaryMode,
	type Edge,
	type TestNode,
} from './harness';
import { forgetConversationsOfThisProcess } from '../../nodes/Coze/testing';

const CHATFLOW_ID = '7404830425073352714';

/** A chatflow that asks the user's name once, then greets by it and remembers what was said. */
const nameAsking: SimWorkflow = {
	chat: (turn) => {
		if (turn.history.length === 0) return { answers: [['你好！']], asks: 'What is your name?' };
		if (turn.answering)
			return {
				answers: [['Nice to meet you, ', turn.message, '!']],
				followUps: ['How are you?', 'What can you do?'],
			};
		const name =
			turn.history.find((_, i, all) => all[i - 1]?.content === 'What is your name?')?.content ??
			'stranger';
		return { answers: [[`${name}, you said `, `${turn.history.length} things before.`]] };
	},
};

function chatGraph(
	sim: CozeSimulator,
	inputs: object[],
	parameters: IDataObject = {},
	onError?: TestNode['onError'],
) {
	const nodes: TestNode[] = [
		{ name: 'Start', type: 'test.start' },
		{
			name: 'Chat Input',
			type: 'test.fixedItems',
			parameters: { items: JSON.stringify(inputs.map((json) => ({ json }))) },
		},
		{
			name: 'Coze',
			type: COZE_TYPE,
			parameters: {
				resource: 'workflow',
				operation: 'chat',
				workflowId: CHATFLOW_ID,
				...parameters,
			},
			...(onError ? { onError } : {}),
		},
		{ name: 'On Messages', type: 'test.collect' },
	];
	const edges: Edge[] = [
		['Start', 0, 'Chat Input'],
		['Chat Input', 0, 'Coze'],
		['Coze', 0, 'On Messages'],
	];
	return { nodes, edges, credentials: cozeCredentials(sim.baseUrl, sim.token) };
}

/** One chat message as n8n's Chat Trigger outputs it, run as an active workflow would (webhook mode, static data kept). */
async function say(
	sim: CozeSimulator,
	staticData: IDataObject,
	sessionId: string,
	chatInput: string,
	chunks: StructuredChunk[] = [],
) {
	const run = await runWorkflow({
		...chatGraph(sim, [{ action: 'sendMessage', sessionId, chatInput }]),
		mode: 'webhook',
		staticData,
		onChunk: (chunk) => chunks.push(chunk),
	});
	expect(run.run.status).toBe('success');
	return run.output('Coze', 0)[0].json;
}

const chatRequests = (sim: CozeSimulator) => sim.bodiesOf('/v1/workflows/chat');

describe.each(['cloud', 'studio'] as const)(
	'Workflow → Chat through the n8n engine (%s)',
	(flavour) => {
		let sim: CozeSimulator;
		beforeAll(async () => {
			await useBinaryMode('memory');
		});
		beforeEach(async () => {
			forgetConversationsOfThisProcess();
			sim = await CozeSimulator.start({ flavour });
			sim.defineWorkflow(CHATFLOW_ID, nameAsking);
		});
		afterEach(() => stopSimulator(sim));

		it('holds a conversation over three turns of one session: asks, takes the answer, remembers', async () => {
			const staticData: IDataObject = {};
			const first = await say(sim, staticData, 'session-a', 'hi');
			expect(first).toMatchObject({
				answer: '你好！\n\nWhat is your name?',
				status: 'requires_action',
				workflow_id: CHATFLOW_ID,
			});
			const second = await say(sim, staticData, 'session-a', 'Mei');
			expect(second).toMatchObject({
				answer: 'Nice to meet you, Mei!',
				status: 'completed',
				follow_ups: ['How are you?', 'What can you do?'],
			});
			const third = await say(sim, staticData, 'session-a', 'what did I say?');
			expect(third.answer).toBe('Mei, you said 5 things before.');

			// The cloud takes the conversation /v1/conversation/create made; Coze Studio refuses it once,
			// and the first turn is sent again by name (studio-chat.test.ts).
			const requests = chatRequests(sim).slice(flavour === 'studio' ? 1 : 0);
			expect(requests).toHaveLength(3);
			const conversationId = first.conversation_id;
			expect(typeof conversationId).toBe('string');
			expect(requests.map((body) => body.conversation_id)).toEqual([
				flavour === 'studio' ? undefined : conversationId,
				conversationId,
				conversationId,
			]);
			expect([first, second, third].map((json) => json.conversation_id)).toEqual([
				conversationId,
				conversationId,
				conversationId,
			]);
			expect(requests[1].additional_messages).toEqual([
				{ role: 'user', content: 'Mei', content_type: 'text' },
			]);
			expect(
				sim.requests.filter((request) => request.path === '/v1/conversation/create'),
			).toHaveLength(1);
		});

		it('gives a new session its own conversation, and New Each Time a new one every message', async () => {
			const staticData: IDataObject = {};
			const a = (await say(sim, staticData, 'session-a', 'hi')).conversation_id;
			const b = (await say(sim, staticData, 'session-b', 'hi')).conversation_id;
			expect(a).not.toBe(b);

			const newEachTime = async () =>
				(
					await runWorkflow({
						...chatGraph(sim, [{ sessionId: 'session-a', chatInput: 'hi' }], {
							conversation: 'new',
						}),
						staticData,
					})
				).output('Coze', 0)[0].json.conversation_id;
			const c = await newEachTime();
			const d = await newEachTime();
			expect(new Set([a, b, c, d]).size).toBe(4);
		});

		it("remembers across processes through the workflow's static data alone, and across manual runs in one process", async () => {
			const staticData: IDataObject = {};
			const first = (await say(sim, staticData, 'session-a', 'hi')).conversation_id;
			// A queue-mode worker starts with no memory of its own: only static data carries the conversation.
			forgetConversationsOfThisProcess();
			await say(sim, staticData, 'session-a', 'Mei');
			expect(chatRequests(sim).at(-1)?.conversation_id).toBe(first);
			expect(JSON.stringify(staticData)).not.toContain('session-a');

			// The editor's manual runs save no static data: the process remembers for them.
			const manual = async (chatInput: string) =>
				(
					await runWorkflow({
						...chatGraph(sim, [{ sessionId: 'editor-session', chatInput }]),
						mode: 'manual',
						staticData: {},
					})
				).output('Coze', 0)[0].json.conversation_id;
			const third = await manual('hi');
			await manual('Ann');
			expect(chatRequests(sim).at(-1)?.conversation_id).toBe(third);
		});

		it('streams the answer piece by piece, one begin/end pair per item; the items are those of a run not streamed', async () => {
			const chunks: StructuredChunk[] = [];
			const streamed = await say(sim, {}, 'session-a', 'hi', chunks);
			const items = chunks.filter((chunk) => chunk.metadata.nodeName === 'Coze');
			expect(items.map((chunk) => chunk.type)).toEqual(['begin', 'item', 'item', 'end']);
			expect(items.map((chunk) => chunk.content ?? '').join('')).toBe(
				'你好！\n\nWhat is your name?',
			);

			forgetConversationsOfThisProcess();
			// Another session: Coze Studio would find session-a's conversation again by its name.
			const plain = await runWorkflow({
				...chatGraph(sim, [{ sessionId: 'session-b', chatInput: 'hi' }]),
				mode: 'webhook',
			});
			const strip = (json: IDataObject) =>
				JSON.parse(JSON.stringify(json).replace(/\d{19}/g, 'ID')) as IDataObject;
			expect(strip(plain.output('Coze', 0)[0].json)).toEqual(strip(streamed));
		});

		it('sends Parameters and Options as Coze names them, and lets Coze Studio find a named conversation itself', async () => {
			await runWorkflow({
				...chatGraph(sim, [{ sessionId: 's', chatInput: 'hi' }], {
					parameters: '{"CONVERSATION_NAME":"support","order_id":7404830425073352713}',
					options: { botId: '7374724495711502387', ext: { user_id: 'u1' } },
				}),
				staticData: {},
			});
			const [body] = chatRequests(sim);
			expect(body).toMatchObject({
				workflow_id: CHATFLOW_ID,
				bot_id: '7374724495711502387',
				ext: { user_id: 'u1' },
			});
			expect(body.conversation_id).toBeUndefined();
			expect(sim.requests.find((request) => request.path === '/v1/workflows/chat')?.body).toContain(
				'"order_id":7404830425073352713',
			);
		});

		it("fails the item with Coze's reason when the chatflow fails, keeping what it had answered with Continue on Fail", async () => {
			sim.defineWorkflow(CHATFLOW_ID, {
				chat: () => ({ answers: [['部分']], fails: { code: 5000, msg: 'the model timed out' } }),
			});
			const chunks: StructuredChunk[] = [];
			const run = await runWorkflow({
				...chatGraph(sim, [{ sessionId: 's', chatInput: 'hi' }], {}, 'continueRegularOutput'),
				mode: 'webhook',
				staticData: {},
				onChunk: (c) => chunks.push(c),
			});
			const [partial, error] = run.output('Coze', 0).map((item) => item.json);
			expect(partial).toMatchObject({
				answer: '部分',
				status: 'failed',
				workflow_id: CHATFLOW_ID,
			});
			expect(String(error.error)).toMatch(
				/The Coze chat(flow)? failed with error 5000: the model timed out/,
			);
			const text = chunks
				.filter((c) => c.type === 'item')
				.map((c) => c.content)
				.join('');
			expect(text).toMatch(/^部分\n\n⚠️ The Coze chat(flow)? failed with error 5000/);
		});

		it("names the chatflow of a failed turn's item when version 2 picks it with the Chatflow field", async () => {
			sim.defineWorkflow(CHATFLOW_ID, {
				chat: () => ({ answers: [['部分']], fails: { code: 5000, msg: 'the model timed out' } }),
			});
			const graph = chatGraph(
				sim,
				[{ sessionId: 's', chatInput: 'hi' }],
				{ workflowId: { __rl: true, mode: 'id', value: CHATFLOW_ID } },
				'continueRegularOutput',
			);
			graph.nodes.find((node) => node.name === 'Coze')!.typeVersion = 2;
			const run = await runWorkflow({ ...graph, mode: 'webhook', staticData: {} });
			const [partial] = run.output('Coze', 0).map((item) => item.json);
			expect(partial).toMatchObject({ status: 'failed', workflow_id: CHATFLOW_ID });
		});

		it('names the field and how to fix it when the message or session is empty', async () => {
			const noMessage = await runWorkflow({
				...chatGraph(sim, [{ sessionId: 's' }]),
				staticData: {},
			});
			expect(noMessage.nodeError('Coze')).toMatchObject({
				message: 'Message is empty',
				description: expect.stringContaining('chatInput'),
			});
			const noSession = await runWorkflow({
				...chatGraph(sim, [{ chatInput: 'hi' }]),
				staticData: {},
			});
			expect(noSession.nodeError('Coze')).toMatchObject({
				message: 'Session ID is empty',
				description: expect.stringContaining('New Each Time'),
			});
			expect(chatRequests(sim)).toHaveLength(0);
		});
	},
);

describe('Workflow → Chat: how a session gets its conversation (cloud)', () => {
	let sim: CozeSimulator;
	beforeAll(async () => {
		await useBinaryMode('memory');
		sim = await CozeSimulator.start();
		sim.defineWorkflow(CHATFLOW_ID, {
			chat: (turn) => ({ answers: [[`#${turn.history.length}`]] }),
		});
	});
	afterAll(() => stopSimulator(sim));

	it('creates one conversation for a new session whose messages run at the same time (Concurrency 5)', async () => {
		const inputs = Array.from({ length: 5 }, (_, i) => ({ sessionId: 'busy', chatInput: `m${i}` }));
		const run = await runWorkflow({
			...chatGraph(sim, inputs, { requestOptions: { concurrency: 5 } }),
			mode: 'webhook',
			staticData: {},
		});
		expect(run.run.status).toBe('success');
		expect(
			sim.requests.filter((request) => request.path === '/v1/conversation/create'),
		).toHaveLength(1);
		expect(new Set(chatRequests(sim).map((body) => body.conversation_id)).size).toBe(1);
	});

	it('lets the chat make the conversation where the server has no /v1/conversation/create (404), and remembers the id it reports', async () => {
		sim.requests.length = 0;
		sim.override('/v1/conversation/create', async (_req, res, body) => {
			await body();
			res.writeHead(404, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ code: 4200, msg: 'resource not found' }));
		});
		const staticData: IDataObject = {};
		const first = await say(sim, staticData, 'no-create', 'hi');
		const second = await say(sim, staticData, 'no-create', 'again');
		const [firstBody, secondBody] = chatRequests(sim);
		expect(firstBody.conversation_id).toBeUndefined();
		expect(secondBody.conversation_id).toBe(first.conversation_id);
		expect(second.conversation_id).toBe(first.conversation_id);
	});
});
