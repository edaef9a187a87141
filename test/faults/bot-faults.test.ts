// Bot → Chat and Bot → Submit Tool Outputs against a broken or refusing server: streams cut before
// their end, Coze's JSON error in place of the stream (HTTP 200 with a code, 4xx, 5xx, a gateway's
// page), chats answered already or expired. The run request policy applies (retry-rules.ts): a
// chat start or a submit Coze may have taken is never sent again; only a refusal that proves
// Coze took nothing (rate limited) is retried.
import type { IncomingMessage, ServerResponse } from 'node:http';

import { forgetConversationsOfThisProcess } from '../../nodes/Coze/testing';
import { BOT_ID, requestsTo, runBot, type BotGraphOptions } from '../engine/bot-graph';
import { useBinaryMode } from '../engine/harness';
import { BotStream } from '../simulator/bot-shapes';
import type { SimBot } from '../simulator/bots';
import { sendJson } from '../simulator/flavours';
import { refuseForPermission } from '../simulator/permissions';
import { CozeSimulator } from '../simulator/server';
import { stopSimulator } from '../simulator/stop';

const CHAT = '/v3/chat';
const SUBMIT = '/v3/chat/submit_tool_outputs';
const PIECES = ['first piece, ', 'second piece, ', 'third piece.'];

/** A bot whose local plugin must answer first; after it, the answer in three pieces. */
const weatherBot: SimBot = {
	chat: () => ({
		toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: { city: 'Hangzhou' } }],
	}),
	afterTools: () => ({ answers: [PIECES] }),
};

/** The byte offset just after the event that carries `text` (its blank line included). */
const afterEventWith = (text: string) => (body: Buffer) =>
	body.indexOf('\n\n', body.indexOf(Buffer.from(text))) + 2;

/** Answers one request with `status` and a JSON body, as Coze's envelope comes. */
const jsonAnswer =
	(status: number, body: unknown, contentType = 'application/json; charset=utf-8') =>
	async (_req: IncomingMessage, res: ServerResponse, readBody: () => Promise<string>) => {
		await readBody();
		if (contentType.startsWith('application/json')) return sendJson(res, 'cloud', status, body);
		res.writeHead(status, { 'content-type': contentType });
		res.end(JSON.stringify(body));
	};

/** A gateway's page in front of Coze, after it has read the whole request. */
const gatewayPage =
	(status: number) =>
	async (_req: IncomingMessage, res: ServerResponse, readBody: () => Promise<string>) => {
		await readBody();
		res.writeHead(status, { 'content-type': 'text/html' });
		res.end(`<html><body><h1>${status} Bad Gateway</h1><hr>Tengine</body></html>`);
	};

/** Submit Tool Outputs wired by hand to a waiting chat. */
const submitOf = (conversationId: string, chatId: string): BotGraphOptions => ({
	operation: 'submitToolOutputs',
	inputs: [{}],
	parameters: {
		conversationId,
		chatId,
		toolOutputs: JSON.stringify([{ tool_call_id: 'call_1', output: 'sunny' }]),
	},
});

/** What a failed item says, all its text together. */
const textOf = (run: { error?: { message: string; description?: string | null } }) =>
	`${run.error?.message}\n${run.error?.description}`;

describe.each(['cloud', 'studio'] as const)(
	'a bot chat stream cut before its end (%s)',
	(flavour) => {
		let sim: CozeSimulator;
		beforeAll(() => useBinaryMode('memory'));
		beforeEach(async () => {
			forgetConversationsOfThisProcess();
			sim = await CozeSimulator.start({ flavour });
		});
		afterEach(() => stopSimulator(sim));

		const cutAfterSecondPiece: SimBot = {
			chat: () => ({
				answers: [PIECES],
				shape: { cutAfterBytes: afterEventWith('second piece, ') },
			}),
		};
		const endedAfterSecondPiece: SimBot = {
			// The body ends, cleanly for HTTP, after the second piece: no done, no chat.completed.
			chat: () => ({
				stream: new BotStream(flavour, {
					botId: BOT_ID,
					conversationId: '7460000000000000201',
					chatId: '7460000000000000202',
				})
					.started()
					.answer(PIECES)
					.events.slice(0, 4),
			}),
		};

		it.each([
			['the connection is cut', cutAfterSecondPiece],
			['the server ends the body', endedAfterSecondPiece],
		])(
			'%s after two pieces: the bot may still be answering, the answer so far is kept with Continue on Fail, /v3/chat is sent once',
			async (_name, bot) => {
				sim.bots.define(BOT_ID, bot);
				const kept = await runBot(sim, { onError: 'continueRegularOutput' });
				expect(requestsTo(sim, CHAT)).toBe(1);
				expect(kept.messages).toHaveLength(2);
				const [partial, error] = kept.messages;
				expect(partial).toMatchObject({
					answer: 'first piece, second piece, ',
					status: 'failed',
					bot_id: BOT_ID,
				});
				expect(JSON.stringify(error)).toMatch(/bot may still be answering/);
				expect(kept.liveText).toMatch(/^first piece, second piece, \n\n⚠️ /);

				const stopped = await runBot(sim);
				expect(requestsTo(sim, CHAT)).toBe(2);
				expect(stopped.error?.message).toMatch(/chat/);
				expect(textOf(stopped)).toMatch(/bot may still be answering/);
				expect(textOf(stopped)).not.toMatch(/workflow/i);
			},
		);
	},
);

