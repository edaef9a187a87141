// Bot → Chat and Bot → Submit Tool Outputs through n8n's engine (WorkflowExecute), against the
// simulator's bots in the cloud's and Coze Studio's shapes (test/simulator/bot-shapes.ts).
import type { IDataObject, INodeParameters, StructuredChunk } from 'n8n-workflow';

import { forgetConversationsOfThisProcess } from '../../nodes/Coze/testing';
import { stopSimulator } from '../simulator/stop';
import { CozeSimulator } from '../simulator/server';
import type { SimBot } from '../simulator/bots';
import { COZE_TYPE, cozeCredentials, runWorkflow, useBinaryMode, type TestNode } from './harness';
import { BOT_ID as BOT, botGraph } from './bot-graph';

/** A bot that tells the date, remembers how many turns came before, and streams in pieces. */
const dateBot: SimBot = {
	chat: (turn) => ({
		answers: [['2024 年 10 月 1 日', '是星期三。', ` (${turn.history.length} before)`]],
		followUps: ['明天呢？'],
	}),
};

/** A bot whose local plugin get_weather must be answered before it replies. */
const weatherBot: SimBot = {
	chat: (turn) => ({
		toolCalls: [{ name: 'get_weather', arguments: { city: turn.message, days: 1 } }],
	}),
	afterTools: (outputs) => ({
		before: [{ type: 'tool_response', content: outputs[0].output }],
		answers: [['The weather: ', outputs[0].output]],
	}),
};

/** A chat's graph as these tests use it: the node's default conversation (one per session), the Interrupts answered and submitted when `submit` is given. */
function chatGraph(
	sim: CozeSimulator,
	inputs: object[],
	parameters: IDataObject = {},
	extra: { onError?: TestNode['onError']; submit?: IDataObject } = {},
) {
	return botGraph(sim, {
		inputs,
		parameters: { conversation: 'session', ...(parameters as INodeParameters) },
		onError: extra.onError,
		submit: extra.submit as INodeParameters | undefined,
	});
}

async function say(
	sim: CozeSimulator,
	staticData: IDataObject,
	sessionId: string,
	chatInput: string,
	parameters: IDataObject = {},
	chunks: StructuredChunk[] = [],
) {
	const run = await runWorkflow({
		...chatGraph(sim, [{ action: 'sendMessage', sessionId, chatInput }], parameters),
		mode: 'webhook',
		staticData,
		onChunk: (chunk) => chunks.push(chunk),
	});
	expect(run.nodeError('Coze')).toBeUndefined();
	return run.output('Coze', 0)[0].json;
}

/** The query of the `index`th request to /v3/chat. */
const queryOf = (sim: CozeSimulator, index: number) =>
	new URLSearchParams(sim.requests.filter((r) => r.path === '/v3/chat')[index].query);

