import type { IDataObject } from 'n8n-workflow';

import { stopSimulator } from '../simulator/stop';
import { CozeSimulator } from '../simulator/server';
import { studioRefusal } from '../simulator/studio-conversations';
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
const BOT_ID = '7374724495711502387';

/** Answers with how many messages the conversation held before this turn, so memory shows. */
const counting = {
	chat: (turn: { history: unknown[]; message: string }) => ({
		answers: [[`#${turn.history.length} ${turn.message}`]],
	}),
};

function chatGraph(sim: CozeSimulator, input: IDataObject, parameters: IDataObject = {}) {
	const nodes: TestNode[] = [
		{ name: 'Start', type: 'test.start' },
		{
			name: 'Chat Input',
			type: 'test.fixedItems',
			parameters: { items: JSON.stringify([{ json: input }]) },
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
		},
	];
	const edges: Edge[] = [
		['Start', 0, 'Chat Input'],
		['Chat Input', 0, 'Coze'],
	];
	return { nodes, edges, credentials: cozeCredentials(sim.baseUrl, sim.token) };
}

/** One chat message as an active workflow runs it (webhook mode, static data kept by the caller). */
async function say(
	sim: CozeSimulator,
	staticData: IDataObject,
	chatInput: string,
	parameters: IDataObject = {},
) {
	const run = await runWorkflow({
		...chatGraph(sim, { sessionId: 'session-a', chatInput }, parameters),
		mode: 'webhook',
		staticData,
	});
	expect(run.nodeError('Coze')).toBeUndefined();
	expect(run.run.status).toBe('success');
	return run.output('Coze', 0)[0].json;
}

const chatBodies = (sim: CozeSimulator) => sim.bodiesOf('/v1/workflows/chat');
const creations = (sim: CozeSimulator) =>
	sim.requests.filter((request) => request.path === '/v1/conversation/create');

describe.each(['cloud', 'studio'] as const)(
	'Workflow → Chat in the default Conversation modes (%s)',
	(flavour) => {
		let sim: CozeSimulator;
		beforeAll(() => useBinaryMode('memory'));
		beforeEach(async () => {
			forgetConversationsOfThisProcess();
			sim = await CozeSimulator.start({ flavour });
			sim.defineWorkflow(CHATFLOW_ID, counting);
		});
		afterEach(() => stopSimulator(sim));

		it('Remember per Chat Session: the first message is answered, and the second is in the same conversation', async () => {
			const staticData: IDataObject = {};
			const first = await say(sim, staticData, 'hi');
			const second = await say(sim, staticData, 'again');
			expect(first.answer).toBe('#0 hi');
			expect(second.answer).toBe('#2 again');
			expect(typeof first.conversation_id).toBe('string');
			expect(second.conversation_id).toBe(first.conversation_id);
			// The second turn names the conversation the first one reported.
			expect(chatBodies(sim).at(-1)?.conversation_id).toBe(first.conversation_id);
		});

		it('New Each Time: every message is answered, each in a new conversation', async () => {
			const first = await say(sim, {}, 'hi', { conversation: 'new' });
			const second = await say(sim, {}, 'again', { conversation: 'new' });
			expect([first.answer, second.answer]).toEqual(['#0 hi', '#0 again']);
			expect(typeof first.conversation_id).toBe('string');
			expect(typeof second.conversation_id).toBe('string');
			expect(second.conversation_id).not.toBe(first.conversation_id);
		});
	},
);

