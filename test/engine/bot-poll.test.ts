// Bot → Chat and Bot → Submit Tool Outputs with Response Mode "Poll Until Done", through n8n's
// engine (WorkflowExecute): the chat is started without a stream, followed by GET
// /v3/chat/retrieve every Poll Interval and read by GET /v3/chat/message/list, against the
// simulator's bots in the cloud's and Coze Studio's shapes (test/simulator/bot-polled.ts).
import type { IncomingMessage, ServerResponse } from 'node:http';

import type { IDataObject, INodeParameters, StructuredChunk } from 'n8n-workflow';

import { forgetConversationsOfThisProcess } from '../../nodes/Coze/testing';
import type { SimBot } from '../simulator/bots';
import { refuseForPermission } from '../simulator/permissions';
import { CozeSimulator } from '../simulator/server';
import { stopSimulator } from '../simulator/stop';
import { COZE_TYPE, cozeCredentials, runWorkflow, useBinaryMode, type TestNode } from './harness';
import { BOT_ID as BOT, botGraph } from './bot-graph';

const POLL: INodeParameters = { responseMode: 'poll', pollIntervalSeconds: 1 };

/** A bot that uses a plugin, thinks, answers twice and suggests follow-ups. */
const chattyBot: SimBot = {
	chat: () => ({
		before: [{ type: 'tool_response', content: '{"temp": 21}' }],
		reasoning: ['先看', '天气'],
		answers: [['It is ', '21 °C.'], ['Anything else?']],
		followUps: ['明天呢？', 'And Shanghai?'],
		polls: 2,
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

/** A chat's graph as these tests use it: Options as given (Poll Until Done by default), one session, the Interrupts answered and submitted when `submit` is given. */
function pollGraph(
	sim: CozeSimulator,
	options: INodeParameters = POLL,
	extra: {
		onError?: TestNode['onError'];
		submit?: INodeParameters;
		requestOptions?: INodeParameters;
		inputs?: object[];
	} = {},
) {
	return botGraph(sim, {
		inputs: extra.inputs ?? [{ sessionId: 'session-a', chatInput: 'Hangzhou' }],
		parameters: { conversation: 'session', options },
		onError: extra.onError,
		requestOptions: extra.requestOptions,
		submit: extra.submit,
	});
}

/** The bot chat requests in order, as "METHOD path". */
const botTraffic = (sim: CozeSimulator) =>
	sim.requests
		.filter((request) => request.path.startsWith('/v3/'))
		.map((request) => `${request.method} ${request.path}`);

/** A copy of `entry` without its id. */
function idless(entry: IDataObject): IDataObject {
	const copy = { ...entry };
	delete copy.id;
	return copy;
}

/** An item without what differs between two chats: their ids, and each message's and tool call's id. */
function withoutIds(json: IDataObject): IDataObject {
	const messages: IDataObject = {};
	for (const [type, group] of Object.entries(json.messages as IDataObject))
		messages[type] = (group as IDataObject[]).map(idless);
	return {
		...json,
		...(json.tool_calls
			? {
					tool_calls: (json.tool_calls as IDataObject[]).map(idless),
				}
			: {}),
		conversation_id: typeof json.conversation_id,
		chat_id: typeof json.chat_id,
		section_id: typeof json.section_id,
		messages,
	};
}

/** The description of an error item (Continue on Fail). */
const descriptionOf = (json: IDataObject) => (json.details as IDataObject).description;

/** The connection drops once the request has arrived whole. */
async function resetAfterBody(
	req: IncomingMessage,
	_res: ServerResponse,
	body: () => Promise<string>,
): Promise<void> {
	await body();
	req.socket.resetAndDestroy();
}

describe.each(['cloud', 'studio'] as const)('Bot → Chat, Poll Until Done (%s)', (flavour) => {
	let sim: CozeSimulator;
	beforeAll(() => useBinaryMode('memory'));
	beforeEach(async () => {
		forgetConversationsOfThisProcess();
		sim = await CozeSimulator.start({ flavour });
		sim.bots.define(BOT, chattyBot);
	});
	afterEach(() => stopSimulator(sim));

	it('gives the item the stream gives: answer, ids, bot_id, status, follow-ups, messages by type, reasoning, usage', async () => {
		const streamed = await runWorkflow(pollGraph(sim, {}));
		expect(streamed.nodeError('Coze')).toBeUndefined();
		sim.requests.length = 0;
		const polled = await runWorkflow(pollGraph(sim));
		expect(polled.nodeError('Coze')).toBeUndefined();
		const [item] = polled.output('Coze', 0).map((entry) => entry.json);
		expect(withoutIds(item)).toEqual(withoutIds(streamed.output('Coze', 0)[0].json));
		expect(item).toMatchObject({
			answer: 'It is 21 °C.\n\nAnything else?',
			bot_id: BOT,
			status: 'completed',
			follow_ups: ['明天呢？', 'And Shanghai?'],
			reasoning_content: '先看天气',
			usage: { token_count: 633, output_count: 19, input_count: 614 },
		});
		expect(item.conversation_id).toMatch(/^\d{19}$/);
		expect(item.chat_id).toMatch(/^\d{19}$/);
		expect(item.messages).not.toHaveProperty('question');
		// Started once without a stream, asked every Poll Interval while under way (twice), then read.
		expect(botTraffic(sim)).toEqual([
			'POST /v3/chat',
			'GET /v3/chat/retrieve',
			'GET /v3/chat/retrieve',
			'GET /v3/chat/retrieve',
			'GET /v3/chat/message/list',
		]);
		expect(sim.bodiesOf('/v3/chat')[0]).toMatchObject({ bot_id: BOT, stream: false });
		for (const request of sim.requests.filter(
			(r) => r.path !== '/v3/chat' && r.path.startsWith('/v3/'),
		)) {
			const query = new URLSearchParams(request.query);
			expect(query.get('conversation_id')).toBe(item.conversation_id);
			expect(query.get('chat_id')).toBe(item.chat_id);
		}
		expect(JSON.stringify(polled.run)).not.toContain(sim.token);
	});

	it('asks again every Poll Interval, as many times as the chat is under way', async () => {
		sim.bots.define(BOT, { chat: () => ({ answers: [['ok']], polls: 3 }) });
		const run = await runWorkflow(pollGraph(sim));
		expect(run.output('Coze', 0)[0].json.answer).toBe('ok');
		const retrieves = sim.requests.filter((r) => r.path === '/v3/chat/retrieve');
		expect(retrieves).toHaveLength(4);
		for (const [i, request] of retrieves.entries()) {
			const previous =
				i === 0 ? sim.requests.find((r) => r.path === '/v3/chat')! : retrieves[i - 1];
			// Spaced by the interval (1 s), give or take the timer's slack.
			expect(request.receivedAt - previous.receivedAt).toBeGreaterThanOrEqual(900);
		}
	});

	it('sends the whole answer once to a live chat, when the chat is done', async () => {
		const chunks: StructuredChunk[] = [];
		const run = await runWorkflow({
			...pollGraph(sim),
			mode: 'webhook',
			onChunk: (chunk) => chunks.push(chunk),
		});
		expect(run.nodeError('Coze')).toBeUndefined();
		expect(chunks.map((chunk) => [chunk.type, chunk.content])).toEqual([
			['begin', undefined],
			['item', 'It is 21 °C.\n\nAnything else?'],
			['end', undefined],
		]);
	});

	it('fails at Max Wait, naming it, and does not ask any more', async () => {
		sim.bots.define(BOT, { chat: () => ({ answers: [['late']], polls: 100 }) });
		// Once the chat has been asked about, every clock reading is 2 minutes on: Max Wait has passed.
		const realNow = Date.now.bind(Date);
		let ahead = 0;
		sim.observe({
			request: (request) => void (request.path === '/v3/chat/retrieve' && (ahead = 2 * 60_000)),
		});
		const now = jest.spyOn(Date, 'now').mockImplementation(() => realNow() + ahead);
		let run: Awaited<ReturnType<typeof runWorkflow>>;
		try {
			run = await runWorkflow(pollGraph(sim, { ...POLL, maxWaitMinutes: 1 }));
		} finally {
			now.mockRestore();
		}
		const error = run.nodeError('Coze')!;
		expect(error.message).toMatch(
			/^The Coze bot chat \d{19} was still answering after Max Wait \(1 minute\)$/,
		);
		expect(error.description).toMatch(/Raise Max Wait/);
		expect(error.description).toMatch(/may still be answering in Coze/);
		expect(sim.requests.filter((r) => r.path === '/v3/chat/retrieve')).toHaveLength(1);
		expect(sim.requests.filter((r) => r.path === '/v3/chat')).toHaveLength(1);
	});

	it('fails a chat that the bot fails, with its code and advice, keeping what it had answered', async () => {
		sim.bots.define(BOT, {
			chat: () => ({ answers: [['partial ']], fails: { code: 5000, msg: 'event interval error' } }),
		});
		const run = await runWorkflow(pollGraph(sim, POLL, { onError: 'continueRegularOutput' }));
		const [partial, error] = run.output('Coze', 0).map((item) => item.json);
		expect(partial).toMatchObject({ answer: 'partial ', status: 'failed', bot_id: BOT });
		expect(partial.messages).not.toHaveProperty('question');
		if (flavour === 'cloud') {
			expect(error.error).toBe('The Coze chat failed with error 5000: event interval error');
			expect(descriptionOf(error)).toMatch(/^Coze reported the chat as failed/);
		} else {
			// Studio's run record keeps no reason (openapi_agent_run.go RetrieveRunRecord).
			expect(error.error).toBe('The Coze chat failed, and Coze gave no reason');
			expect(descriptionOf(error)).toMatch(/Response Mode → Stream/);
		}
		expect(JSON.stringify(run.run)).not.toContain(sim.token);
	});

	it('fails a chat that was cancelled in Coze, saying so', async () => {
		sim.bots.define(BOT, { chat: () => ({ answers: [['half']], canceled: true }) });
		const run = await runWorkflow(pollGraph(sim));
		const error = run.nodeError('Coze')!;
		expect(error.message).toBe('The Coze chat was cancelled before it finished');
		expect(error.description).toMatch(/cancel/);
	});

	it('stops at once when the execution is stopped while it waits between polls', async () => {
		sim.bots.define(BOT, { chat: () => ({ answers: [['never']], polls: 100 }) });
		let cancel: () => void = () => undefined;
		let stoppedAt = 0;
		sim.observe({
			request: (request) => {
				if (request.path !== '/v3/chat') return;
				stoppedAt = Date.now();
				// Once the chat has started: the node is then waiting out its 5 s interval.
				setTimeout(() => cancel(), 100);
			},
		});
		const run = await runWorkflow({
			...pollGraph(sim, { ...POLL, pollIntervalSeconds: 5 }),
			onStart: (execution) => (cancel = execution.cancel),
		});
		expect(run.run.status).toBe('canceled');
		expect(Date.now() - stoppedAt).toBeLessThan(2000);
		expect(sim.requests.some((r) => r.path === '/v3/chat/retrieve')).toBe(false);
	});

	it('never sends the start twice: a connection broken once the request was sent fails the item', async () => {
		for (let i = 0; i < 4; i++) sim.override('/v3/chat', resetAfterBody);
		const run = await runWorkflow(pollGraph(sim));
		expect(sim.requests.filter((r) => r.path === '/v3/chat')).toHaveLength(1);
		const error = run.nodeError('Coze')!;
		expect(error.message).toBe(`The connection to Coze at ${sim.baseUrl} broke`);
		expect(error.description).toMatch(/may have started the chat/);
		expect(error.description).not.toMatch(/workflow/);
		expect(sim.requests.some((r) => r.path === '/v3/chat/retrieve')).toBe(false);
	});

	it('asks again when a poll breaks: asking is harmless', async () => {
		sim.override('/v3/chat/retrieve', resetAfterBody);
		const run = await runWorkflow(pollGraph(sim));
		expect(run.nodeError('Coze')).toBeUndefined();
		expect(run.output('Coze', 0)[0].json.answer).toBe('It is 21 °C.\n\nAnything else?');
		expect(sim.requests.filter((r) => r.path === '/v3/chat')).toHaveLength(1);
		expect(sim.requests.filter((r) => r.path === '/v3/chat/retrieve')).toHaveLength(4);
	});

	it('says what it was doing when Coze cannot find the chat it was following', async () => {
		sim.bots.define(BOT, { chat: () => ({ answers: [['lost']], forgotten: true }) });
		const run = await runWorkflow(pollGraph(sim, POLL, { requestOptions: { maxRetries: 0 } }));
		const error = run.nodeError('Coze')!;
		expect(error.message).toMatch(/^Coze could not say how the bot chat \d{19} is going: /);
		if (flavour === 'studio') {
			// Studio answers HTTP 500 with its Go error as plain text (agent_run_service.go RetrieveChatOpen).
			expect(error.message).toContain('record not found or nothing to update');
			expect(`${error.message} ${error.description}`).not.toContain('stack=');
			expect(error.description).not.toMatch(/Base URL/);
		} else expect(error.message).toContain('chat not found');
		expect(error.description).toMatch(/may still be answering in Coze/);
	});

	it("quotes a gateway's error page on a poll as what it is, not as Coze's", async () => {
		sim.override('/v3/chat/retrieve', async (_req, res) => {
			res.writeHead(502, { 'content-type': 'text/html' });
			res.end('<html><body><h1>502 Bad Gateway</h1></body></html>');
		});
		const run = await runWorkflow(pollGraph(sim, POLL, { requestOptions: { maxRetries: 0 } }));
		const error = run.nodeError('Coze')!;
		expect(error.message).toMatch(
			/^Coze could not say how the bot chat \d{19} is going: Coze answered HTTP 502 without a Coze error body$/,
		);
		expect(error.description).toMatch(/502 Bad Gateway/);
		expect(error.description).toMatch(/may still be answering in Coze/);
	});

	it('a bot that is not published fails the item with what to do, as the stream does', async () => {
		sim.bots.define(BOT, { ...chattyBot, published: false });
		const run = await runWorkflow(pollGraph(sim, POLL, { onError: 'continueRegularOutput' }));
		const [error] = run.output('Coze', 0).map((item) => item.json as IDataObject);
		expect(error.error).toMatch(flavour === 'cloud' ? /4015/ : /agent not published/);
		expect(JSON.stringify(error)).toMatch(/publish/i);
		expect(JSON.stringify(error)).not.toContain('stack=');
		expect(sim.requests.some((r) => r.path === '/v3/chat/retrieve')).toBe(false);
	});

	it('refuses Auto Save History off, before sending anything: Coze could not tell the answer', async () => {
		const run = await runWorkflow(pollGraph(sim, { ...POLL, autoSaveHistory: false }));
		const error = run.nodeError('Coze')!;
		expect(error.message).toBe('Poll Until Done needs Auto Save History on');
		expect(error.description).toMatch(/Response Mode → Stream/);
		expect(sim.requests.some((r) => r.path.startsWith('/v3/'))).toBe(false);
	});
});

describe('Bot tool calls with Poll Until Done (cloud)', () => {
	let sim: CozeSimulator;
	beforeAll(() => useBinaryMode('memory'));
	beforeEach(async () => {
		forgetConversationsOfThisProcess();
		sim = await CozeSimulator.start({ flavour: 'cloud' });
		sim.bots.define(BOT, weatherBot);
	});
	afterEach(() => stopSimulator(sim));

	it('hands the tool calls out of Interrupts as the stream does, and Submit Tool Outputs polled finishes the chat', async () => {
		const streamed = await runWorkflow(pollGraph(sim, {}));
		const streamedCall = streamed.output('Coze', 1)[0].json;
		sim.requests.length = 0;
		const run = await runWorkflow(pollGraph(sim, POLL, { submit: { options: POLL } }));
		expect(run.nodeError('Submit')).toBeUndefined();
		expect(run.output('Coze', 0)).toHaveLength(0);
		const [interrupt] = run.output('Coze', 1).map((item) => item.json);
		expect(withoutIds(interrupt)).toEqual(withoutIds(streamedCall));
		expect(interrupt).toMatchObject({
			status: 'requires_action',
			bot_id: BOT,
			tool_calls: [
				{
					type: 'function',
					name: 'get_weather',
					args: { city: 'Hangzhou', days: 1 },
					function: { name: 'get_weather', arguments: '{"city":"Hangzhou","days":1}' },
				},
			],
		});
		const callId = (interrupt.tool_calls as IDataObject[])[0].id;
		expect(sim.bodiesOf('/v3/chat/submit_tool_outputs')).toEqual([
			{ tool_outputs: [{ tool_call_id: callId, output: 'sunny in Hangzhou' }], stream: false },
		]);
		const submitQuery = new URLSearchParams(
			sim.requests.find((r) => r.path === '/v3/chat/submit_tool_outputs')!.query,
		);
		expect(submitQuery.get('chat_id')).toBe(interrupt.chat_id);
		const [answer] = run.output('Submit', 0).map((item) => item.json);
		expect(answer).toMatchObject({
			answer: 'The weather: sunny in Hangzhou',
			status: 'completed',
			conversation_id: interrupt.conversation_id,
			chat_id: interrupt.chat_id,
			bot_id: BOT,
			messages: { tool_response: [{ content: 'sunny in Hangzhou' }] },
		});
		// Polled, the list is the whole chat's: the call from before the submit is there too (README).
		expect(answer.messages).toHaveProperty('function_call');
		expect(botTraffic(sim)).toEqual([
			'POST /v3/chat',
			'GET /v3/chat/retrieve',
			'GET /v3/chat/retrieve',
			'GET /v3/chat/message/list',
			'POST /v3/chat/submit_tool_outputs',
			'GET /v3/chat/retrieve',
			'GET /v3/chat/retrieve',
			'GET /v3/chat/message/list',
		]);
	});

	it('never sends the tool outputs twice: a connection broken once they were sent fails the item', async () => {
		for (let i = 0; i < 4; i++) sim.override('/v3/chat/submit_tool_outputs', resetAfterBody);
		const run = await runWorkflow(pollGraph(sim, POLL, { submit: { options: POLL } }));
		expect(sim.requests.filter((r) => r.path === '/v3/chat/submit_tool_outputs')).toHaveLength(1);
		const error = run.nodeError('Submit')!;
		expect(error.message).toBe(`The connection to Coze at ${sim.baseUrl} broke`);
		expect(error.description).toMatch(/may have taken the tool outputs/);
	});
});

describe('Bot → Submit Tool Outputs with Poll Until Done on Coze Studio', () => {
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
							options: POLL,
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

describe('a missing permission (4101) on a bot chat is named by the endpoint refused', () => {
	let sim: CozeSimulator;
	beforeAll(() => useBinaryMode('memory'));
	beforeEach(async () => {
		forgetConversationsOfThisProcess();
		sim = await CozeSimulator.start({ flavour: 'cloud' });
		sim.bots.define(BOT, chattyBot);
	});
	afterEach(() => stopSimulator(sim));

	it.each([
		['Stream', {}],
		['Poll Until Done', POLL],
	])('/v3/chat needs chat (%s)', async (_mode, options) => {
		sim.bots.denyChat();
		const error = (await runWorkflow(pollGraph(sim, options))).nodeError('Coze')!;
		expect(error.message).toMatch(/^Coze error 4101/);
		expect(error.description).toContain('the chat permission');
	});

	it.each([
		['/v3/chat/retrieve', 'getChat'],
		['/v3/chat/message/list', 'listMessage'],
	])('%s needs %s', async (path, permission) => {
		for (let i = 0; i < 4; i++) sim.override(path, refuseForPermission);
		const error = (await runWorkflow(pollGraph(sim))).nodeError('Coze')!;
		expect(error.message).toMatch(/4101/);
		expect(error.description).toContain(`the ${permission} permission`);
		expect(error.description).toContain('Poll Until Done');
	});
});