describe('a bot chat stream that goes silent (cloud)', () => {
	let sim: CozeSimulator;
	beforeAll(() => useBinaryMode('memory'));
	beforeEach(async () => {
		forgetConversationsOfThisProcess();
		sim = await CozeSimulator.start({ flavour: 'cloud' });
	});
	afterEach(() => stopSimulator(sim));

	it('after its first piece: Idle Timeout ends it, saying the bot may still be answering, sent once', async () => {
		// The rest never comes: the server holds the connection after the first piece.
		sim.bots.define(BOT_ID, {
			chat: () => ({
				stream: new BotStream('cloud', {
					botId: BOT_ID,
					conversationId: '7460000000000000501',
					chatId: '7460000000000000502',
				})
					.started()
					.answer(PIECES)
					.events.slice(0, 3),
				shape: { holdOpen: true },
			}),
		});
		const run = await runBot(sim, {
			onError: 'continueRegularOutput',
			requestOptions: { idleTimeoutSeconds: 1 },
		});
		expect(requestsTo(sim, CHAT)).toBe(1);
		const [partial, error] = run.messages;
		expect(partial).toMatchObject({ answer: 'first piece, ', status: 'failed' });
		expect(error.error).toBe('Coze sent nothing for 1 s (Idle Timeout)');
		expect(JSON.stringify(error)).toMatch(/bot may still be answering/);
		expect(JSON.stringify(error)).not.toMatch(/workflow/i);
	});
});

describe('Submit Tool Outputs: its stream cut before its end (cloud)', () => {
	let sim: CozeSimulator;
	beforeAll(() => useBinaryMode('memory'));
	beforeEach(async () => {
		forgetConversationsOfThisProcess();
		sim = await CozeSimulator.start({ flavour: 'cloud' });
	});
	afterEach(() => stopSimulator(sim));

	it('the bot may still be answering, the answer so far is kept, the outputs are sent once', async () => {
		sim.bots.define(BOT_ID, {
			...weatherBot,
			afterTools: () => ({
				answers: [PIECES],
				shape: { cutAfterBytes: afterEventWith('second piece, ') },
			}),
		});
		const asked = await runBot(sim);
		const [interrupt] = asked.interrupts;
		const submitted = await runBot(sim, {
			...submitOf(String(interrupt.conversation_id), String(interrupt.chat_id)),
			onError: 'continueRegularOutput',
		});
		expect(requestsTo(sim, SUBMIT)).toBe(1);
		const [partial, error] = submitted.messages;
		expect(partial).toMatchObject({ answer: 'first piece, second piece, ', status: 'failed' });
		expect(JSON.stringify(error)).toMatch(/bot may still be answering/);
		expect(JSON.stringify(error)).not.toMatch(/workflow/i);
	});
});

