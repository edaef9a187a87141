// Bot → Chat through n8n's engine against streams that real servers send in awkward shapes: the
// cloud's recorded bot chat and Coze Studio's, cut anywhere, with every event type, tool-call
// shapes, as an AI Agent's tool, and items at once.
import type { IDataObject } from 'n8n-workflow';

import { TOOL_CALLS_NEXT_STEP } from '../../nodes/Coze/actions/tool-mode';
import { forgetConversationsOfThisProcess } from '../../nodes/Coze/testing';
import { BotStream } from '../simulator/bot-shapes';
import type { SimEvent, StreamShape } from '../simulator/event-stream';
import { COZEPY_RECORDED_BOT_ANSWER, cozepyRecordedBotChat } from '../simulator/recorded-streams';
import { CozeSimulator } from '../simulator/server';
import { stopSimulator } from '../simulator/stop';
import { BOT_ID, runBot } from './bot-graph';
import { useBinaryMode } from './harness';

/** The writes of a stream cut at every offset ≡ `residue` (mod `modulus`): `modulus` runs cut it at every byte between them. */
const everyNth =
	(modulus: number, residue: number) =>
	(body: Buffer): number[] => {
		const cuts: number[] = [];
		for (let at = residue || modulus; at < body.length; at += modulus) cuts.push(at);
		return cuts;
	};

/** `events` with a PING after each and every one numbered from 0 (`id:0` lines, as the workflow streams have them). */
function withPingsAndIds(events: SimEvent[]): SimEvent[] {
	// PING on a bot chat: in no fixture (no evidence); the workflow streams send it (coze-api.md).
	return events
		.flatMap((event) => [event, { event: 'PING', data: {} }])
		.map((event, id) => ({ ...event, id }));
}

/** Studio's bot chat, built once so that every run sends the same bytes (ids and times fixed). */
function studioChat(): SimEvent[] {
	return new BotStream('studio', {
		botId: BOT_ID,
		conversationId: '7460000000000000101',
		chatId: '7460000000000000102',
	})
		.started()
		.answer(['2024 年 10 月 1 日', '是星', '期三。'], 'answer', ['先算', '一下'])
		.whole('follow_up', '明天呢？')
		.completed().events;
}

const RECORDED = {
	cloud: {
		events: cozepyRecordedBotChat(),
		live: '20星期三。',
		answer: COZEPY_RECORDED_BOT_ANSWER,
	},
	studio: {
		events: studioChat(),
		live: '2024 年 10 月 1 日是星期三。',
		answer: '2024 年 10 月 1 日是星期三。',
	},
};

/** Byte shapes, each with the flavour's own framing (no space after the colon: cozepy's file, Studio's hertz-contrib/sse). */
const SHAPES: Array<[string, StreamShape, (events: SimEvent[]) => SimEvent[]]> = [
	['as recorded (no line end after the last data)', { noFinalLineEnd: true }, (events) => events],
	[
		'CRLF, id:0 lines, a PING after each event, no final blank line',
		{ lineEnding: '\r\n', idWithoutSpace: true, noFinalBlankLine: true },
		withPingsAndIds,
	],
];

