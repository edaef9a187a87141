// bench:queue-upload — a big file through n8n's queue mode (main, 1 worker, PostgreSQL, Redis,
// the packed node): POSTed to a Webhook, stored by the main as binary data, uploaded to Coze by
// the worker. For n8n's two binary data modes that work across processes here — `database`
// (queue mode's default) and `filesystem` — the time and the peak resident memory of the worker
// and of the main, per file size. Each size gets a fresh main and worker (restarted, so that
// memory one upload kept does not count for the next), and a 1 MiB upload first, so that loading
// code does not count either. The sizes go up to the first one that fails.
import { startQueueN8n, type QueueN8n } from '../test/n8n/queue-n8n';
import { WorkerTracker } from '../test/n8n/queue-tracker';
import {
	binaryFailureInLogs,
	MiB,
	uploadThroughWebhook,
	type UploadOutcome,
} from '../test/n8n/queue-upload';
import { QUEUE_WEBHOOK_PATHS, queueWorkflows } from '../test/n8n/queue-workflows';
import { CozeSimulator } from '../test/simulator/server';
import { makeTempRoot, removeTempRoot } from '../test/temp-root';

const SIZES_MIB = (process.env.BENCH_SIZES_MIB ?? '100,250,300').split(',').map(Number);
const MODES = (process.env.BENCH_MODES ?? 'database,filesystem').split(',') as Array<
	'database' | 'filesystem'
>;
/** The longest one upload may take before it counts as failed. */
const TIMEOUT_MS = 3 * 60_000;

interface Row {
	mode: string;
	mib: number;
	result: string;
	seconds: number;
	worker?: { before: number; peak: number };
	main?: { before: number; peak: number };
}

function rowOf(mode: string, mib: number, outcome: UploadOutcome, n8n: QueueN8n): Row {
	const intact =
		outcome.response?.status === 200 &&
		outcome.received?.complete === true &&
		outcome.received.sha256 === outcome.sha256;
	const result = intact
		? 'intact'
		: outcome.gaveUp
			? `FAILED: ${outcome.gaveUp.slice(0, 120)}`
			: `FAILED: ${outcome.response ? `HTTP ${outcome.response.status} ${JSON.stringify(outcome.response.json).slice(0, 100)}` : `no answer in ${TIMEOUT_MS / 1000} s`}`;
	const worker = outcome.worker ?? n8n.workers[0];
	return {
		mode,
		mib,
		result,
		seconds: outcome.seconds,
		worker: outcome.memory.get(worker),
		main: outcome.memory.get(n8n.main),
	};
}

async function main(): Promise<void> {
	const tempRoot = makeTempRoot();
	const sim = await CozeSimulator.start({ flavour: 'cloud' });
	const rows: Row[] = [];
	try {
		for (const mode of MODES) {
			console.log(`bench:queue-upload — n8n in queue mode, binary data mode "${mode}"…`);
			const n8n = await startQueueN8n({
				simulatorPort: sim.port,
				workflows: queueWorkflows(),
				webhookPaths: QUEUE_WEBHOOK_PATHS,
				workers: 1,
				binaryDataMode: mode,
				log: () => {},
			});
			try {
				const tracker = new WorkerTracker(sim, () => [n8n.main, ...n8n.workers]);
				for (const [i, mib] of SIZES_MIB.entries()) {
					if (i > 0) await n8n.restart({});
					await uploadThroughWebhook(n8n, sim, tracker, MiB);
					const outcome = await uploadThroughWebhook(n8n, sim, tracker, mib * MiB, {
						timeoutMs: TIMEOUT_MS,
						giveUp: binaryFailureInLogs(n8n),
					});
					const row = rowOf(mode, mib, outcome, n8n);
					rows.push(row);
					console.log(`  ${mib} MiB: ${row.result}, ${row.seconds.toFixed(1)} s`);
					// A failed read leaves the worker's database connection broken: no more sizes in this mode.
					if (row.result !== 'intact') break;
				}
			} finally {
				await n8n.stop();
			}
		}
		const mem = (value?: { before: number; peak: number }) =>
			value ? `${value.before} → ${value.peak} (+${value.peak - value.before})` : '–';
		console.log(
			'\nbench:queue-upload — one file POSTed to a Webhook → Coze Upload on the worker; resident memory in MiB, before → peak (growth)',
		);
		console.log('| mode | file | result | time | worker | main |');
		console.log('|---|---|---|---|---|---|');
		for (const row of rows)
			console.log(
				`| ${row.mode} | ${row.mib} MiB | ${row.result} | ${row.seconds.toFixed(1)} s | ${mem(row.worker)} | ${mem(row.main)} |`,
			);
	} finally {
		await sim.close();
		removeTempRoot(tempRoot);
	}
}

main().catch((error: unknown) => {
	console.error(error);
	process.exitCode = 1;
});
