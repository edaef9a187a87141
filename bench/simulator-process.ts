// Runs the Coze simulator in a process of its own, so a benchmark measures only the client's
// memory. Prints one JSON line {baseUrl, token} when ready; stops when its stdin closes.
import { CozeSimulator } from '../test/simulator/server';
import { messageChunks, numbered } from '../test/simulator/workflows';
import { BATCH_RUN_MS, BATCH_WORKFLOW_ID } from './batch-workflow';
import { STREAM_BENCH_WORKFLOWS, streamBenchBody } from './stream-workflows';

void (async () => {
	const simulator = await CozeSimulator.start({ flavour: 'cloud' });
	if (process.argv.includes('--batch-workflow')) {
		// Answers each run 200 ms after it is asked: bench/batch's ideal is 100 × 0.2 s / N.
		simulator.defineWorkflow(BATCH_WORKFLOW_ID, {
			run: () => ({
				stream: numbered([
					...messageChunks({ title: 'End', uuid: 'end' }, ['{"output":"done"}']),
					{ event: 'Done', data: {} },
				]),
				shape: { initialDelayMs: BATCH_RUN_MS, splitAt: () => [] },
			}),
		});
	}
	if (process.argv.includes('--stream-workflows')) {
		for (const [workflowId, count] of Object.entries(STREAM_BENCH_WORKFLOWS)) {
			const encodedStream = streamBenchBody(count);
			simulator.defineWorkflow(workflowId, { run: () => ({ encodedStream }) });
		}
	}
	process.stdout.write(
		`${JSON.stringify({ baseUrl: simulator.baseUrl, token: simulator.token })}\n`,
	);
	process.stdin.resume();
	process.stdin.on('end', () => void simulator.close().then(() => process.exit(0)));
})();
