// bench:batch — 100 input items through the Coze node (n8n's engine, Run Workflow) against the
// simulator (another process), which answers each run 200 ms after it is asked. For
// Concurrency N = 1, 5, 10 prints the total time and its ratio to the ideal 100 × 0.2 s / N
// (1.00 = no overhead; the target is at least 0.9).
import { COZE_TYPE, cozeCredentials, runWorkflow, useBinaryMode } from '../test/engine/harness';
import { BATCH_RUN_MS, BATCH_WORKFLOW_ID } from './batch-workflow';
import { runBenchmark, type SimulatorChild } from './bench-harness';

const ITEMS = 100;

async function batchSeconds(sim: SimulatorChild, concurrency: number): Promise<number> {
	const items = Array.from({ length: ITEMS }, (_, n) => ({ json: { n } }));
	const started = performance.now();
	const result = await runWorkflow({
		nodes: [
			{ name: 'Start', type: 'test.start' },
			{ name: 'Items', type: 'test.fixedItems', parameters: { items: JSON.stringify(items) } },
			{
				name: 'Coze',
				type: COZE_TYPE,
				parameters: {
					resource: 'workflow',
					operation: 'run',
					workflowId: BATCH_WORKFLOW_ID,
					parameters: '={{ { n: $json.n } }}',
					requestOptions: { concurrency },
				},
			},
		],
		edges: [
			['Start', 0, 'Items'],
			['Items', 0, 'Coze'],
		],
		credentials: cozeCredentials(sim.baseUrl, sim.token),
	});
	const seconds = (performance.now() - started) / 1000;
	const outputs = result.output('Coze', 0);
	if (
		outputs.length !== ITEMS ||
		outputs.some((item, i) => (item.pairedItem as { item: number }).item !== i)
	) {
		throw new Error(
			`expected ${ITEMS} items in input order: ${JSON.stringify(result.nodeError('Coze'))}`,
		);
	}
	return seconds;
}

runBenchmark(['--batch-workflow'], async (sim) => {
	await useBinaryMode('memory');
	await batchSeconds(sim, 10); // warm-up: JIT, connections
	console.log(
		`bench:batch: ${ITEMS} items, each run answered after ${BATCH_RUN_MS} ms; the simulator runs in a separate process`,
	);
	console.log('concurrency | total s | ideal s | ideal/total');
	for (const concurrency of [1, 5, 10]) {
		const seconds = await batchSeconds(sim, concurrency);
		const ideal = (ITEMS * BATCH_RUN_MS) / 1000 / concurrency;
		console.log(
			`${String(concurrency).padStart(11)} | ${seconds.toFixed(2).padStart(7)} | ${ideal.toFixed(2).padStart(7)} | ${(ideal / seconds).toFixed(2).padStart(11)}`,
		);
	}
});