describe.each(['cloud', 'studio'] as const)('Bot → Chat through the n8n engine (%s)', (flavour) => {
	let sim: CozeSimulator;
	beforeAll(async () => {
		await useBinaryMode('memory');
	});
	beforeEach(async () => {
		forgetConversationsOfThisProcess();
		sim = await CozeSimulator.start({ flavour });
		sim.bots.define(BOT, dateBot);
	});
	afterEach(() => stopSimulator(sim));

	it('answers a message with the whole answer, its ids, follow-ups, messages by type and usage', async () => {
		const json = await say(sim, {}, 'session-a', '2024年10月1日是星期几');
		expect(json).toMatchObject({
			answer: '2024 年 10 月 1 日是星期三。 (0 before)',
			bot_id: BOT,
			status: 'completed',
			follow_ups: ['明天呢？'],
			usage: { token_count: 633, output_count: 19, input_count: 614 },
		});
		expect(json.conversation_id).toMatch(/^\d{19}$/);
		expect(json.chat_id).toMatch(/^\d{19}$/);
		expect(Object.keys(json.messages as IDataObject)).toEqual(
			flavour === 'cloud' ? ['answer', 'follow_up', 'verbose'] : ['answer', 'follow_up'],
		);
		const [body] = sim.bodiesOf('/v3/chat');
		expect(body).toMatchObject({
			bot_id: BOT,
			stream: true,
			additional_messages: [
				{ role: 'user', content: '2024年10月1日是星期几', content_type: 'text' },
			],
		});
		expect(body.user_id).toMatch(/^n8n-/);
		expect(JSON.stringify(body)).not.toContain('session-a');
	});

	it('remembers the conversation per session: the second turn talks in the first one, sent in the query', async () => {
		const staticData: IDataObject = {};
		const first = await say(sim, staticData, 'session-a', 'one');
		const second = await say(sim, staticData, 'session-a', 'two');
		const other = await say(sim, staticData, 'session-b', 'three');
		expect(second.conversation_id).toBe(first.conversation_id);
		expect(second.answer).toContain('(2 before)');
		expect(other.conversation_id).not.toBe(first.conversation_id);
		expect(queryOf(sim, 1).get('conversation_id')).toBe(first.conversation_id);
		expect(sim.bodiesOf('/v3/chat')[0].user_id).toBe(sim.bodiesOf('/v3/chat')[1].user_id);
		expect(sim.bodiesOf('/v3/chat')[2].user_id).not.toBe(sim.bodiesOf('/v3/chat')[0].user_id);
	});

	it('New Each Time sends no conversation and makes none itself: /v3/chat makes one per message', async () => {
		const first = await say(sim, {}, 's', 'one', { conversation: 'new' });
		const second = await say(sim, {}, 's', 'two', { conversation: 'new' });
		expect(second.conversation_id).not.toBe(first.conversation_id);
		expect(second.answer).toContain('(0 before)');
		expect(sim.requests.some((r) => r.path === '/v1/conversation/create')).toBe(false);
		expect(queryOf(sim, 0).has('conversation_id')).toBe(false);
		expect(sim.bodiesOf('/v3/chat')[0].user_id).toBe('n8n');
	});

	it('Use Conversation ID talks in the given conversation', async () => {
		const first = await say(sim, {}, 's', 'one');
		const json = await say(sim, {}, 's', 'two', {
			conversation: 'id',
			conversationId: first.conversation_id,
		});
		expect(json.conversation_id).toBe(first.conversation_id);
		expect(json.answer).toContain('(2 before)');
	});

	it("streams the answer live into n8n's chat, piece by piece", async () => {
		const chunks: StructuredChunk[] = [];
		await say(sim, {}, 's', 'hi', {}, chunks);
		expect(chunks.map((chunk) => chunk.type)).toEqual(['begin', 'item', 'item', 'item', 'end']);
		expect(
			chunks
				.filter((chunk) => chunk.type === 'item')
				.map((chunk) => chunk.content)
				.join(''),
		).toBe('2024 年 10 月 1 日是星期三。 (0 before)');
	});

	it('sends the JSON options as typed, every digit kept, and Auto Save History off', async () => {
		await say(sim, {}, 's', 'hi', {
			options: {
				customVariables: '{"name": "Alice"}',
				metaData: '{"order": 7404830425073352713}',
				parameters: '{"city": "杭州"}',
				additionalMessages: '[{"role": "assistant", "content": "Hello!", "content_type": "text"}]',
				autoSaveHistory: false,
				userId: 'alice-1',
			},
		});
		const raw = sim.requests.find((r) => r.path === '/v3/chat')!.body!;
		expect(raw).toContain('"meta_data":{"order": 7404830425073352713}');
		expect(JSON.parse(raw)).toMatchObject({
			user_id: 'alice-1',
			custom_variables: { name: 'Alice' },
			parameters: { city: '杭州' },
			auto_save_history: false,
			additional_messages: [
				{ role: 'assistant', content: 'Hello!' },
				{ role: 'user', content: 'hi' },
			],
		});
	});

	it('a bot that is not published fails the item with what to do, and Continue on Fail goes on', async () => {
		sim.bots.define(BOT, { ...dateBot, published: false });
		const run = await runWorkflow({
			...chatGraph(
				sim,
				[
					{ sessionId: 'a', chatInput: 'hi' },
					{ sessionId: 'b', chatInput: 'hi' },
				],
				{},
				{
					onError: 'continueRegularOutput',
				},
			),
		});
		const items = run.output('Coze', 0);
		expect(items).toHaveLength(2);
		const error = items[0].json as { error: string; description?: string };
		expect(error.error).toMatch(flavour === 'cloud' ? /4015/ : /agent not published/);
		expect(JSON.stringify(error)).toMatch(/publish/i);
		expect(JSON.stringify(error)).not.toContain('stack=');
		expect(JSON.stringify(items)).not.toContain(sim.token);
	});

	it('fails a chat that the bot fails, keeping what it had answered', async () => {
		sim.bots.define(BOT, {
			chat: () => ({ answers: [['partial ']], fails: { code: 5000, msg: 'event interval error' } }),
		});
		const run = await runWorkflow({
			...chatGraph(
				sim,
				[{ sessionId: 'a', chatInput: 'hi' }],
				{},
				{ onError: 'continueRegularOutput' },
			),
		});
		const [partial, error] = run.output('Coze', 0).map((item) => item.json);
		expect(partial).toMatchObject({ answer: 'partial ', status: 'failed', bot_id: BOT });
		expect(error.error).toMatch(flavour === 'cloud' ? /failed with error 5000/ : /103100001/);
		// 5000 in a chat's failure is no refusal of tool outputs (cozepy's "event interval error").
		expect(JSON.stringify(error)).not.toMatch(/Auto Save History/);
	});
});