describe.each(['cloud', 'studio'] as const)(
	'the bot chat cut anywhere gives the same item (%s)',
	(flavour) => {
		let sim: CozeSimulator;
		beforeAll(() => useBinaryMode('memory'));
		beforeEach(async () => {
			forgetConversationsOfThisProcess();
			sim = await CozeSimulator.start({ flavour });
		});
		afterEach(() => stopSimulator(sim));

		const recorded = RECORDED[flavour];
		const answerWith = (events: SimEvent[], shape: StreamShape) =>
			sim.bots.define(BOT_ID, {
				chat: () => ({ stream: events, shape: { fieldsWithoutSpace: true, ...shape } }),
			});

		it.each(SHAPES)('%s', async (_name, shape, reshape) => {
			const events = reshape(recorded.events);
			answerWith(events, shape);
			const whole = await runBot(sim);
			expect(whole.error).toBeUndefined();
			expect(whole.messages).toHaveLength(1);
			const [item] = whole.messages;
			expect(item).toMatchObject({
				answer: recorded.answer,
				status: 'completed',
				bot_id: BOT_ID,
				follow_ups: flavour === 'cloud' ? [] : ['明天呢？'],
			});
			expect(whole.liveText).toBe(recorded.live);
			if (flavour === 'cloud')
				expect(item).toMatchObject({
					conversation_id: '7381473525342978089',
					chat_id: '7382159487131697202',
					usage: { token_count: 633, output_count: 19, input_count: 614 },
				});
			else expect(item.reasoning_content).toBe('先算一下');

			// Seven runs, each cut at every seventh byte from its own start: together every byte
			// offset is a chunk boundary once, the inside of each 3-byte 星, 期, 三 included.
			const modulus = 7;
			for (let residue = 0; residue < modulus; residue++) {
				answerWith(events, {
					...shape,
					splitAt: everyNth(modulus, residue),
					// A turn of the event loop between writes: the node reads each write on its own.
					onWrite: () => new Promise((resolve) => setImmediate(resolve)),
				});
				const cut = await runBot(sim);
				expect({ residue, error: cut.error, messages: cut.messages }).toEqual({
					residue,
					error: undefined,
					messages: whole.messages,
				});
				expect(cut.liveText).toBe(recorded.live);
			}
			expect(sim.requests.filter((r) => r.path === '/v3/chat')).toHaveLength(modulus + 1);
		});

		it('one event per write with gaps between them', async () => {
			answerWith(recorded.events, { noFinalLineEnd: true, delayMs: 40 });
			const slow = await runBot(sim);
			expect(slow.error).toBeUndefined();
			expect(slow.messages[0].answer).toBe(recorded.answer);
			expect(slow.liveText).toBe(recorded.live);
		});
	},
);

