// A bot's server that echoes the credential's token: in an answer split across deltas and across
// network chunks, in a tool call's arguments, in a bot name quoted by an error. No piece of it may
// reach an item, an error, n8n's live chat or the workflow's static data. And names that come from
// Coze or the user (a session id, a tool's name, a tool_call_id, a message type) such as
// "__proto__" or "constructor" are data like any other. No real server is known to echo the
// token: these shapes are hostile by design (the real ones: test/simulator/bot-shapes.ts).
import type { IDataObject } from 'n8n-workflow';

import { forgetConversationsOfThisProcess } from '../../nodes/Coze/testing';
import { BOT_ID, runBot, type BotGraphOptions, type BotRun } from '../engine/bot-graph';
import { useBinaryMode } from '../engine/harness';
import { sendJson } from '../simulator/flavours';
import { CozeSimulator } from '../simulator/server';
import { stopSimulator } from '../simulator/stop';

/** No 8 characters in a row of the secret anywhere: not whole, and no half left by a cut either. */
function piecesOf(secret: string, text: string): string[] {
	const found: string[] = [];
	for (let start = 0; start + 8 <= secret.length; start++)
		if (text.includes(secret.slice(start, start + 8))) found.push(secret.slice(start, start + 8));
	return found;
}

/** Everything a run kept of the Coze node: its items and error, the live chat's chunks, static data. */
function everythingOf(run: BotRun, staticData: IDataObject): string {
	const { runData, error } = run.run.run.data.resultData;
	return [
		JSON.stringify([runData.Coze, error], (key, value: unknown) =>
			key === 'node' ? undefined : value,
		),
		run.error?.message,
		run.error?.description,
		JSON.stringify(run.chunks),
		JSON.stringify(staticData),
	].join('\n');
}

const inSession = (sessionId = 'session-a'): BotGraphOptions => ({
	inputs: [{ sessionId, chatInput: 'hi' }],
	parameters: { conversation: 'session' },
});

describe.each(['stopWorkflow', 'continueRegularOutput'] as const)(
	'the token echoed by a bot never shows (On Error: %s)',
	(onError) => {
		let sim: CozeSimulator;
		beforeAll(() => useBinaryMode('memory'));
		beforeEach(async () => {
			forgetConversationsOfThisProcess();
			sim = await CozeSimulator.start({ flavour: 'cloud' });
		});
		afterEach(() => stopSimulator(sim));

		it('in the answer, split across two deltas and across network chunks', async () => {
			const token = sim.token;
			const half = Math.floor(token.length / 2);
			sim.bots.define(BOT_ID, {
				chat: () => ({
					answers: [['Your key: ', token.slice(0, half), `${token.slice(half)} — keep it safe.`]],
					shape: {
						// Each write ends inside the token: the secret is never whole in one chunk.
						splitAt: (body) => {
							const at = body.indexOf(Buffer.from(token.slice(0, 6)));
							return [at + 3, at + 5];
						},
						delayMs: 5,
					},
				}),
			});
			const staticData: IDataObject = {};
			const run = await runBot(sim, { ...inSession(), onError }, { staticData });
			expect(run.error).toBeUndefined();
			expect(run.messages[0].answer).toBe('Your key: [redacted] — keep it safe.');
			expect(run.liveText).toBe('Your key: [redacted] — keep it safe.');
			expect(Object.keys(staticData)).not.toEqual([]);
			expect(piecesOf(token, everythingOf(run, staticData))).toEqual([]);
		});

		it("in a tool call's arguments, handed out of Interrupts", async () => {
			sim.bots.define(BOT_ID, {
				chat: () => ({
					toolCalls: [{ id: 'call_1', name: 'login', arguments: { key: sim.token, n: 1 } }],
				}),
			});
			const staticData: IDataObject = {};
			const run = await runBot(sim, { ...inSession(), onError }, { staticData });
			expect(run.interrupts).toHaveLength(1);
			const [call] = run.interrupts[0].tool_calls as Array<{ args: object }>;
			expect(call.args).toEqual({ key: '[redacted]', n: 1 });
			expect(piecesOf(sim.token, everythingOf(run, staticData))).toEqual([]);
		});

		it("in arguments that are not JSON, the token across the error's 300-character cut", async () => {
			const lead = '{"key": "'.length;
			const args = `{"key": "${'y'.repeat(300 - 20 - lead)}${sim.token}`;
			sim.bots.define(BOT_ID, {
				chat: () => ({ toolCalls: [{ id: 'call_1', name: 'login', arguments: args }] }),
			});
			const staticData: IDataObject = {};
			const run = await runBot(sim, { ...inSession(), onError }, { staticData });
			expect(everythingOf(run, staticData)).toMatch(/as text that is not JSON/);
			expect(piecesOf(sim.token, everythingOf(run, staticData))).toEqual([]);
		});

		it.each([
			[
				'a refusal (HTTP 200, 4015)',
				(token: string) => (sim: CozeSimulator) =>
					sim.override('/v3/chat', async (_req, res, body) => {
						await body();
						sendJson(res, 'cloud', 200, {
							code: 4015,
							msg: `The bot "${token}" has not been published to the channel Agent As API`,
						});
					}),
			],
			[
				'an error event part-way',
				(token: string) => (sim: CozeSimulator) =>
					sim.bots.define(BOT_ID, {
						chat: () => ({
							answers: [['so far']],
							error: { code: 4015, msg: `bot ${token} is not published` },
						}),
					}),
			],
			[
				'chat.failed',
				(token: string) => (sim: CozeSimulator) =>
					sim.bots.define(BOT_ID, {
						chat: () => ({
							answers: [['so far']],
							fails: { code: 5000, msg: `bot ${token} crashed` },
						}),
					}),
			],
		])('in a bot name quoted by %s', async (_name, setUp) => {
			sim.bots.define(BOT_ID, { chat: () => ({ answers: [['unused']] }) });
			setUp(sim.token)(sim);
			const staticData: IDataObject = {};
			const run = await runBot(sim, { ...inSession(), onError }, { staticData });
			const everything = everythingOf(run, staticData);
			expect(everything).toContain('[redacted]');
			// The live chat got the failure too, and no piece of the token with it.
			expect(run.liveText).toMatch(/⚠️/);
			expect(piecesOf(sim.token, everything)).toEqual([]);
		});
	},
);

