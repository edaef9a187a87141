// One request policy by what a request does: a request that starts or resumes a run
// is retried only where Coze provably did not take it on, so one item never runs a workflow
// twice; reads and uploads are retried on any transient failure.
import { createServer } from 'node:net';

import { runWorkflow, useBinaryMode } from '../engine/harness';
import { stopSimulator } from '../simulator/stop';
import { CozeSimulator } from '../simulator/server';
import { cozeGraph, okStream, requestsTo, WORKFLOW_ID } from './graph';

/** A gateway's 504 after it has read the whole request: the run was (and may still be) in progress. */
const gatewayTimeout =
	(status = 504) =>
	async (_req: unknown, res: import('node:http').ServerResponse, body: () => Promise<string>) => {
		await body();
		res.writeHead(status, { 'content-type': 'text/html' });
		res.end(`<html><body><h1>${status} Gateway Time-out</h1><hr>Tengine</body></html>`);
	};

/** The connection drops once the request has arrived whole. */
const resetAfterBody = async (
	req: import('node:http').IncomingMessage,
	_res: unknown,
	body: () => Promise<string>,
) => {
	await body();
	req.socket.resetAndDestroy();
};

/** A port with nothing listening: the connection is refused before any request is sent. */
async function closedPort(): Promise<number> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as { port: number };
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return port;
}

describe('request policy: a request that starts or resumes a run', () => {
	let sim: CozeSimulator;
	beforeAll(() => useBinaryMode('memory'));
	beforeEach(async () => (sim = await CozeSimulator.start()));
	afterEach(() => stopSimulator(sim));

	it.each([502, 503, 504])(
		'a synchronous run answered %i by a gateway runs once, and the error says it may have run',
		async (status) => {
			for (let i = 0; i < 4; i++) sim.override('/v1/workflow/run', gatewayTimeout(status));
			const result = await runWorkflow(cozeGraph(sim, { options: { runMode: 'sync' } }));
			expect(requestsTo(sim, '/v1/workflow/run')).toBe(1);
			expect(result.nodeError('Coze')?.message).toBe(
				`Coze answered HTTP ${status} without a Coze error body`,
			);
			expect(result.nodeError('Coze')?.description).toMatch(/may have started the run/);
			expect(result.nodeError('Coze')?.description).toMatch(/run history/);
		},
	);

	it.each([
		['/v1/workflow/stream_run', 'run', {}],
		['/v1/workflow/stream_resume', 'resume', {}],
		['/v1/workflow/run', 'run', { runMode: 'sync' }],
		['/v1/workflow/run', 'run', { runMode: 'async' }],
	] as const)(
		'%s whose connection drops after the body was sent is not retried (%s %j)',
		async (path, operation, options) => {
			for (let i = 0; i < 4; i++) sim.override(path, resetAfterBody);
			const result = await runWorkflow(cozeGraph(sim, { operation, options }));
			expect(requestsTo(sim, path)).toBe(1);
			expect(result.nodeError('Coze')?.message).toBe(
				`The connection to Coze at ${sim.baseUrl} broke`,
			);
			expect(result.nodeError('Coze')?.description).toMatch(/may have started the run/);
		},
	);

	it('a resume answered 502 is sent once: Coze allows only 3 resumes an interrupt', async () => {
		for (let i = 0; i < 4; i++) sim.override('/v1/workflow/stream_resume', gatewayTimeout(502));
		const result = await runWorkflow(cozeGraph(sim, { operation: 'resume' }));
		expect(requestsTo(sim, '/v1/workflow/stream_resume')).toBe(1);
		expect(result.nodeError('Coze')?.description).toMatch(/may have started the run/);
	});

	it('a run answered 500 with a Coze error body is not retried either', async () => {
		for (let i = 0; i < 4; i++) {
			sim.override('/v1/workflow/stream_run', async (_req, res, body) => {
				await body();
				res.writeHead(500, { 'content-type': 'application/json' });
				res.end(JSON.stringify({ code: 5000, msg: 'internal error' }));
			});
		}
		const result = await runWorkflow(cozeGraph(sim));
		expect(requestsTo(sim, '/v1/workflow/stream_run')).toBe(1);
		expect(result.nodeError('Coze')?.message).toMatch(/^Coze error 5000: internal error/);
	});

	it('is still retried when rate limited (429 or code 4013): Coze did not take it on', async () => {
		sim.defineWorkflow(WORKFLOW_ID, {
			run: () => okStream('after the wait'),
			blockingRun: () => ({ json: { code: 0, msg: '', data: '{"output":"sync"}' } }),
		});
		sim.override('/v1/workflow/stream_run', async (_req, res, body) => {
			await body();
			res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '0' });
			res.end(JSON.stringify({ code: 4013, msg: 'rate limited' }));
		});
		sim.override('/v1/workflow/run', async (_req, res, body) => {
			await body();
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ code: 4013, msg: 'rate limited' }));
		});
		const streamed = await runWorkflow(cozeGraph(sim));
		expect(streamed.output('Coze', 0).map((item) => item.json.content)).toEqual(['after the wait']);
		const sync = await runWorkflow(cozeGraph(sim, { options: { runMode: 'sync' } }));
		expect(sync.output('Coze', 0).map((item) => item.json.content)).toEqual(['{"output":"sync"}']);
		expect(requestsTo(sim, '/v1/workflow/stream_run')).toBe(2);
		expect(requestsTo(sim, '/v1/workflow/run')).toBe(2);
	});

	it('is retried when the connection is refused (never established), and says how many tries', async () => {
		const port = await closedPort();
		const result = await runWorkflow(
			cozeGraph(sim, {
				baseUrl: `http://127.0.0.1:${port}`,
				requestOptions: { maxRetries: 2, maxRetryWaitSeconds: 1 },
			}),
		);
		expect(result.nodeError('Coze')?.message).toBe(
			`Could not talk to Coze at http://127.0.0.1:${port} (after 3 tries)`,
		);
	});
});

describe('request policy: reads and uploads', () => {
	let sim: CozeSimulator;
	beforeAll(() => useBinaryMode('memory'));
	beforeEach(async () => (sim = await CozeSimulator.start()));
	afterEach(() => stopSimulator(sim));

	it('retries a run-history read on a reset and on a 500, and the async run finishes once', async () => {
		const executeId = '7404830425073350001';
		sim.defineWorkflow(WORKFLOW_ID, {
			blockingRun: () => ({ json: { code: 0, msg: '', execute_id: executeId } }),
			history: [
				{ execute_id: executeId, execute_status: 'Success', output: '{"output":"read twice"}' },
			],
		});
		const historyPath = `/v1/workflows/${WORKFLOW_ID}/run_histories/${executeId}`;
		sim.override(historyPath, resetAfterBody);
		sim.override(historyPath, (_req, res) => {
			res.writeHead(500, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ code: 5000, msg: 'internal error' }));
		});
		const result = await runWorkflow(
			cozeGraph(sim, {
				options: { runMode: 'async', pollIntervalSeconds: 1 },
				requestOptions: { maxRetryWaitSeconds: 1 },
			}),
		);
		expect(result.output('Coze', 0).map((item) => item.json.content)).toEqual([
			'{"output":"read twice"}',
		]);
		expect(requestsTo(sim, '/v1/workflow/run')).toBe(1);
		expect(requestsTo(sim, historyPath)).toBe(3);
	});
});
