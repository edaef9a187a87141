// bench:queue — n8n in queue mode (main, PostgreSQL, Redis, the packed node): RUNS Coze runs of
// RUN_MS each, all sent at once to a production webhook, with one worker and then with two (the
// same --concurrency each). Ideal: RUNS × RUN_MS / concurrency with one worker, half that with
// two; the speed-up two/one is the figure (target ≥ 1.8×). Each setting is timed ROUNDS times,
// after a warm-up round, and the median kept. The CPU each part of the cluster used in a round is
// printed beside it: on a small machine the workers' CPU, not the queue, sets the pace. That is
// why it runs at two concurrencies (a fresh cluster each): one that leaves the cores room, one
// that fills them, so the ratio is never read without knowing which of the two it was.
import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';

import { startQueueN8n, type QueueN8n } from '../test/n8n/queue-n8n';
import { WorkerTracker } from '../test/n8n/queue-tracker';
import { QUEUE_PATHS, QUEUE_WEBHOOK_PATHS, queueWorkflows } from '../test/n8n/queue-workflows';
import { CozeSimulator } from '../test/simulator/server';
import { ServerStream } from '../test/simulator/shapes';
import { makeTempRoot, removeTempRoot } from '../test/temp-root';
import { DEBUG_URL, numbered } from '../test/simulator/workflows';
import { median } from './bench-harness';

const RUNS = Number(process.env.BENCH_RUNS ?? 100);
const RUN_MS = 500;
/** Jobs per worker at once (`n8n worker --concurrency`), one cluster per value: BENCH_CONCURRENCY=5,10. */
const CONCURRENCIES = (process.env.BENCH_CONCURRENCY ?? '5,10').split(',').map(Number);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WORKFLOW_ID = '7404830425073352740';
/** More n8n settings for a variant, e.g. BENCH_N8N_ENV=N8N_EXPRESSION_ENGINE=legacy (comma-separated KEY=VALUE). */
const N8N_ENV: Record<string, string> = Object.fromEntries(
	(process.env.BENCH_N8N_ENV ?? '')
		.split(',')
		.filter((pair) => pair.includes('='))
		.map((pair) => [
			pair.slice(0, pair.indexOf('=')).trim(),
			pair.slice(pair.indexOf('=') + 1).trim(),
		]),
);

/** CPU seconds used so far by a process and its children that have ended (utime + stime + cutime + cstime). */
function cpuSeconds(pid: number): number {
	try {
		const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
		return (
			(Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / 100
		);
	} catch {
		return 0;
	}
}

/** The CPU each part of the cluster has used so far: main, each worker, PostgreSQL (all its processes), Redis, this process. */
function cpuByPart(n8n: QueueN8n): Record<string, number> {
	const postgres = readdirSync('/proc')
		.filter((entry) => /^\d+$/.test(entry))
		.map(Number)
		.filter(
			(pid) => pid === n8n.services.postgres.pid || parentOf(pid) === n8n.services.postgres.pid,
		);
	const usage = process.cpuUsage();
	return {
		main: cpuSeconds(n8n.main.pid),
		...Object.fromEntries(
			n8n.workers.map((worker) => [`worker ${worker.index}`, cpuSeconds(worker.pid)]),
		),
		postgres: postgres.reduce((sum, pid) => sum + cpuSeconds(pid), 0),
		redis: cpuSeconds(n8n.services.redis.pid),
		'simulator + callers': (usage.user + usage.system) / 1e6,
	};
}

function parentOf(pid: number): number {
	try {
		return Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[1]);
	} catch {
		return -1;
	}
}

async function round(
	n8n: QueueN8n,
	tracker: WorkerTracker,
	runs: number,
): Promise<{ seconds: number; perWorker: Record<string, number>; cpu: Record<string, number> }> {
	const from = tracker.served.length;
	const cpuBefore = cpuByPart(n8n);
	const started = performance.now();
	const answers = await Promise.all(
		Array.from({ length: runs }, async (_, n) => {
			const response = await fetch(`${n8n.base}/webhook/${QUEUE_PATHS.run}`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ workflow_id: WORKFLOW_ID, parameters: { n } }),
			});
			return {
				n,
				status: response.status,
				items: (await response.json()) as Array<{ content?: string }>,
			};
		}),
	);
	const seconds = (performance.now() - started) / 1000;
	const cpuAfter = cpuByPart(n8n);
	const cpu = Object.fromEntries(
		Object.entries(cpuAfter).map(([part, used]) => [
			part,
			Number((used - (cpuBefore[part] ?? 0)).toFixed(2)),
		]),
	);
	for (const { n, status, items } of answers) {
		if (status !== 200 || items[0]?.content !== `{"output":"run ${n}"}`)
			throw new Error(`run ${n} answered HTTP ${status}: ${JSON.stringify(items).slice(0, 300)}`);
	}
	const perWorker: Record<string, number> = {};
	for (const entry of tracker.served.slice(from))
		if (entry.record.path === '/v1/workflow/stream_run')
			perWorker[entry.by] = (perWorker[entry.by] ?? 0) + 1;
	return { seconds, perWorker, cpu };
}

