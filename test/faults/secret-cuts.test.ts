// A secret must never be half there: every text the node shortens for a message (server text
// and the user's own) is redacted before it is cut, or not cut at all. Each case puts the token
// across the place the text would be cut, through n8n's engine, and looks for any piece of it in
// everything the run kept. No real server is known to echo the token: these shapes are hostile.
import type { INodeParameters } from 'n8n-workflow';

import { fieldOfInput } from '../../nodes/Coze/shared/input-fields';
import { forgetConversationsOfThisProcess } from '../../nodes/Coze/testing';
import { runWorkflow, useBinaryMode } from '../engine/harness';
import { ChatStream } from '../simulator/chat-shapes';
import { CozeSimulator, SIMULATOR_TOKEN } from '../simulator/server';
import { stopSimulator } from '../simulator/stop';
import { cozeGraph, EVENT_ID, WORKFLOW_ID, type CozeGraphOptions } from './graph';

/** No 8 characters in a row of the secret anywhere: not whole, and no half left by a cut either. */
function piecesOf(secret: string, text: string): string[] {
	const found: string[] = [];
	for (let start = 0; start + 8 <= secret.length; start++)
		if (text.includes(secret.slice(start, start + 8))) found.push(secret.slice(start, start + 8));
	return found;
}

/** `before`, filler, then `secret` starting `lead` characters before `cut`, as a text of `length` up to the secret. */
const straddling = (secret: string, cut: number, lead = 20, filler = 'x') =>
	`${filler.repeat(cut - lead)}${secret}`;

async function runAndCollect(sim: CozeSimulator, graph: CozeGraphOptions) {
	const result = await runWorkflow(cozeGraph(sim, graph));
	const error = result.nodeError('Coze');
	// What the Coze node left in the run as n8n keeps it: its items and its error, but not the
	// node itself (its parameters are the user's own text, saved with the workflow) nor the items it was given.
	const { runData, error: runError } = result.run.data.resultData;
	const run = JSON.stringify([runData.Coze, runError], (key, value: unknown) =>
		key === 'node' ? undefined : value,
	);
	return { result, everything: `${run}\n${error?.message}\n${error?.description}`, error };
}

const locator = (mode: string, value: string) => ({ __rl: true, mode, value });

describe('no half of a secret in a shortened text (the access token across the cut)', () => {
	let sim: CozeSimulator;
	beforeAll(() => useBinaryMode('memory'));
	afterEach(() => stopSimulator(sim));

	describe.each(['stopWorkflow', 'continueRegularOutput'] as const)(
		'with On Error: %s',
		(onError) => {
			beforeEach(async () => {
				forgetConversationsOfThisProcess();
				sim = await CozeSimulator.start();
			});

			it("a chatflow's requires_action with tool calls, cut to 300 characters for the error", async () => {
				const chatflowId = '7404830425073352714';
				// The cloud's requires_action (cozepy chat/__init__.py ChatRequiredAction: type
				// submit_tool_outputs, submit_tool_outputs.tool_calls[{id, type "function", function
				// {name, arguments}}]); the arguments echoing the token are hostile, no evidence.
				const action = (args: string) => ({
					type: 'submit_tool_outputs',
					submit_tool_outputs: {
						tool_calls: [
							{
								id: 'call_1',
								type: 'function',
								function: { name: 'local_plugin', arguments: args },
							},
						],
					},
				});
				const at = JSON.stringify(action('@')).indexOf('@');
				const args = `${'y'.repeat(300 - 20 - at)}${sim.token}`;
				expect(JSON.stringify(action(args)).indexOf(sim.token)).toBe(280);
				sim.defineWorkflow(chatflowId, {
					chat: (turn) => {
						const stream = new ChatStream('cloud', {
							conversationId: turn.conversationId,
							chatId: '7404830425073350001',
							sectionId: turn.conversationId,
							executeId: '7404830425073350002',
							debugUrl: 'https://www.coze.cn/work_flow',
						}).started();
						stream.events.push({
							event: 'conversation.chat.requires_action',
							data: {
								id: '7404830425073350001',
								conversation_id: turn.conversationId,
								status: 'requires_action',
								required_action: action(args),
							},
						});
						return { stream: stream.done().numbered() };
					},
				});
				const { everything, error } = await runAndCollect(sim, {
					onError,
					parameters: {
						resource: 'workflow',
						operation: 'chat',
						workflowId: chatflowId,
						message: 'hi',
						conversation: 'new',
					},
				});
				expect(everything).toContain('waits for the output of a local plugin');
				expect(error?.description ?? everything).toContain('[redacted]');
				expect(piecesOf(sim.token, everything)).toEqual([]);
			});

			// An expression: the editor refuses a fixed value of the wrong shape before the run.
			it.each([
				['Workflow ID (version 1), the token alone', 1, SIMULATOR_TOKEN, 'id'],
				[
					'Workflow ID (version 1), across its 80-character cut',
					1,
					straddling(SIMULATOR_TOKEN, 80),
					'id',
				],
				['Workflow By ID, across its 80-character cut', 2, straddling(SIMULATOR_TOKEN, 80), 'id'],
				[
					'Workflow By URL, across its 120-character cut',
					2,
					`https://www.coze.cn/work_flow?space_id=1&q=${straddling(SIMULATOR_TOKEN, 120 - 43)}`,
					'url',
				],
			] as const)('%s', async (_name, typeVersion, value, mode) => {
				const workflowId =
					typeVersion === 1 ? '={{ $json.value }}' : locator(mode, '={{ $json.value }}');
				const { everything } = await runAndCollect(sim, {
					onError,
					typeVersion,
					inputs: [{ value }],
					parameters: { parameters: '{}', workflowId },
				});
				expect(everything).toMatch(/is not a Coze workflow ID|holds no Coze workflow ID/);
				expect(piecesOf(sim.token, everything)).toEqual([]);
				expect(sim.requests).toEqual([]);
			});

			it("Resume's Event ID, across its 80-character cut", async () => {
				const { everything } = await runAndCollect(sim, {
					onError,
					operation: 'resume',
					parameters: {
						eventId: `${EVENT_ID}/${straddling(SIMULATOR_TOKEN, 80 - EVENT_ID.length - 1, 20, '#')}`,
					},
				});
				expect(everything).toContain("is not a Coze interrupt's event ID");
				expect(sim.requests).toEqual([]);
				expect(piecesOf(sim.token, everything)).toEqual([]);
			});

			it("a mapped input's wrong value, across its 60-character cut", async () => {
				const schema = [fieldOfInput('age', { type: 'integer' })];
				const inputs = {
					inputMode: 'fields',
					inputs: {
						mappingMode: 'defineBelow',
						value: { age: straddling(SIMULATOR_TOKEN, 60, 20, '1') },
						matchingColumns: [],
						schema,
					},
				} as unknown as INodeParameters;
				const { everything } = await runAndCollect(sim, {
					onError,
					typeVersion: 2,
					parameters: { workflowId: locator('id', WORKFLOW_ID), ...inputs },
				});
				expect(everything).toContain('must be a whole number');
				expect(piecesOf(sim.token, everything)).toEqual([]);
			});

			it("Parameters that are not JSON: JavaScript's parse error quotes a piece of the text", async () => {
				const { everything } = await runAndCollect(sim, {
					onError,
					parameters: { parameters: `{"order": "42", "note": ${SIMULATOR_TOKEN}}` },
				});
				expect(everything).toContain('Parameters is not valid JSON');
				expect(piecesOf(sim.token, everything)).toEqual([]);
			});
		},
	);
});