describe('Coze refuses the bot chat with its JSON error in place of the stream (cloud)', () => {
	let sim: CozeSimulator;
	beforeAll(() => useBinaryMode('memory'));
	beforeEach(async () => {
		forgetConversationsOfThisProcess();
		sim = await CozeSimulator.start({ flavour: 'cloud' });
		sim.bots.define(BOT_ID, { chat: () => ({ answers: [PIECES] }) });
	});
	afterEach(() => stopSimulator(sim));

	// Codes and their advice: bot-errors.ts. 4015's text is a third-party README's quote; 4016's
	// text is in no fixture (no evidence); 4101 as simulator/permissions.ts sends it.
	it.each([
		[
			'4015 (HTTP 200): not published to the API channel',
			jsonAnswer(200, {
				code: 4015,
				msg: 'The bot_id has not been published to the channel Agent As API',
			}),
			/error 4015/,
			/publish the bot and tick \\"API\\"/,
		],
		[
			'4016 (HTTP 200): another chat of the conversation is answering',
			jsonAnswer(200, { code: 4016, msg: 'conversation is occupied by another chat' }),
			/error 4016/,
			/one chat at a time in a conversation/,
		],
		['4101 (HTTP 403): no permission', refuseForPermission, /4101/, /permission/i],
		[
			'4101 as the body of an event-stream answer (coze-js fetcher)',
			jsonAnswer(200, { code: 4101, msg: 'no permission' }, 'text/event-stream'),
			/4101/,
			/permission/i,
		],
		[
			'4000 (HTTP 400): a bad request',
			jsonAnswer(400, { code: 4000, msg: 'invalid parameter user_id' }),
			/error 4000/,
			/./,
		],
	])('%s: the error explains it, sent once', async (_name, refusal, message, advice) => {
		sim.override(CHAT, refusal);
		const run = await runBot(sim, {
			onError: 'continueRegularOutput',
			inputs: [{ chatInput: 'refused' }, { chatInput: 'answered' }],
		});
		expect(run.messages.map((item) => item.answer ?? item.error)).toEqual([
			expect.stringMatching(message),
			PIECES.join(''),
		]);
		expect(JSON.stringify(run.messages[0])).toMatch(advice);
		expect(requestsTo(sim, CHAT)).toBe(2);
	});

	it.each([
		['HTTP 500 with a Coze error body', jsonAnswer(500, { code: 5000, msg: 'internal error' })],
		['HTTP 502 from a gateway', gatewayPage(502)],
		['HTTP 504 from a gateway', gatewayPage(504)],
	])(
		'%s is not sent again: Coze may have started the chat (retry-rules.ts startsRun)',
		async (_name, refusal) => {
			for (let i = 0; i < 4; i++) sim.override(CHAT, refusal);
			const run = await runBot(sim);
			expect(requestsTo(sim, CHAT)).toBe(1);
			expect(textOf(run)).toMatch(/may have started the chat/);
			expect(textOf(run)).not.toMatch(/workflow/i);
		},
	);

	it('rate limited (HTTP 429, code 4013) is sent again: Coze took nothing', async () => {
		sim.override(CHAT, async (_req, res, body) => {
			await body();
			res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '0' });
			res.end(JSON.stringify({ code: 4013, msg: 'rate limited' }));
		});
		sim.override(CHAT, jsonAnswer(200, { code: 4013, msg: 'rate limited' }));
		const run = await runBot(sim);
		expect(run.error).toBeUndefined();
		expect(run.messages.map((item) => item.answer)).toEqual([PIECES.join('')]);
		expect(requestsTo(sim, CHAT)).toBe(3);
	});

	it('a submit answered 502 by a gateway is not sent again', async () => {
		sim.bots.define(BOT_ID, weatherBot);
		const asked = await runBot(sim);
		const [interrupt] = asked.interrupts;
		for (let i = 0; i < 4; i++) sim.override(SUBMIT, gatewayPage(502));
		const run = await runBot(
			sim,
			submitOf(String(interrupt.conversation_id), String(interrupt.chat_id)),
		);
		expect(requestsTo(sim, SUBMIT)).toBe(1);
		expect(textOf(run)).toMatch(/may have taken the tool outputs/);
		expect(textOf(run)).not.toMatch(/workflow|refused the tool outputs/i);
	});
});

describe('a submit to a chat that no longer waits (cloud)', () => {
	let sim: CozeSimulator;
	beforeAll(() => useBinaryMode('memory'));
	beforeEach(async () => {
		forgetConversationsOfThisProcess();
		sim = await CozeSimulator.start({ flavour: 'cloud' });
		sim.bots.define(BOT_ID, weatherBot);
	});
	afterEach(() => stopSimulator(sim));

	it('answered already: a clear error naming the cause, the second submit sent once', async () => {
		const [interrupt] = (await runBot(sim)).interrupts;
		const ids = [String(interrupt.conversation_id), String(interrupt.chat_id)] as const;
		const first = await runBot(sim, submitOf(...ids));
		expect(first.messages.map((item) => item.answer)).toEqual([PIECES.join('')]);
		const second = await runBot(sim, submitOf(...ids));
		expect(requestsTo(sim, SUBMIT)).toBe(2);
		expect(second.error?.message).toMatch(/chat is not in requires_action status/);
		expect(second.error?.description).toMatch(/answered already/);
	});

	it('started without Auto Save History: 5000 with what to do, sent once', async () => {
		const [interrupt] = (await runBot(sim, { parameters: { options: { autoSaveHistory: false } } }))
			.interrupts;
		const run = await runBot(
			sim,
			submitOf(String(interrupt.conversation_id), String(interrupt.chat_id)),
		);
		expect(requestsTo(sim, SUBMIT)).toBe(1);
		expect(run.error?.message).toMatch(/error 5000/);
		expect(run.error?.description).toMatch(/Auto Save History on/);
	});

	it('expired: a clear error naming the cause, sent once', async () => {
		const [interrupt] = (await runBot(sim)).interrupts;
		sim.bots.expire(String(interrupt.conversation_id), String(interrupt.chat_id));
		const run = await runBot(
			sim,
			submitOf(String(interrupt.conversation_id), String(interrupt.chat_id)),
		);
		expect(requestsTo(sim, SUBMIT)).toBe(1);
		expect(run.error?.message).toMatch(/chat not found or expired/);
		expect(run.error?.description).toMatch(/expired/);
		expect(run.error?.description).toMatch(/send the message again/);
	});
});