async function measure(n8n: QueueN8n, tracker: WorkerTracker, label: string): Promise<number> {
	// Warm-up: every worker loads the node and opens its connections before the clock runs.
	await round(n8n, tracker, RUNS);
	const times: number[] = [];
	for (let i = 0; i < ROUNDS; i++) {
		const { seconds, perWorker, cpu } = await round(n8n, tracker, RUNS);
		times.push(seconds);
		const busy =
			Object.values(cpu).reduce((sum, used) => sum + used, 0) / (seconds * cpus().length);
		console.log(
			`  ${label}, round ${i + 1}: ${seconds.toFixed(2)} s, runs per worker ${JSON.stringify(perWorker)}`,
		);
		console.log(
			`    CPU seconds: ${Object.entries(cpu)
				.map(([part, used]) => `${part} ${used.toFixed(2)}`)
				.join(', ')} — ${(busy * 100).toFixed(0)}% of ${cpus().length} cores`,
		);
	}
	return median(times);
}

interface Speedup {
	concurrency: number;
	one: number;
	two: number;
}

/** One cluster at `concurrency`: one worker, then a second added. */
async function speedupAt(
	sim: CozeSimulator,
	concurrency: number,
	variant: string,
): Promise<Speedup> {
	console.log(
		`bench:queue — starting n8n in queue mode (main, 1 worker --concurrency=${concurrency}, PostgreSQL, Redis${variant}) on ${cpus().length} cores…`,
	);
	const n8n = await startQueueN8n({
		simulatorPort: sim.port,
		workflows: queueWorkflows(),
		webhookPaths: QUEUE_WEBHOOK_PATHS,
		workers: 1,
		concurrency,
		env: N8N_ENV,
		log: () => {},
	});
	try {
		const tracker = new WorkerTracker(sim, () => [n8n.main, ...n8n.workers]);
		const one = await measure(n8n, tracker, '1 worker');
		await n8n.addWorker();
		const two = await measure(n8n, tracker, '2 workers');
		return { concurrency, one, two };
	} finally {
		await n8n.stop();
	}
}

async function main(): Promise<void> {
	const tempRoot = makeTempRoot();
	const sim = await CozeSimulator.start({ flavour: 'cloud' });
	try {
		sim.defineWorkflow(WORKFLOW_ID, {
			run: (body) => ({
				stream: numbered(
					new ServerStream('cloud')
						.message({ title: 'End', type: 'End' }, [
							`{"output":"run ${String((body.parameters as { n?: number }).n)}"}`,
						])
						.done(DEBUG_URL).events,
				),
				// The workflow takes RUN_MS before its first byte: a worker's slot is busy that long.
				shape: { initialDelayMs: RUN_MS },
			}),
		});
		const variant = Object.keys(N8N_ENV).length
			? `, with ${Object.entries(N8N_ENV)
					.map(([key, value]) => `${key}=${value}`)
					.join(' ')}`
			: '';
		const results: Speedup[] = [];
		for (const concurrency of CONCURRENCIES)
			results.push(await speedupAt(sim, concurrency, variant));

		const ideal = (concurrency: number, workers: number) =>
			(RUNS * RUN_MS) / 1000 / (concurrency * workers);
		console.log(
			`\nbench:queue — ${RUNS} Coze runs of ${RUN_MS} ms through a production webhook${variant}, ${cpus().length} cores (median of ${ROUNDS})`,
		);
		for (const { concurrency, one, two } of results) {
			console.log(
				`  --concurrency=${concurrency} per worker: 1 worker ${one.toFixed(2)} s (ideal ${ideal(concurrency, 1).toFixed(2)} s), 2 workers ${two.toFixed(2)} s (ideal ${ideal(concurrency, 2).toFixed(2)} s)`,
			);
			console.log(`    speed-up two/one: ${(one / two).toFixed(2)}× (target ≥ 1.8×)`);
		}
	} finally {
		await sim.close();
		removeTempRoot(tempRoot);
	}
}

main().catch((error: unknown) => {
	console.error(error);
	process.exitCode = 1;
});