describe('Workflow → Chat on Coze Studio, whose chatflows take only conversations they made', () => {
	let sim: CozeSimulator;
	beforeAll(() => useBinaryMode('memory'));
	beforeEach(async () => {
		forgetConversationsOfThisProcess();
		sim = await CozeSimulator.start({ flavour: 'studio' });
		sim.defineWorkflow(CHATFLOW_ID, counting);
	});
	afterEach(() => stopSimulator(sim));

	it('refuses a conversation made by /v1/conversation/create as Studio does (777777775), and the error says which conversations it takes', async () => {
		const created = await fetch(`${sim.baseUrl}/v1/conversation/create`, {
			method: 'POST',
			headers: { authorization: `Bearer ${sim.token}`, 'content-type': 'application/json' },
			body: '{}',
		});
		const { data } = (await created.json()) as { data: { id: string } };
		const run = await runWorkflow({
			...chatGraph(sim, { chatInput: 'hi' }, { conversation: 'id', conversationId: data.id }),
			staticData: {},
		});
		const error = run.nodeError('Coze');
		expect(error?.message).toMatch(
			/^Coze error 777777775: Workflow operation failure: conversation not found/,
		);
		expect(error?.description).toMatch(/made by a chatflow/);
		expect(error?.description).toMatch(/Remember per Chat Session/);
	});

	it('learns it once: a later session goes straight to a conversation of its own name, without /v1/conversation/create', async () => {
		await say(sim, {}, 'hi');
		const refusedFirst = chatBodies(sim).length;
		await runWorkflow({
			...chatGraph(sim, { sessionId: 'session-b', chatInput: 'hi' }),
			mode: 'webhook',
			staticData: {},
		});
		await say(sim, {}, 'hi', { conversation: 'new' });
		expect(creations(sim)).toHaveLength(1);
		expect(chatBodies(sim)).toHaveLength(refusedFirst + 2);
		for (const body of chatBodies(sim).slice(refusedFirst)) {
			expect(body.conversation_id).toBeUndefined();
			expect((body.parameters as IDataObject).CONVERSATION_NAME).toEqual(expect.any(String));
		}
	});

	it("finds a session's conversation again by its name when the remembered id is lost, and the name does not show the session id", async () => {
		await say(sim, {}, 'hi');
		forgetConversationsOfThisProcess();
		const second = await say(sim, {}, 'again');
		expect(second.answer).toBe('#2 again');
		const names = chatBodies(sim)
			.map((body) => (body.parameters as IDataObject | undefined)?.CONVERSATION_NAME)
			.filter(Boolean);
		expect(names.length).toBeGreaterThan(0);
		for (const name of names) expect(String(name)).not.toContain('session-a');
	});

	it('reads the refusal as well when it comes under the event-stream content type Studio set before the request failed', async () => {
		// Studio's handler sets text/event-stream, then writes its JSON error (api/handler/coze/workflow_service.go
		// OpenAPIChatFlowRun); whether hertz then replaces the content type is not shown anywhere: both are read.
		sim.override('/v1/workflows/chat', async (_req, res, body) => {
			await body();
			res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
			res.end(JSON.stringify(studioRefusal('conversation not found')));
		});
		const first = await say(sim, {}, 'hi');
		expect(first.answer).toBe('#0 hi');
		expect((chatBodies(sim)[1].parameters as IDataObject).CONVERSATION_NAME).toEqual(
			expect.any(String),
		);
	});

	it('with a Bot ID takes the conversation /v1/conversation/create made (Studio\'s "Default" conversation of a bot)', async () => {
		const staticData: IDataObject = {};
		const first = await say(sim, staticData, 'hi', { options: { botId: BOT_ID } });
		const second = await say(sim, staticData, 'again', { options: { botId: BOT_ID } });
		expect(second.answer).toBe('#2 again');
		expect(chatBodies(sim).map((body) => body.conversation_id)).toEqual([
			first.conversation_id,
			first.conversation_id,
		]);
		expect(creations(sim)).toHaveLength(1);
	});

	it('keeps a CONVERSATION_NAME the user gives, and remembers the conversation it reports', async () => {
		const staticData: IDataObject = {};
		const first = await say(sim, staticData, 'hi', {
			parameters: '{"CONVERSATION_NAME":"support"}',
		});
		const second = await say(sim, staticData, 'again', {
			parameters: '{"CONVERSATION_NAME":"support"}',
		});
		expect(second.answer).toBe('#2 again');
		const [firstBody, secondBody] = chatBodies(sim);
		expect(firstBody).toMatchObject({ parameters: { CONVERSATION_NAME: 'support' } });
		expect(secondBody.conversation_id).toBe(first.conversation_id);
		expect(creations(sim)).toHaveLength(0);
	});
});
