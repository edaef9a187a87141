// Fault injection: the Coze side misbehaves in every way coze-api.md lists or a network can,
// and each case must end in the right items or a clear error, with nothing lost and nothing
// left running (jest's open-handle detection is on for the whole suite).
import type { INodeParameters } from 'n8n-workflow';

import {
	COZE_TYPE,
	cozeCredentials,
	runWorkflow,
	useBinaryMode,
	type TestNode,
} from '../engine/harness';
import { generatedFileHash } from '../engine/fixture-nodes';
import { stopSimulator } from '../simulator/stop';
import { CozeSimulator } from '../simulator/server';
import { messageChunks, numbered } from '../simulator/workflows';
import { cozeGraph, okStream, WORKFLOW_ID } from './graph';

function runGraph(
	sim: CozeSimulator,
	requestOptions: INodeParameters = {},
	options: INodeParameters = {},
	onError?: TestNode['onError'],
	inputs = 1,
) {
	return cozeGraph(sim, {
		requestOptions,
		options,
		onError,
		inputs: Array.from({ length: inputs }, (_, n) => ({ n })),
	});
}

describe('fault injection', () => {
	let sim: CozeSimulator;
	beforeAll(async () => {
		await useBinaryMode('filesystem');
	});
	beforeEach(async () => (sim = await CozeSimulator.start()));
	afterEach(() => stopSimulator(sim));

	describe('error answers in place of a stream (no retries, to see each as it is)', () => {
		it.each([
			[
				401,
				{ code: 4100, msg: 'authentication is invalid' },
				/^Coze error 4100: authentication is invalid/,
				/Region matches/,
			],
			[
				403,
				{ code: 4101, msg: 'no permission' },
				/^Coze error 4101: no permission/,
				/lacks the run permission/,
			],
			[
				404,
				{ code: 4200, msg: 'workflow not published' },
				/^Coze error 4200: workflow not published/,
				/must be published/,
			],
			[429, { code: 4013, msg: 'rate limited' }, /^Coze error 4013: rate limited/, /per second/],
			[500, { code: 5000, msg: 'internal error' }, /^Coze error 5000: internal error/, /log id/],
			[502, { code: 502, msg: 'bad gateway' }, /^Coze error 502: bad gateway/, /log id/],
		])(
			"HTTP %i with a JSON body: Coze's code and message",
			async (status, body, message, description) => {
				sim.defineWorkflow(WORKFLOW_ID, { run: () => ({ json: body, status }) });
				const result = await runWorkflow(runGraph(sim, { maxRetries: 0 }));
				expect(result.nodeError('Coze')?.message).toMatch(message);
				expect(result.nodeError('Coze')?.description).toMatch(description);
			},
		);

		it.each([401, 403, 404, 429, 500, 502])(
			"HTTP %i with an HTML page: says it is not Coze's answer, and what it said",
			async (status) => {
				sim.override('/v1/workflow/stream_run', (_req, res) => {
					res.writeHead(status, { 'content-type': 'text/html' });
					res.end(`<html><body><h1>${status} from the proxy</h1></body></html>`);
				});
				const result = await runWorkflow(runGraph(sim, { maxRetries: 0 }));
				expect(result.nodeError('Coze')?.message).toBe(
					`Coze answered HTTP ${status} without a Coze error body`,
				);
				expect(result.nodeError('Coze')?.description).toContain(`${status} from the proxy`);
			},
		);
	});

	describe('retries', () => {
		it('retries a rate-limited run, honouring Retry-After, then streams once', async () => {
			sim.defineWorkflow(WORKFLOW_ID, { run: () => okStream('finally') });
			sim.override('/v1/workflow/stream_run', (_req, res) => {
				res.writeHead(429, { 'content-type': 'application/json' });
				res.end(JSON.stringify({ code: 4013, msg: 'rate limited' }));
			});
			sim.override('/v1/workflow/stream_run', (_req, res) => {
				res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' });
				res.end(JSON.stringify({ code: 4013, msg: 'rate limited' }));
			});
			const result = await runWorkflow(runGraph(sim));
			expect(result.output('Coze', 0).map((item) => item.json.content)).toEqual(['finally']);
			const tries = sim.requests.filter((r) => r.path === '/v1/workflow/stream_run');
			expect(tries).toHaveLength(3);
			// Retry-After: 1 means the third try came no sooner than a second after the second.
			expect(tries[2].receivedAt - tries[1].receivedAt).toBeGreaterThanOrEqual(950);
		});

		it('waits 0.5 s, 1 s, 2 s… between tries, each cut by up to half, never longer than Max Retry Wait', async () => {
			for (let i = 0; i < 6; i++) {
				sim.override('/v1/workflow/stream_run', (_req, res) => {
					res.writeHead(429, { 'content-type': 'application/json' });
					res.end(JSON.stringify({ code: 4013, msg: 'rate limited' }));
				});
			}
			const result = await runWorkflow(runGraph(sim, { maxRetries: 5, maxRetryWaitSeconds: 1 }));
			expect(result.nodeError('Coze')?.message).toBe(
				'Coze error 4013: rate limited (after 6 tries)',
			);
			const arrivals = sim.requests
				.filter((r) => r.path === '/v1/workflow/stream_run')
				.map((r) => r.receivedAt);
			const waits = arrivals.slice(1).map((at, i) => at - arrivals[i]);
			// A busy machine only lengthens a wait, so each is checked against its least: half of
			// 0.5 s, 1 s, then half of the 1 s cap. Uncapped, the fifth wait would be 4 s or more.
			const least = [250, 500, 500, 500, 500];
			expect(waits.map((wait, i) => wait >= least[i] - 10)).toEqual([true, true, true, true, true]);
			expect(waits[4]).toBeLessThan(4000);
		});

		it('fails at once when Retry-After asks for a longer wait than Max Retry Wait, saying so', async () => {
			sim.override('/v1/workflow/stream_run', (_req, res) => {
				res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '60' });
				res.end(JSON.stringify({ code: 4013, msg: 'rate limited' }));
			});
			const result = await runWorkflow(runGraph(sim, { maxRetryWaitSeconds: 30 }));
			expect(result.nodeError('Coze')?.message).toBe('Coze error 4013: rate limited');
			expect(result.nodeError('Coze')?.description).toContain(
				'Coze asked to wait 60 s before trying again, longer than Max Retry Wait.',
			);
			expect(sim.requests.filter((r) => r.path === '/v1/workflow/stream_run')).toHaveLength(1);
		});

		it('never retries a run once its stream has begun: a reset mid-stream fails, keeping what arrived', async () => {
			sim.defineWorkflow(WORKFLOW_ID, {
				run: () => ({
					stream: numbered([
						...messageChunks({ title: 'A', uuid: 'a' }, ['kept']),
						...messageChunks({ title: 'B', uuid: 'b' }, ['never']),
					]),
					// the reset comes once the client has read the first event
					shape: { delayMs: 100, onWrite: (index) => void (index === 1 && sim.resetStreams()) },
				}),
			});
			const result = await runWorkflow(runGraph(sim, {}, {}, 'continueRegularOutput'));
			expect(result.output('Coze', 0).map((item) => item.json.content ?? item.json.error)).toEqual([
				'kept',
				'The connection to Coze broke while the workflow was streaming',
			]);
			expect(sim.requests.filter((r) => r.path === '/v1/workflow/stream_run')).toHaveLength(1);
		});

		it('retries an upload whose connection is reset part-way, and the file arrives whole, once', async () => {
			const file = { bytes: 8 * 1024 * 1024, fileName: 'reset.bin' };
			const reset = sim.pauseAtFirstUploadBytes().then(({ resetConnection }) => resetConnection());
			const result = await runWorkflow({
				nodes: [
					{ name: 'Start', type: 'test.start' },
					{
						name: 'Make Binary',
						type: 'test.makeBinary',
						parameters: { files: JSON.stringify([file]) },
					},
					{ name: 'Coze', type: COZE_TYPE, parameters: { resource: 'file', operation: 'upload' } },
				],
				edges: [
					['Start', 0, 'Make Binary'],
					['Make Binary', 0, 'Coze'],
				],
				credentials: cozeCredentials(sim.baseUrl, sim.token),
			});
			await reset;
			expect(result.output('Coze', 0).map((item) => item.json.bytes)).toEqual([file.bytes]);
			expect(sim.uploads.map((upload) => upload.complete)).toEqual([false, true]);
			expect(sim.uploads[1].sha256).toBe(await generatedFileHash(file));
		});
	});

	describe('timeouts', () => {
		it('fails a server that accepts and never answers, after Idle Timeout', async () => {
			sim.override('/v1/workflow/stream_run', () => undefined);
			const result = await runWorkflow(runGraph(sim, { idleTimeoutSeconds: 1 }));
			expect(result.nodeError('Coze')?.message).toBe('Coze sent nothing for 1 s (Idle Timeout)');
		});

		it('fails a JSON answer that stops part-way, after Idle Timeout', async () => {
			sim.override('/v1/workflow/run', async (_req, res, body) => {
				await body();
				res.writeHead(200, { 'content-type': 'application/json' });
				res.write('{"code":0,"msg":"","data":"{\\"output\\":');
			});
			const result = await runWorkflow(
				runGraph(sim, { idleTimeoutSeconds: 1, maxRetries: 0 }, { runMode: 'sync' }),
			);
			expect(result.nodeError('Coze')?.message).toBe('Coze sent nothing for 1 s (Idle Timeout)');
		});

		it('fails a stream that goes quiet, after Idle Timeout, keeping what arrived', async () => {
			sim.defineWorkflow(WORKFLOW_ID, {
				run: () => ({
					stream: numbered([...messageChunks({ title: 'A', uuid: 'a' }, ['before the silence'])]),
					shape: { holdOpen: true },
				}),
			});
			const result = await runWorkflow(
				runGraph(sim, { idleTimeoutSeconds: 1 }, {}, 'continueRegularOutput'),
			);
			expect(result.output('Coze', 0).map((item) => item.json.content ?? item.json.error)).toEqual([
				'before the silence',
				'Coze sent nothing for 1 s (Idle Timeout)',
			]);
		});

		it('keeps a stream with heartbeats alive, but ends it at the Run Time Limit', async () => {
			sim.defineWorkflow(WORKFLOW_ID, {
				run: () => ({
					stream: numbered(Array.from({ length: 100 }, () => ({ event: 'PING', data: {} }))),
					shape: { delayMs: 50 },
				}),
			});
			const result = await runWorkflow(
				runGraph(sim, { idleTimeoutSeconds: 1, runTimeLimitSeconds: 2 }),
			);
			expect(result.nodeError('Coze')?.message).toBe(
				'The Coze run took longer than the Run Time Limit (2 s)',
			);
		});
	});

	describe('odd streams', () => {
		it('reads a single 5 MB message whole', async () => {
			const big = '扣'.repeat((5 * 1024 * 1024) / 3);
			sim.defineWorkflow(WORKFLOW_ID, { run: () => okStream(big) });
			const result = await runWorkflow(runGraph(sim));
			expect(result.output('Coze', 0)[0].json.content).toBe(big);
		});

		it('fails on invalid JSON in an event, keeping the messages before it', async () => {
			sim.defineWorkflow(WORKFLOW_ID, {
				run: () => ({
					stream: [
						...numbered(messageChunks({ title: 'A', uuid: 'a' }, ['fine'])),
						{ id: 1, event: 'Message', data: '{"content": "broken' },
					],
				}),
			});
			const result = await runWorkflow(runGraph(sim, {}, {}, 'continueRegularOutput'));
			expect(result.output('Coze', 0).map((item) => item.json.content ?? item.json.error)).toEqual([
				'fine',
				'Coze sent a Message event whose data is not JSON',
			]);
		});

		it("redacts the token when a stream's Error event echoes it", async () => {
			sim.defineWorkflow(WORKFLOW_ID, {
				run: () => ({
					stream: numbered([
						{
							event: 'Error',
							data: { error_code: 4100, error_message: `invalid token ${sim.token}` },
						},
					]),
				}),
			});
			const result = await runWorkflow(runGraph(sim));
			expect(result.nodeError('Coze')?.message).toBe(
				'The Coze workflow failed with error 4100: invalid token [redacted]',
			);
			expect(JSON.stringify(result.run)).not.toContain(sim.token);
		});
	});

	it('runs items at once with Concurrency, outputs still in input order', async () => {
		let open = 0;
		let mostOpen = 0;
		sim.defineWorkflow(WORKFLOW_ID, {
			run: (body) => {
				open++;
				mostOpen = Math.max(mostOpen, open);
				const n = (body.parameters as { n: number }).n;
				return {
					...okStream(`item ${n}`),
					// later items answer sooner, so input order is not arrival order; a run is
					// open from its request until its Done event is written (write 1 of 2)
					shape: { delayMs: (6 - n) * 15, onWrite: (index) => void (index === 1 && open--) },
				};
			},
		});
		const result = await runWorkflow(runGraph(sim, { concurrency: 3 }, {}, undefined, 6));
		expect(result.output('Coze', 0).map((item) => [item.json.content, item.pairedItem])).toEqual(
			Array.from({ length: 6 }, (_, n) => [`item ${n}`, { item: n }]),
		);
		expect(mostOpen).toBe(3);
	});
});
