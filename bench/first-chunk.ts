// bench:first-chunk — through a real n8n (`n8n start`, the packed node, an active workflow):
// how long a chunk of a Coze answer takes from the simulator writing it to a Webhook caller in
// Streaming response mode reading it, for a workflow's run (Workflow → Run) and for a bot's chat
// (Bot → Chat). Each chunk waits until the caller has the one before (so each is timed alone,
// not queued behind others); p50 / p95 / max over CHUNKS chunks. Beside it, the baseline a caller
// had before: with streaming off (the same Webhook answering when the last node finishes), the
// first byte comes with the whole answer; an answer of CHUNKS chunks written PACE_MS apart is
// timed both ways, and the ratio printed.
import { LIVE_PATHS, liveWorkflows } from '../test/sandbox/live-workflows';
import { postAndReadChunks, startLiveN8n } from '../test/n8n/live-n8n';
import { closeCozeDispatcher } from '../nodes/Coze/testing';
import { CozeSimulator } from '../test/simulator/server';
import type { StreamShape } from '../test/simulator/event-stream';
import { ServerStream } from '../test/simulator/shapes';
import { makeTempRoot, removeTempRoot } from '../test/temp-root';
import { DEBUG_URL, numbered } from '../test/simulator/workflows';

const CHUNKS = Number(process.env.BENCH_CHUNKS ?? 250);
const PACE_MS = 5;
const GATED_ID = '7404830425073352730';
const PACED_ID = '7404830425073352731';
const GATED_BOT_ID = '7404830425073352732';
const PACED_BOT_ID = '7404830425073352733';
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

/**
 * The simulator's side of the one-chunk-at-a-time run: a stream shape that notes when each of
 * the CHUNKS pieces was written (the piece's write is `firstWrite` + its index) and holds the next
 * until the caller has read it.
 */
class ChunkClock {
	writtenAt: number[] = [];
	readAt: number[] = [];
	private chunkRead: (() => void) | undefined;

	constructor(private readonly firstWrite: number) {}

	shape(): StreamShape {
		return {
			onWrite: async (writeIndex) => {
				const index = writeIndex - this.firstWrite;
				if (index < 0 || index >= CHUNKS) return;
				// onWrite runs right after the event's bytes were handed to the socket.
				this.writtenAt[index] = performance.now();
				await new Promise<void>((resolve) => {
					const timer = setTimeout(resolve, CHUNK_TIMEOUT_MS);
					this.chunkRead = () => {
						clearTimeout(timer);
						resolve();
					};
				});
			},
		};
	}

	/** The caller's side: a chunk read at `at`. */
	read(content: string | undefined, at: number): void {
		const index = /^\[(\d+)\] $/.exec(content ?? '')?.[1];
		if (index === undefined) return;
		this.readAt[Number(index)] = at;
		this.chunkRead?.();
	}

	latencies(): number[] {
		const latencies = this.readAt
			.map((at, i) => at - this.writtenAt[i])
			.filter((ms) => Number.isFinite(ms));
		if (latencies.length !== CHUNKS)
			throw new Error(`only ${latencies.length} of ${CHUNKS} chunks were read one by one`);
		return latencies;
	}
}

/** One thing measured: its webhooks (streaming and not) and the bodies that reach the gated and the paced answer. */
interface Subject {
	label: string;
	clock: ChunkClock;
	streamingPath: string;
	wholePath: string;
	gatedBody: object;
	pacedBody: object;
}

interface Figures {
	latencies: number[];
	firstChunkMs: number;
	firstByteMs: number;
}

