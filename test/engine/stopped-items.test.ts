// An item fails without "Continue on Fail" while other items run alongside it (Request Options →
// Concurrency): n8n keeps nothing of the node, so its error says which items ran in Coze and
// where to find each run, and which were never started.
import { cozeGraph, requestsTo, WORKFLOW_ID } from '../faults/graph';
import { stopSimulator } from '../simulator/stop';
import { CozeSimulator } from '../simulator/server';
import { messageChunks, numbered } from '../simulator/workflows';
import { runWorkflow, useBinaryMode } from './harness';

/** Each run's own debug URL, as Coze gives one per execution (coze-go's Done fixture, Studio's Done). */
const debugUrlOf = (n: number) =>
	`https://www.coze.cn/work_flow?execute_id=74048304250733530${String(n).padStart(2, '0')}&space_id=1&workflow_id=${WORKFLOW_ID}`;

describe('an item that fails while others run alongside it, without Continue on Fail', () => {
	let sim: CozeSimulator;
	beforeAll(() => useBinaryMode('memory'));
	beforeEach(async () => {
		sim = await CozeSimulator.start();
		// Item 3 fails at once; the others take a moment, so they are still running when it does.
		sim.defineWorkflow(WORKFLOW_ID, {
			run: (body) => {
				const n = (body.parameters as { n: number }).n;
				if (n === 3)
					return {
						stream: numbered([
							{ event: 'Error', data: { error_code: 5000, error_message: 'no such city' } },
						]),
					};
				return {
					stream: numbered([
						...messageChunks({ title: 'End', uuid: `e${n}` }, [`done ${n}`]),
						{ event: 'Done', data: { debug_url: debugUrlOf(n) } },
					]),
					shape: { initialDelayMs: 150 },
				};
			},
		});
	});
	afterEach(() => stopSimulator(sim));

	const inputs = Array.from({ length: 10 }, (_, n) => ({ n }));

	it('with 10 items at Concurrency 10 and item 3 failing, names the 9 runs that finished in Coze, each with its debug URL', async () => {
		const result = await runWorkflow(
			cozeGraph(sim, { inputs, requestOptions: { concurrency: 10 } }),
		);
		expect(result.run.status).toBe('error');
		const error = result.nodeError('Coze') as {
			message: string;
			description?: string;
			context?: { itemIndex?: number };
		};
		expect(error.message).toBe('The Coze workflow failed with error 5000: no such city');
		expect(error.context?.itemIndex).toBe(3);
		expect(requestsTo(sim, '/v1/workflow/stream_run')).toBe(10);
		expect(error.description).toContain(
			'Other items ran in Coze, and their results are not kept when the node fails',
		);
		for (const n of [0, 1, 2, 4, 5, 6, 7, 8, 9])
			expect(error.description).toContain(`item ${n}: finished, ${debugUrlOf(n)}`);
		expect(error.description).not.toContain('item 3:');
		expect(error.description).not.toContain('Not started');
	});

	it('starts no more items after the failure, and names those it did not start', async () => {
		const result = await runWorkflow(
			cozeGraph(sim, { inputs, requestOptions: { concurrency: 2 } }),
		);
		const description = result.nodeError('Coze')?.description ?? '';
		expect(requestsTo(sim, '/v1/workflow/stream_run')).toBe(4);
		expect(description).toContain(
			`item 0: finished, ${debugUrlOf(0)}; item 1: finished, ${debugUrlOf(1)}; item 2: finished, ${debugUrlOf(2)}.`,
		);
		expect(description).toContain('Not started: items 4–9.');
	});

	it('with Continue on Fail, gives every item its result or error, in input order', async () => {
		const result = await runWorkflow(
			cozeGraph(sim, {
				inputs,
				requestOptions: { concurrency: 10 },
				onError: 'continueRegularOutput',
			}),
		);
		expect(result.output('Coze').map((item) => item.json.content ?? item.json.error)).toEqual(
			inputs.map(({ n }) =>
				n === 3 ? 'The Coze workflow failed with error 5000: no such city' : `done ${n}`,
			),
		);
	});
});