describe('every event of a bot chat (cloud unless said)', () => {
	let sim: CozeSimulator;
	beforeAll(() => useBinaryMode('memory'));
	beforeEach(async () => {
		forgetConversationsOfThisProcess();
		sim = await CozeSimulator.start({ flavour: 'cloud' });
	});
	afterEach(() => stopSimulator(sim));

	const ids = {
		botId: BOT_ID,
		conversationId: '7460000000000000301',
		chatId: '7460000000000000302',
	};

	it('an error event part-way fails the item with its code and message, the answer so far kept', async () => {
		sim.bots.define(BOT_ID, {
			chat: () => ({ answers: [['so far, ']], error: { code: 4011, msg: 'balance exhausted' } }),
		});
		const run = await runBot(sim, { onError: 'continueRegularOutput' });
		expect(run.messages).toEqual([
			expect.objectContaining({ answer: 'so far, ', status: 'failed', bot_id: BOT_ID }),
			expect.objectContaining({ error: 'The Coze bot failed with error 4011: balance exhausted' }),
		]);
	});

	it("an error event with data {} (cozepy chat_error_resp.txt) says Coze gave no reason, not '{}'", async () => {
		sim.bots.define(BOT_ID, {
			chat: () => ({
				stream: [
					...new BotStream('cloud', ids).started().answer(['so far']).events,
					{ event: 'error', data: {} },
				],
				shape: { fieldsWithoutSpace: true, noFinalLineEnd: true },
			}),
		});
		const run = await runBot(sim);
		expect(run.error?.message).toBe(
			'The Coze bot failed: Coze sent an error event without a code or message',
		);
		expect(run.error?.description).toMatch(/check the bot in Coze/);
	});

	it("conversation.chat.failed (cozepy chat_failed_resp.txt) fails with last_error, without a submit's advice", async () => {
		sim.bots.define(BOT_ID, {
			chat: () => ({ answers: [['so far']], fails: { code: 5000, msg: 'event interval error' } }),
		});
		const run = await runBot(sim);
		expect(run.error?.message).toBe('The Coze chat failed with error 5000: event interval error');
		expect(run.error?.description).not.toMatch(/Auto Save History|tool outputs/);
	});

	it.each(['cloud', 'studio'] as const)(
		'a cancelled chat (%s: canceled / cancelled) fails clearly, the answer so far kept',
		async (flavour) => {
			await stopSimulator(sim);
			sim = await CozeSimulator.start({ flavour });
			sim.bots.define(BOT_ID, { chat: () => ({ answers: [['so far']], cancels: true }) });
			const run = await runBot(sim, { onError: 'continueRegularOutput' });
			expect(run.messages).toEqual([
				expect.objectContaining({ answer: 'so far', status: 'failed' }),
				expect.objectContaining({ error: 'The Coze chat was cancelled before it finished' }),
			]);
		},
	);

	it('skips events it does not know (cozepy chat_invalid_resp.txt: event:invalid, data:{})', async () => {
		const stream = new BotStream('cloud', ids).started().answer(['a', 'b']).completed().events;
		stream.splice(3, 0, { event: 'invalid', data: {} });
		sim.bots.define(BOT_ID, { chat: () => ({ stream, shape: { fieldsWithoutSpace: true } }) });
		const run = await runBot(sim);
		expect(run.error).toBeUndefined();
		expect(run.messages[0]).toMatchObject({ answer: 'ab', status: 'completed' });
	});

	it('leaves the audio out: conversation.audio.delta does not break or join the answer', async () => {
		const audio = Buffer.from('RIFF fake wave bytes').toString('base64');
		sim.bots.define(BOT_ID, {
			chat: () => ({ answers: [['你好', '。']], audio: [audio.slice(0, 8), audio.slice(8)] }),
		});
		const run = await runBot(sim);
		expect(run.error).toBeUndefined();
		expect(run.messages[0]).toMatchObject({ answer: '你好。', status: 'completed' });
		expect(run.liveText).toBe('你好。');
		expect(JSON.stringify(run.messages)).not.toContain(audio.slice(0, 8));
	});

	it('joins reasoning_content of the deltas into the item, apart from the answer', async () => {
		sim.bots.define(BOT_ID, {
			chat: () => ({ answers: [['答', '案']], reasoning: ['先想', '一想', '再答'] }),
		});
		const run = await runBot(sim);
		expect(run.messages[0]).toMatchObject({ answer: '答案', reasoning_content: '先想一想再答' });
		expect(run.liveText).toBe('答案');
	});

	it('groups function_call, tool_response, knowledge and verbose messages by type, in order', async () => {
		sim.bots.define(BOT_ID, {
			chat: () => ({
				before: [
					{ type: 'function_call', content: '{"name":"search","arguments":{"q":"天气"}}' },
					{ type: 'tool_response', content: '{"content_type":1,"response_for_model":"晴"}' },
					{ type: 'knowledge', content: 'a recalled passage' },
					{ type: 'function_call', content: '{"name":"search","arguments":{"q":"明天"}}' },
				],
				answers: [['晴']],
			}),
		});
		const run = await runBot(sim);
		const messages = run.messages[0].messages as Record<string, Array<{ content: string }>>;
		expect(Object.keys(messages)).toEqual([
			'function_call',
			'tool_response',
			'knowledge',
			'answer',
			'verbose',
		]);
		expect(messages.function_call.map((message) => message.content)).toEqual([
			'{"name":"search","arguments":{"q":"天气"}}',
			'{"name":"search","arguments":{"q":"明天"}}',
		]);
		expect(run.messages[0].answer).toBe('晴');
	});
});