async function measure(base: string, subject: Subject): Promise<Figures> {
	const streamingUrl = `${base}/webhook/${subject.streamingPath}`;
	// One run first, so that n8n and the node are warm.
	await postAndReadChunks(streamingUrl, subject.pacedBody);

	await postAndReadChunks(streamingUrl, subject.gatedBody, (chunk, at) => {
		if (chunk.type === 'item') subject.clock.read(chunk.content, at);
	});
	const latencies = subject.clock.latencies();

	const started = performance.now();
	let firstChunkMs = 0;
	await postAndReadChunks(streamingUrl, subject.pacedBody, (chunk, at) => {
		if (chunk.type === 'item' && !firstChunkMs) firstChunkMs = at - started;
	});
	const wholeStarted = performance.now();
	const response = await fetch(`${base}/webhook/${subject.wholePath}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(subject.pacedBody),
	});
	const reader = response.body!.getReader();
	await reader.read();
	const firstByteMs = performance.now() - wholeStarted;
	await reader.cancel();
	return { latencies, firstChunkMs, firstByteMs };
}

function report(subject: Subject, figures: Figures): void {
	const ms = (value: number) => `${value.toFixed(1)} ms`;
	const { latencies, firstChunkMs, firstByteMs } = figures;
	console.log(`  ${subject.label}`);
	console.log(
		`    simulator write → caller read, one chunk at a time: p50 ${ms(percentile(latencies, 50))}, p95 ${ms(percentile(latencies, 95))}, max ${ms(Math.max(...latencies))} (target p50 < 20 ms)`,
	);
	console.log(
		`    ${CHUNKS} chunks ${PACE_MS} ms apart: first chunk streamed after ${ms(firstChunkMs)}; with streaming off, first byte after ${ms(firstByteMs)} (the whole answer)`,
	);
	console.log(
		`    ratio first chunk / first byte without streaming: ${(firstChunkMs / firstByteMs).toFixed(3)}`,
	);
}

async function main(): Promise<void> {
	const tempRoot = makeTempRoot();
	const sim = await CozeSimulator.start({ flavour: 'cloud' });
	let stopN8n = async () => {};
	try {
		const subjects: Subject[] = [
			{
				label: 'Workflow → Run (Webhook in Streaming mode → Coze Run)',
				// The workflow's stream: one write per event, its message's pieces first.
				clock: new ChunkClock(0),
				streamingPath: LIVE_PATHS.streaming,
				wholePath: LIVE_PATHS.whole,
				gatedBody: { workflow_id: GATED_ID },
				pacedBody: { workflow_id: PACED_ID },
			},
			{
				label: 'Bot → Chat (Webhook in Streaming mode → Coze Bot Chat)',
				// The bot's stream: chat.created and chat.in_progress, then a delta per piece.
				clock: new ChunkClock(2),
				streamingPath: LIVE_PATHS.botStreaming,
				wholePath: LIVE_PATHS.botWhole,
				gatedBody: { bot_id: GATED_BOT_ID, message: 'count' },
				pacedBody: { bot_id: PACED_BOT_ID, message: 'count' },
			},
		];
		const [workflow, bot] = subjects;
		sim.defineWorkflow(GATED_ID, {
			run: () => ({ stream: events(), shape: workflow.clock.shape() }),
		});
		sim.defineWorkflow(PACED_ID, {
			run: () => ({ stream: events(), shape: { delayMs: PACE_MS } }),
		});
		sim.bots.define(GATED_BOT_ID, {
			chat: () => ({ answers: [pieces], shape: bot.clock.shape() }),
		});
		sim.bots.define(PACED_BOT_ID, {
			chat: () => ({ answers: [pieces], shape: { delayMs: PACE_MS } }),
		});

		console.log('Starting n8n with the packed node (first time: installs n8n)…');
		const { workflows, webhookPaths } = liveWorkflows([
			'runStreaming',
			'runWhole',
			'botStreaming',
			'botWhole',
		]);
		const n8n = await startLiveN8n(sim, workflows, webhookPaths);
		stopN8n = n8n.stop;
		const figures: Figures[] = [];
		for (const subject of subjects) figures.push(await measure(n8n.base, subject));

		console.log(`\nbench:first-chunk — through n8n's streaming Webhook, ${CHUNKS} chunks`);
		subjects.forEach((subject, i) => report(subject, figures[i]));
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
