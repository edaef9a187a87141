// bench:first-chunk — through a real n8n (`n8n start`, the packed node, an active workflow):
// how long a chunk of a Coze run takes from the simulator writing it to a Webhook caller in
// Streaming response mode reading it. Each chunk waits until the caller has the one before
// (so each is timed alone, not queued behind others); p50 / p95 / max over CHUNKS chunks.
// Beside it, the baseline a caller had before: with streaming off (the same Webhook answering
// when the last node finishes), the first byte comes with the whole run; a run of CHUNKS chunks
// written PACE_MS apart is timed both ways, and the ratio printed.
import { LIVE_PATHS, LIVE_WEBHOOK_PATHS, liveWorkflows } from '../test/sandbox/live-workflows';
import { postAndReadChunks, startLiveN8n } from '../test/n8n/live-n8n';
import { closeCozeDispatcher } from '../nodes/Coze/testing';
import { CozeSimulator } from '../test/simulator/server';
import { ServerStream } from '../test/simulator/shapes';
import { makeTempRoot, removeTempRoot } from '../test/temp-root';
import { DEBUG_URL, numbered } from '../test/simulator/workflows';

const CHUNKS = Number(process.env.BENCH_CHUNKS ?? 250);
const PACE_MS = 5;
const GATED_ID = '7404830425073352730';
const PACED_ID = '7404830425073352731';
/** The longest one chunk may take before the bench gives up on it (and reports the time out). */
const CHUNK_TIMEOUT_MS = 10_000;

const pieces = Array.from({ length: CHUNKS }, (_, i) => `[${i}] `);
const events = () =>
	numbered(
		new ServerStream('cloud')
			.message({ title: 'Out', id: '100001', type: 'Message' }, pieces)
			.message({ title: 'End', id: '900001', type: 'End' }, ['{"output":"done"}'])
			.done(DEBUG_URL).events,
	);

function percentile(values: number[], p: number): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
}

async function main(): Promise<void> {
	const tempRoot = makeTempRoot();
	const sim = await CozeSimulator.start({ flavour: 'cloud' });
	let stopN8n = async () => {};
	try {
		const writtenAt: number[] = [];
		const readAt: number[] = [];
		let chunkRead: (() => void) | undefined;
		sim.defineWorkflow(GATED_ID, {
			run: () => ({
				stream: events(),
				shape: {
					onWrite: async (writeIndex) => {
						if (writeIndex >= CHUNKS) return;
						// onWrite runs right after the event's bytes were handed to the socket.
						writtenAt[writeIndex] = performance.now();
						await new Promise<void>((resolve) => {
							const timer = setTimeout(resolve, CHUNK_TIMEOUT_MS);
							chunkRead = () => {
								clearTimeout(timer);
								resolve();
							};
						});
					},
				},
			}),
		});
		sim.defineWorkflow(PACED_ID, {
			run: () => ({ stream: events(), shape: { delayMs: PACE_MS } }),
		});

		console.log('Starting n8n with the packed node (first time: installs n8n)…');
		const n8n = await startLiveN8n(sim, liveWorkflows('0'), LIVE_WEBHOOK_PATHS);
		stopN8n = n8n.stop;
		const streamingUrl = `${n8n.base}/webhook/${LIVE_PATHS.streaming}`;
		// One run first, so that n8n and the node are warm.
		await postAndReadChunks(streamingUrl, { workflow_id: PACED_ID });

		await postAndReadChunks(streamingUrl, { workflow_id: GATED_ID }, (chunk, at) => {
			const index = /^\[(\d+)\] $/.exec(chunk.content ?? '')?.[1];
			if (chunk.type !== 'item' || index === undefined) return;
			readAt[Number(index)] = at;
			chunkRead?.();
		});
		const latencies = readAt.map((at, i) => at - writtenAt[i]).filter((ms) => Number.isFinite(ms));
		if (latencies.length !== CHUNKS)
			throw new Error(`only ${latencies.length} of ${CHUNKS} chunks were read one by one`);

		const started = performance.now();
		let firstChunkMs = 0;
		await postAndReadChunks(streamingUrl, { workflow_id: PACED_ID }, (chunk, at) => {
			if (chunk.type === 'item' && !firstChunkMs) firstChunkMs = at - started;
		});
		const wholeStarted = performance.now();
		const response = await fetch(`${n8n.base}/webhook/${LIVE_PATHS.whole}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ workflow_id: PACED_ID }),
		});
		const reader = response.body!.getReader();
		await reader.read();
		const firstByteMs = performance.now() - wholeStarted;
		await reader.cancel();

		const ms = (value: number) => `${value.toFixed(1)} ms`;
		console.log(`\nbench:first-chunk — n8n Webhook (Streaming) → Coze Run, ${CHUNKS} chunks`);
		console.log(
			`  simulator write → caller read, one chunk at a time: p50 ${ms(percentile(latencies, 50))}, p95 ${ms(percentile(latencies, 95))}, max ${ms(Math.max(...latencies))} (target p50 < 20 ms)`,
		);
		console.log(
			`  a run of ${CHUNKS} chunks ${PACE_MS} ms apart: first chunk streamed after ${ms(firstChunkMs)}; with streaming off, first byte after ${ms(firstByteMs)} (the whole run)`,
		);
		console.log(
			`  ratio first chunk / first byte without streaming: ${(firstChunkMs / firstByteMs).toFixed(3)}`,
		);
	} finally {
		await stopN8n();
		await sim.close();
		await closeCozeDispatcher();
		removeTempRoot(tempRoot);
	}
}

main().catch((error: unknown) => {
	console.error(error);
	process.exitCode = 1;
});