describe('the shapes of requires_action (cloud)', () => {
	let sim: CozeSimulator;
	beforeAll(() => useBinaryMode('memory'));
	beforeEach(async () => {
		forgetConversationsOfThisProcess();
		sim = await CozeSimulator.start({ flavour: 'cloud' });
	});
	afterEach(() => stopSimulator(sim));

	const ids = {
		botId: BOT_ID,
		conversationId: '7460000000000000401',
		chatId: '7460000000000000402',
	};
	const submits = () => sim.requests.filter((r) => r.path === '/v3/chat/submit_tool_outputs');

	it.each([
		['text that is not JSON', '{city: Hangzhou', /call_1 \(get_weather\) as text that is not JSON/],
		[
			'JSON nested deeper than 128 levels',
			`${'['.repeat(200)}${']'.repeat(200)}`,
			/call_1 \(get_weather\) as JSON nested deeper than 128 levels/,
		],
	])(
		'arguments as %s fail the item naming the call, the messages so far kept, no interrupt',
		async (_name, args, message) => {
			sim.bots.define(BOT_ID, {
				chat: () => ({
					answers: [['Let me check. ']],
					toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: args }],
				}),
			});
			const run = await runBot(sim, { onError: 'continueRegularOutput' });
			expect(run.interrupts).toEqual([]);
			const [partial, error] = run.messages;
			expect(partial).toMatchObject({ answer: 'Let me check. ', status: 'failed' });
			expect(Object.keys(partial.messages as object)).toEqual(['answer', 'function_call']);
			expect(String(error.error)).toMatch(message);
			expect(submits()).toEqual([]);
		},
	);

	it('a tool call without an id fails the item: no output could be matched to it', async () => {
		const stream = new BotStream('cloud', ids)
			.started()
			.requiresAction([
				{ id: 'call_1', name: 'get_weather', arguments: { city: 'Hangzhou' } },
			]).events;
		const action = stream.find((event) => event.event === 'conversation.chat.requires_action')!;
		const call = (
			action.data as {
				required_action: { submit_tool_outputs: { tool_calls: Array<Record<string, unknown>> } };
			}
		).required_action.submit_tool_outputs.tool_calls[0];
		delete call.id;
		sim.bots.define(BOT_ID, { chat: () => ({ stream }) });
		const run = await runBot(sim);
		expect(run.error?.message).toBe('Coze asked for tool call 1 without an id to answer it by');
		expect(run.interrupts).toEqual([]);
	});

	it('an empty tool_calls list is no interrupt: the answer goes out of Messages', async () => {
		sim.bots.define(BOT_ID, { chat: () => ({ answers: [['Done.']], toolCalls: [] }) });
		const run = await runBot(sim);
		expect(run.error).toBeUndefined();
		expect(run.interrupts).toEqual([]);
		// Coze's status is kept as it said it (no evidence of this shape: no fixture has it).
		expect(run.messages).toEqual([
			expect.objectContaining({ answer: 'Done.', status: 'requires_action' }),
		]);
		expect(run.messages[0]).not.toHaveProperty('tool_calls');
	});

	it('two tool calls of one chat, one of them a reply_message, make one interrupt item with both; both outputs go back in one submit', async () => {
		sim.bots.define(BOT_ID, {
			chat: () => ({
				toolCalls: [
					{ id: 'call_a', name: 'get_weather', arguments: { city: '杭州' } },
					{ id: 'call_b', name: 'ask_user', type: 'reply_message', arguments: { q: 'Which day?' } },
				],
			}),
			afterTools: (outputs) => ({ answers: [[outputs.map((o) => o.output).join(' / ')]] }),
		});
		const asked = await runBot(sim);
		expect(asked.messages).toEqual([]);
		expect(asked.interrupts).toHaveLength(1);
		const [interrupt] = asked.interrupts;
		expect(interrupt.tool_calls).toEqual([
			{
				id: 'call_a',
				type: 'function',
				name: 'get_weather',
				args: { city: '杭州' },
				function: { name: 'get_weather', arguments: '{"city":"杭州"}' },
			},
			{
				id: 'call_b',
				type: 'reply_message',
				name: 'ask_user',
				args: { q: 'Which day?' },
				function: { name: 'ask_user', arguments: '{"q":"Which day?"}' },
			},
		]);
		const answered = await runBot(sim, {
			operation: 'submitToolOutputs',
			inputs: [interrupt],
			parameters: { toolOutputs: '{"call_a": "晴", "call_b": {"day": "tomorrow"}}' },
		});
		expect(answered.error).toBeUndefined();
		expect(submits()).toHaveLength(1);
		expect(JSON.parse(submits()[0].body!)).toEqual({
			tool_outputs: [
				{ tool_call_id: 'call_a', output: '晴' },
				{ tool_call_id: 'call_b', output: '{"day":"tomorrow"}' },
			],
			stream: true,
		});
		expect(answered.messages[0]).toMatchObject({
			answer: '晴 / {"day":"tomorrow"}',
			conversation_id: interrupt.conversation_id,
			chat_id: interrupt.chat_id,
		});
	});
});