/**
 * A token with characters that are not a token's usual ones (a credential's Access Token is any
 * text the user gives): a cut that only avoids splitting a run of letters and digits would keep
 * the part before the first such character. Redacting first leaves nothing to cut.
 */
describe('no half of an unusual token in a shortened server text', () => {
	const token = 'pat_simulator:token!0123456789abcdefghijklmnop';
	let sim: CozeSimulator;
	beforeAll(() => useBinaryMode('memory'));
	beforeEach(async () => (sim = await CozeSimulator.start({ token })));
	afterEach(() => stopSimulator(sim));

	it('an HTML error page, cut to 200 characters', async () => {
		sim.override('/v1/workflow/stream_run', (_req, res) => {
			res.writeHead(502, { 'content-type': 'text/html' });
			res.end(`<html><body>${'x'.repeat(200 - 12 - 24)} ${token} upstream said no</body></html>`);
		});
		const { everything } = await runAndCollect(sim, { requestOptions: { maxRetries: 0 } });
		expect(everything).toContain('without a Coze error body');
		expect(piecesOf(token, everything)).toEqual([]);
	});

	it('workflow event data that is not JSON, cut to 120 characters', async () => {
		sim.defineWorkflow(WORKFLOW_ID, {
			run: () => ({
				stream: [
					{
						id: 0,
						event: 'Message',
						data: `{"content": "${'y'.repeat(120 - 14 - 24)} ${token} and more`,
					},
				],
			}),
		});
		const { everything } = await runAndCollect(sim, {});
		expect(everything).toContain('whose data is not JSON');
		expect(piecesOf(token, everything)).toEqual([]);
	});

	it('chat event data that is not JSON, cut to 120 characters', async () => {
		const chatflowId = '7404830425073352714';
		sim.defineWorkflow(chatflowId, {
			chat: () => ({
				stream: [
					{
						id: 0,
						event: 'conversation.chat.created',
						data: `{"id": "${'y'.repeat(120 - 9 - 24)} ${token} and more`,
					},
				],
			}),
		});
		const { everything } = await runAndCollect(sim, {
			parameters: {
				resource: 'workflow',
				operation: 'chat',
				workflowId: chatflowId,
				message: 'hi',
				conversation: 'new',
			},
		});
		expect(everything).toContain('whose data is not JSON');
		expect(piecesOf(token, everything)).toEqual([]);
	});
});
