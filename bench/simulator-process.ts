// Runs the Coze simulator in a process of its own, so a benchmark measures only the client's
// memory. Prints one JSON line {baseUrl, token} when ready; stops when its stdin closes.
import { CozeSimulator } from '../test/simulator/server';
import { STREAM_BENCH_WORKFLOWS, streamBenchBody } from './stream-workflows';

void (async () => {
	const simulator = await CozeSimulator.start({ flavour: 'cloud' });
	if (process.argv.includes('--stream-workflows')) {
		for (const [workflowId, count] of Object.entries(STREAM_BENCH_WORKFLOWS)) {
			const encodedStream = streamBenchBody(count);
			simulator.defineWorkflow(workflowId, { run: () => ({ encodedStream }) });
		}
	}
	process.stdout.write(`${JSON.stringify({ baseUrl: simulator.baseUrl, token: simulator.token })}\n`);
	process.stdin.resume();
	process.stdin.on('end', () => void simulator.close().then(() => process.exit(0)));
})();