describe("Bot → Chat as an AI Agent's tool", () => {
	let sim: CozeSimulator;
	beforeAll(() => useBinaryMode('memory'));
	beforeEach(async () => {
		forgetConversationsOfThisProcess();
		sim = await CozeSimulator.start({ flavour: 'cloud' });
	});
	afterEach(() => stopSimulator(sim));

	it('hands the tool calls to the agent on output 0, status interrupted, with the next step', async () => {
		sim.bots.define(BOT_ID, {
			chat: () => ({
				toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: { city: '杭州' } }],
			}),
		});
		const run = await runBot(sim, { asTool: true });
		expect(run.error).toBeUndefined();
		expect(run.interrupts).toEqual([]);
		expect(run.messages).toEqual([
			expect.objectContaining({
				status: 'interrupted',
				next_step: TOOL_CALLS_NEXT_STEP,
				bot_id: BOT_ID,
				tool_calls: [
					expect.objectContaining({ id: 'call_1', name: 'get_weather', args: { city: '杭州' } }),
				],
			}),
		]);
		const [item] = run.messages;
		expect(item.conversation_id).toMatch(/^\d{19}$/);
		expect(item.chat_id).toMatch(/^\d{19}$/);
	});

	it('answers a failure with an error item the model can read, and an answer as its item', async () => {
		sim.bots.define(BOT_ID, {
			chat: (turn) =>
				turn.message === 'fail'
					? { error: { code: 4011, msg: 'balance exhausted' } }
					: { answers: [['晴']] },
		});
		const run = await runBot(sim, {
			asTool: true,
			inputs: [{ chatInput: 'fail' }, { chatInput: 'weather?' }],
		});
		expect(run.run.run.status).toBe('success');
		expect(run.messages).toEqual([
			expect.objectContaining({ error: 'The Coze bot failed with error 4011: balance exhausted' }),
			expect.objectContaining({ answer: '晴', status: 'completed' }),
		]);
	});
});

describe('items at once (cloud)', () => {
	let sim: CozeSimulator;
	beforeAll(() => useBinaryMode('memory'));
	beforeEach(async () => {
		forgetConversationsOfThisProcess();
		sim = await CozeSimulator.start({ flavour: 'cloud' });
	});
	afterEach(() => stopSimulator(sim));

	it('two messages of one new session at once share one conversation, made once, and take turns in it', async () => {
		sim.bots.define(BOT_ID, {
			chat: (turn) => ({
				answers: [[`${turn.message}: `, `${turn.history.length} before`]],
				shape: { delayMs: 30 },
			}),
		});
		const staticData: IDataObject = {};
		const run = await runBot(
			sim,
			{
				inputs: [
					{ sessionId: 'new-session', chatInput: 'one' },
					{ sessionId: 'new-session', chatInput: 'two' },
				],
				parameters: { conversation: 'session' },
				requestOptions: { concurrency: 2 },
			},
			{ staticData },
		);
		expect(run.error).toBeUndefined();
		expect(sim.requests.filter((r) => r.path === '/v1/conversation/create')).toHaveLength(1);
		expect(run.messages).toHaveLength(2);
		const [one, two] = run.messages;
		expect(two.conversation_id).toBe(one.conversation_id);
		// One chat at a time in a conversation (chat_v3.md, 4016): the second waited for the first.
		expect([one.answer, two.answer].sort()).toEqual(['one: 0 before', 'two: 2 before']);
		expect(Object.values(staticData.node ?? staticData)).not.toEqual([]);
	});

	it('Continue on Fail: one failed item among three, the other two answered, in input order', async () => {
		sim.bots.define(BOT_ID, {
			chat: (turn) =>
				turn.message === 'two'
					? { answers: [['half ']], fails: { code: 5000, msg: 'event interval error' } }
					: { answers: [[`answer to ${turn.message}`]], shape: { delayMs: 10 } },
		});
		const run = await runBot(sim, {
			inputs: [{ chatInput: 'one' }, { chatInput: 'two' }, { chatInput: 'three' }],
			onError: 'continueRegularOutput',
			requestOptions: { concurrency: 3 },
		});
		expect(run.messages.map((item) => item.answer ?? item.error)).toEqual([
			'answer to one',
			'half ',
			'The Coze chat failed with error 5000: event interval error',
			'answer to three',
		]);
		expect(run.run.output('Coze').map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
			{ item: 1 },
			{ item: 2 },
		]);
	});
});

export type { IDataObject };