describe('Bot tool calls (cloud)', () => {
	let sim: CozeSimulator;
	beforeAll(async () => {
		await useBinaryMode('memory');
	});
	beforeEach(async () => {
		forgetConversationsOfThisProcess();
		sim = await CozeSimulator.start({ flavour: 'cloud' });
		sim.bots.define(BOT, weatherBot);
	});
	afterEach(() => stopSimulator(sim));

	it('hands the tool calls out of Interrupts, and Submit Tool Outputs, wired with no typing, gets the answer', async () => {
		const run = await runWorkflow({
			...chatGraph(sim, [{ sessionId: 'a', chatInput: 'Hangzhou' }], {}, { submit: {} }),
		});
		expect(run.nodeError('Answer the Call')).toBeUndefined();
		expect(run.nodeError('Submit')).toBeUndefined();
		expect(run.output('Coze', 0)).toHaveLength(0);
		const [interrupt] = run.output('Coze', 1).map((item) => item.json);
		expect(interrupt).toMatchObject({
			status: 'requires_action',
			bot_id: BOT,
			tool_calls: [
				{
					id: 'call_1',
					type: 'function',
					name: 'get_weather',
					args: { city: 'Hangzhou', days: 1 },
					function: { name: 'get_weather', arguments: '{"city":"Hangzhou","days":1}' },
				},
			],
		});
		expect(interrupt.messages).toHaveProperty('function_call');
		const [submitted] = sim.bodiesOf('/v3/chat/submit_tool_outputs');
		expect(submitted).toEqual({
			tool_outputs: [{ tool_call_id: 'call_1', output: 'sunny in Hangzhou' }],
			stream: true,
		});
		const query = new URLSearchParams(
			sim.requests.find((r) => r.path === '/v3/chat/submit_tool_outputs')!.query,
		);
		expect(query.get('conversation_id')).toBe(interrupt.conversation_id);
		expect(query.get('chat_id')).toBe(interrupt.chat_id);
		const [answer] = run.output('Submit', 0).map((item) => item.json);
		expect(answer).toMatchObject({
			answer: 'The weather: sunny in Hangzhou',
			status: 'completed',
			conversation_id: interrupt.conversation_id,
			chat_id: interrupt.chat_id,
			bot_id: BOT,
			messages: { tool_response: [{ content: 'sunny in Hangzhou' }] },
		});
	});

	it('a second submit of the same chat is refused with what it means, and not sent again', async () => {
		const first = await runWorkflow({
			...chatGraph(sim, [{ sessionId: 'a', chatInput: 'Hangzhou' }], {}, { submit: {} }),
		});
		const interrupt = first.output('Coze', 1)[0].json;
		const again = await runWorkflow({
			nodes: [
				{ name: 'Start', type: 'test.start' },
				{
					name: 'Coze',
					type: COZE_TYPE,
					parameters: {
						resource: 'bot',
						operation: 'submitToolOutputs',
						conversationId: interrupt.conversation_id as string,
						chatId: interrupt.chat_id as string,
						toolOutputs: JSON.stringify([{ tool_call_id: 'call_1', output: 'rain' }]),
					},
				},
			],
			edges: [['Start', 0, 'Coze']],
			credentials: cozeCredentials(sim.baseUrl, sim.token),
		});
		const error = again.nodeError('Coze')!;
		expect(error.message).toMatch(/error 4000/);
		expect(error.description).toMatch(/answered already|expired/);
		expect(sim.requests.filter((r) => r.path === '/v3/chat/submit_tool_outputs')).toHaveLength(2);
	});

	it('arguments that are not JSON fail the item, naming the call, with the raw text', async () => {
		sim.bots.define(BOT, {
			chat: () => ({
				toolCalls: [{ id: 'call_x', name: 'get_weather', arguments: '{city: Hangzhou' }],
			}),
		});
		const run = await runWorkflow({
			...chatGraph(sim, [{ sessionId: 'a', chatInput: 'hi' }]),
		});
		const error = run.nodeError('Coze')!;
		expect(error.message).toMatch(/call_x \(get_weather\).*not JSON/);
		expect(error.description).toContain('{city: Hangzhou');
	});

	it('a bot that calls again after the outputs sends the new calls to Interrupts again', async () => {
		let round = 0;
		sim.bots.define(BOT, {
			chat: () => ({ toolCalls: [{ name: 'get_weather', arguments: { city: 'Hangzhou' } }] }),
			afterTools: () =>
				++round === 1
					? { toolCalls: [{ name: 'get_time', arguments: { zone: 'Asia/Shanghai' } }] }
					: { answers: [['done']] },
		});
		const run = await runWorkflow({
			...chatGraph(sim, [{ sessionId: 'a', chatInput: 'Hangzhou' }], {}, { submit: {} }),
		});
		expect(run.output('Submit', 0)).toHaveLength(0);
		const [again] = run.output('Submit', 1).map((item) => item.json);
		expect(again).toMatchObject({
			status: 'requires_action',
			tool_calls: [{ name: 'get_time', args: { zone: 'Asia/Shanghai' } }],
		});
	});

	it('a chat started with Auto Save History off cannot take tool outputs: Coze 5000, said plainly', async () => {
		const run = await runWorkflow({
			...chatGraph(
				sim,
				[{ sessionId: 'a', chatInput: 'Hangzhou' }],
				{ options: { autoSaveHistory: false } },
				{ submit: {} },
			),
		});
		const error = run.nodeError('Submit')!;
		expect(error.message).toMatch(/error 5000/);
		expect(error.description).toMatch(/Auto Save History on/);
	});

	it('a JSON option of the wrong shape fails the item naming the option, before anything is sent', async () => {
		const run = await runWorkflow({
			...chatGraph(sim, [{ sessionId: 'a', chatInput: 'hi' }], {
				options: { customVariables: '["Alice"]' },
			}),
		});
		expect(run.nodeError('Coze')!.message).toBe(
			'Options → Custom Variables must be a JSON object: it is an array',
		);
		expect(sim.requests.some((r) => r.path === '/v3/chat')).toBe(false);
	});

	it('Tool Outputs missing fails the item, saying how to give them', async () => {
		const run = await runWorkflow({
			nodes: [
				{ name: 'Start', type: 'test.start' },
				{
					name: 'Coze',
					type: COZE_TYPE,
					parameters: {
						resource: 'bot',
						operation: 'submitToolOutputs',
						conversationId: '7400000000000000001',
						chatId: '7400000000000000002',
					},
				},
			],
			edges: [['Start', 0, 'Coze']],
			credentials: cozeCredentials(sim.baseUrl, sim.token),
		});
		const error = run.nodeError('Coze')!;
		expect(error.message).toBe('Tool Outputs is empty');
		expect(error.description).toMatch(/tool_outputs/);
		expect(sim.requests.some((r) => r.path === '/v3/chat/submit_tool_outputs')).toBe(false);
	});
});

describe('Bot → Submit Tool Outputs on Coze Studio', () => {
	it('says this server cannot take tool outputs', async () => {
		const sim = await CozeSimulator.start({ flavour: 'studio' });
		try {
			const run = await runWorkflow({
				nodes: [
					{ name: 'Start', type: 'test.start' },
					{
						name: 'Coze',
						type: COZE_TYPE,
						parameters: {
							resource: 'bot',
							operation: 'submitToolOutputs',
							conversationId: '7400000000000000001',
							chatId: '7400000000000000002',
							toolOutputs: '{"call_1": "sunny"}',
						},
					},
				],
				edges: [['Start', 0, 'Coze']],
				credentials: cozeCredentials(sim.baseUrl, sim.token),
			});
			expect(run.nodeError('Coze')!.message).toMatch(/no \/v3\/chat\/submit_tool_outputs/);
		} finally {
			await stopSimulator(sim);
		}
	});
});