describe('names from Coze or the user are data: __proto__, constructor', () => {
	let sim: CozeSimulator;
	beforeAll(() => useBinaryMode('memory'));
	beforeEach(async () => {
		forgetConversationsOfThisProcess();
		sim = await CozeSimulator.start({ flavour: 'cloud' });
	});
	afterEach(() => stopSimulator(sim));

	it.each(['__proto__', 'constructor'])(
		'a session named %s keeps its own conversation across executions',
		async (sessionId) => {
			sim.bots.define(BOT_ID, {
				chat: (turn) => ({ answers: [[`${turn.history.length} before`]] }),
			});
			const staticData: IDataObject = {};
			const first = await runBot(sim, inSession(sessionId), { staticData });
			const second = await runBot(sim, inSession(sessionId), { staticData });
			const other = await runBot(sim, inSession('someone-else'), { staticData });
			expect(first.error).toBeUndefined();
			expect(second.messages[0]).toMatchObject({
				conversation_id: first.messages[0].conversation_id,
				answer: '2 before',
			});
			expect(other.messages[0].conversation_id).not.toBe(first.messages[0].conversation_id);
			expect(sim.requests.filter((r) => r.path === '/v1/conversation/create')).toHaveLength(2);
		},
	);

	it('a tool named __proto__ with tool_call_id __proto__ and one with constructor: handed out, and Tool Outputs as an object {"__proto__": …} sends tool_call_id "__proto__"', async () => {
		sim.bots.define(BOT_ID, {
			chat: () => ({
				before: [{ type: '__proto__', content: 'a message of an odd type' }],
				toolCalls: [
					{
						id: '__proto__',
						name: '__proto__',
						arguments: '{"__proto__": {"polluted": true}, "constructor": 1}',
					},
					{ id: 'constructor', name: 'constructor', arguments: '{"toString": "y"}' },
				],
			}),
			afterTools: (outputs) => ({
				answers: [[outputs.map((o) => `${o.tool_call_id}=${o.output}`).join(', ')]],
			}),
		});
		const asked = await runBot(sim);
		expect(asked.error).toBeUndefined();
		const [interrupt] = asked.interrupts;
		const calls = interrupt.tool_calls as Array<{ id: string; name: string; args: object }>;
		expect(calls.map((call) => [call.id, call.name])).toEqual([
			['__proto__', '__proto__'],
			['constructor', 'constructor'],
		]);
		expect(Object.getOwnPropertyNames(calls[0].args).sort()).toEqual(['__proto__', 'constructor']);
		expect(Object.getPrototypeOf(calls[0].args)).toBe(Object.prototype);
		expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
		expect(Object.keys(interrupt.messages as object)).toContain('__proto__');

		const answered = await runBot(sim, {
			operation: 'submitToolOutputs',
			inputs: [interrupt],
			parameters: { toolOutputs: '{"__proto__": "x", "constructor": "y"}' },
		});
		expect(answered.error).toBeUndefined();
		const [body] = sim.bodiesOf('/v3/chat/submit_tool_outputs');
		expect(body.tool_outputs).toEqual([
			{ tool_call_id: '__proto__', output: 'x' },
			{ tool_call_id: 'constructor', output: 'y' },
		]);
		expect(answered.messages[0].answer).toBe('__proto__=x, constructor=y');
	});

	it('Tool Outputs by its default expression, from an item whose tool_outputs object has the key "__proto__"', async () => {
		sim.bots.define(BOT_ID, {
			chat: () => ({ toolCalls: [{ id: '__proto__', name: 'lookup', arguments: {} }] }),
			afterTools: (outputs) => ({ answers: [[`${outputs[0].tool_call_id}=${outputs[0].output}`]] }),
		});
		const [interrupt] = (await runBot(sim)).interrupts;
		const answered = await runBot(sim, {
			operation: 'submitToolOutputs',
			inputs: [{ ...interrupt, tool_outputs: JSON.parse('{"__proto__": "x"}') as object }],
		});
		expect(answered.error).toBeUndefined();
		expect(sim.bodiesOf('/v3/chat/submit_tool_outputs')[0].tool_outputs).toEqual([
			{ tool_call_id: '__proto__', output: 'x' },
		]);
		expect(answered.messages[0].answer).toBe('__proto__=x');
	});
});
