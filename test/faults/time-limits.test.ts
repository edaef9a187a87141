// Time limits that work: Run Time Limit fires with its own message at any stage,
// out-of-range values are refused, and Idle Timeout counts whole events, so a server that
// trickles bytes cannot hold an execution forever.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

import { runWorkflow, useBinaryMode } from '../engine/harness';
import { sendJson } from '../simulator/flavours';
import { stopSimulator } from '../simulator/stop';
import { CozeSimulator } from '../simulator/server';
import { cozeGraph } from './graph';

/** Reads the request, then never answers: Coze still running, or a dead gateway. */
const neverAnswer = async (_req: unknown, _res: unknown, body: () => Promise<string>) => {
	await body();
};

/** Sends event-stream headers, then one byte every `everyMs` that never completes an event (bounded: `bytes`). */
function trickle(res: ServerResponse, everyMs: number, bytes: number): void {
	res.writeHead(200, { 'content-type': 'text/event-stream' });
	res.write('id: 0\nevent: Message\ndata: {"content":"');
	let sent = 0;
	const timer = setInterval(() => {
		if (res.destroyed || sent++ >= bytes) {
			clearInterval(timer);
			res.end();
			return;
		}
		res.write('a');
	}, everyMs);
	res.on('close', () => clearInterval(timer));
}

describe('Run Time Limit', () => {
	let sim: CozeSimulator;
	beforeEach(async () => (sim = await CozeSimulator.start()));
	afterEach(() => stopSimulator(sim));

	describe('workflow calls', () => {
		beforeAll(() => useBinaryMode('memory'));

		it.each([
			['a streamed run', '/v1/workflow/stream_run', 'run', {}, 'The Coze run'],
			['a resume', '/v1/workflow/stream_resume', 'resume', {}, 'The Coze run'],
			['a synchronous run', '/v1/workflow/run', 'run', { runMode: 'sync' }, 'The Coze run'],
		] as const)(
			'fires before Coze has answered %s, with its own message',
			async (_name, path, operation, options, what) => {
				sim.override(path, neverAnswer);
				const result = await runWorkflow(
					cozeGraph(sim, { operation, options, requestOptions: { runTimeLimitSeconds: 1 } }),
				);
				expect(result.nodeError('Coze')?.message).toBe(
					`${what} took longer than the Run Time Limit (1 s)`,
				);
				expect(result.nodeError('Coze')?.description).toMatch(/Raise Run Time Limit/);
			},
		);

		it.each([2147484, -1, 'soon'])(
			'refuses %j seconds, which a timer cannot wait, naming the field',
			async (runTimeLimitSeconds) => {
				const result = await runWorkflow(
					cozeGraph(sim, { requestOptions: { runTimeLimitSeconds } }),
				);
				expect(result.nodeError('Coze')?.message).toBe(
					'Request Options → Run Time Limit must be a number from 0 to 2147483',
				);
				expect(sim.requests).toHaveLength(0);
			},
		);
	});

	describe.each(['filesystem', 'memory'] as const)('an upload (%s binary data)', (mode) => {
		beforeAll(() => useBinaryMode(mode));

		it('fires mid-upload, with its own message', async () => {
			const paused = sim.pauseAtFirstUploadBytes();
			const result = await runWorkflow(
				cozeGraph(sim, {
					operation: 'upload',
					files: [{ bytes: 16 * 1024 * 1024, fileName: 'slow.bin' }],
					requestOptions: { runTimeLimitSeconds: 1 },
				}),
			);
			await paused;
			expect(result.nodeError('Coze')?.message).toBe(
				'The upload to Coze took longer than the Run Time Limit (1 s)',
			);
		});
	});
});

describe('Idle Timeout on a stream counts whole events', () => {
	let sim: CozeSimulator;
	beforeAll(() => useBinaryMode('memory'));
	beforeEach(async () => (sim = await CozeSimulator.start()));
	afterEach(() => stopSimulator(sim));

	it('cuts a server that trickles a byte every 50 ms without ever ending an event', async () => {
		// Bounded: it gives up after 10 s; an idle timer that counts bytes would wait that long.
		sim.override('/v1/workflow/stream_run', (_req, res) => trickle(res, 50, 200));
		const result = await runWorkflow(cozeGraph(sim, { requestOptions: { idleTimeoutSeconds: 1 } }));
		expect(result.nodeError('Coze')?.message).toBe('Coze sent nothing for 1 s (Idle Timeout)');
	});
});

