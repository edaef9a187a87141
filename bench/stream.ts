// bench:stream — 10k and 100k Coze Message events (~5 MB and ~50 MB) streamed by the simulator
// (another process) through the node's transport and run collector, against a bare loop over
// the same HTTP stream: undici, a TextDecoder, eventsource-parser and JSON.parse per event, the
// least any correct client does. A second baseline also keeps each node's text (push and join),
// which the node must do to output it: the gap between the two is the cost of holding the text.
// Prints time ratios, peak RSS growth, and how 100k scales against 10k (linear: 10×).
import { createParser } from 'eventsource-parser';
import { request } from 'undici';

import type { CozeConnection } from '../nodes/Coze/transport/http/connection';
import { collectRun } from '../nodes/Coze/transport/protocols/run-collector';
import { streamWorkflowEvents } from '../nodes/Coze/transport/protocols/workflow-stream';
import { median, runBenchmark } from './bench-harness';
import { STREAM_BENCH_WORKFLOWS } from './stream-workflows';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const MB = 1024 * 1024;

interface Measured {
	seconds: number;
	rssGrowthMb: number;
	events: number;
}

async function measure(work: () => Promise<number>): Promise<Measured> {
	global.gc?.();
	const rssBefore = process.memoryUsage.rss();
	let peak = rssBefore;
	const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 10);
	const started = performance.now();
	const events = await work();
	const seconds = (performance.now() - started) / 1000;
	clearInterval(sampler);
	peak = Math.max(peak, process.memoryUsage.rss());
	return { seconds, rssGrowthMb: (peak - rssBefore) / MB, events };
}

/** The baseline: bytes → text → SSE events → JSON, counted and dropped (or, `keep`, joined per node). */
async function bareLoop(
	connection: CozeConnection,
	workflowId: string,
	keep = false,
): Promise<number> {
	const response = await request(`${connection.baseUrl}/v1/workflow/stream_run`, {
		method: 'POST',
		headers: {
			authorization: `Bearer ${connection.accessToken}`,
			'content-type': 'application/json',
			accept: 'text/event-stream',
		},
		body: JSON.stringify({ workflow_id: workflowId, parameters: {} }),
	});
	let events = 0;
	const texts = new Map<string, string[]>();
	const parser = createParser({
		onEvent: (event) => {
			const data = JSON.parse(event.data) as { node_execute_uuid?: string; content?: string };
			if (keep && data.node_execute_uuid) {
				const list = texts.get(data.node_execute_uuid) ?? [];
				list.push(data.content ?? '');
				texts.set(data.node_execute_uuid, list);
			}
			events++;
		},
	});
	const decoder = new TextDecoder();
	for await (const chunk of response.body)
		parser.feed(decoder.decode(chunk as Buffer, { stream: true }));
	if (keep)
		return [...texts.values()].reduce((total, list) => total + list.join('').length, 0) && events;
	return events;
}

/** The node's path: transport (events) and collector (messages joined per node). */
async function nodePath(connection: CozeConnection, workflowId: string): Promise<number> {
	const run = await collectRun(
		streamWorkflowEvents(
			connection,
			'/v1/workflow/stream_run',
			JSON.stringify({ workflow_id: workflowId, parameters: {} }),
		),
	);
	if (run.messages.length !== 10 || !run.debugUrl)
		throw new Error(`unexpected run: ${run.messages.length} messages`);
	return run.messages.reduce((total, message) => total + message.content.length, 0);
}

runBenchmark(['--stream-workflows'], async (sim) => {
	const connection = { baseUrl: sim.baseUrl, accessToken: sim.token };
	console.log(
		`bench:stream: ${ROUNDS} rounds each, medians; the simulator runs in a separate process`,
	);
	console.log(
		'events  | bare s | bare+keep s | node s | node/bare | node/bare+keep | peak RSS growth bare / bare+keep / node',
	);
	const nodeSeconds: Record<number, number> = {};
	for (const [workflowId, count] of Object.entries(STREAM_BENCH_WORKFLOWS)) {
		await nodePath(connection, workflowId); // warm-up: JIT and connection
		const bare: Measured[] = [];
		const kept: Measured[] = [];
		const node: Measured[] = [];
		for (let round = 0; round < ROUNDS; round++) {
			bare.push(await measure(() => bareLoop(connection, workflowId)));
			kept.push(await measure(() => bareLoop(connection, workflowId, true)));
			node.push(await measure(() => nodePath(connection, workflowId)));
		}
		if ([...bare, ...kept].some((m) => m.events !== count + 1))
			throw new Error('a baseline missed events');
		const seconds = (runs: Measured[]) => median(runs.map((m) => m.seconds));
		const rss = (runs: Measured[]) =>
			`${Math.max(...runs.map((m) => m.rssGrowthMb)).toFixed(1)} MB`;
		nodeSeconds[count] = seconds(node);
		console.log(
			[
				String(count).padEnd(7),
				seconds(bare).toFixed(3).padStart(6),
				seconds(kept).toFixed(3).padStart(11),
				nodeSeconds[count].toFixed(3).padStart(6),
				(nodeSeconds[count] / seconds(bare)).toFixed(2).padStart(9),
				(nodeSeconds[count] / seconds(kept)).toFixed(2).padStart(14),
				`${rss(bare)} / ${rss(kept)} / ${rss(node)}`,
			].join(' | '),
		);
	}
	console.log(
		`scaling: 100k events took ${(nodeSeconds[100_000] / nodeSeconds[10_000]).toFixed(1)}× the time of 10k (linear = 10×)`,
	);
});