/**
 * Takes an upload's body at about `bytesPerSecond` (as fast as it comes without), as over a slow
 * link: the node's writes wait for room all along. Then answers as the cloud does, or with
 * `answer: false` never answers. `finished` resolves with the bytes taken, the Content-Length the
 * node announced and how long the body took.
 */
function takeUpload({ bytesPerSecond = Number.POSITIVE_INFINITY, answer = true }) {
	let done: (read: { bytes: number; announced: number; tookMs: number }) => void = () => undefined;
	const finished = new Promise<{ bytes: number; announced: number; tookMs: number }>(
		(resolve) => (done = resolve),
	);
	const handler = async (req: IncomingMessage, res: ServerResponse) => {
		const started = Date.now();
		let bytes = 0;
		let cut = false;
		try {
			for await (const chunk of req) {
				bytes += (chunk as Buffer).length;
				const due = started + (bytes / bytesPerSecond) * 1000;
				if (due > Date.now()) await sleep(due - Date.now());
			}
		} catch {
			// The client went away mid-body.
			cut = true;
		}
		done({ bytes, announced: Number(req.headers['content-length']), tookMs: Date.now() - started });
		if (!answer || cut) return;
		sendJson(res, 'cloud', 200, {
			code: 0,
			msg: '',
			data: { id: '7512345678901234567', bytes, created_at: 1750000000, file_name: 'slow.bin' },
		});
	};
	return { handler, finished };
}

describe('Idle Timeout on an upload', () => {
	let sim: CozeSimulator;
	beforeAll(() => useBinaryMode('filesystem'));
	beforeEach(async () => (sim = await CozeSimulator.start()));
	afterEach(() => stopSimulator(sim));

	const file = { bytes: 48 * 1024 * 1024, fileName: 'slow.bin' };

	it('does not cut an upload while Coze keeps taking it, for three times the Idle Timeout', async () => {
		// 48 MB at 16 MB/s: three times the Idle Timeout. What the sockets' buffers still hold once
		// the node has written the last byte (about 4 MB here) takes a quarter of it to arrive.
		const slow = takeUpload({ bytesPerSecond: 16 * 1024 * 1024 });
		sim.override('/v1/files/upload', slow.handler);
		const result = await runWorkflow(
			cozeGraph(sim, {
				operation: 'upload',
				files: [file],
				requestOptions: { idleTimeoutSeconds: 1, maxRetries: 0 },
			}),
		);
		const read = await slow.finished;
		expect(result.nodeError('Coze')).toBeUndefined();
		expect(result.output('Coze', 0).map((item) => item.json.id)).toEqual(['7512345678901234567']);
		expect(read.bytes).toBe(read.announced);
		expect(read.tookMs).toBeGreaterThan(2000);
	});

	it('cuts an upload Coze takes none of for the Idle Timeout', async () => {
		const paused = sim.pauseAtFirstUploadBytes();
		const result = await runWorkflow(
			cozeGraph(sim, {
				operation: 'upload',
				files: [file],
				requestOptions: { idleTimeoutSeconds: 1, maxRetries: 0 },
			}),
		);
		await paused;
		expect(result.nodeError('Coze')?.message).toBe('Coze sent nothing for 1 s (Idle Timeout)');
	});

	it('cuts an upload Coze took whole and then sends nothing about', async () => {
		const silent = takeUpload({ answer: false });
		sim.override('/v1/files/upload', silent.handler);
		const result = await runWorkflow(
			cozeGraph(sim, {
				operation: 'upload',
				files: [file],
				requestOptions: { idleTimeoutSeconds: 1, maxRetries: 0 },
			}),
		);
		const read = await silent.finished;
		expect(read.bytes).toBe(read.announced);
		expect(result.nodeError('Coze')?.message).toBe('Coze sent nothing for 1 s (Idle Timeout)');
	});
});
