// The cloud's stream as cozepy recorded it (tests/testdata/workflow_run_stream_resp.txt): its End
// message has node_title "" and no node_id or node_type (test/simulator/recorded-streams.ts).
import type { StructuredChunk } from 'n8n-workflow';

import { stopSimulator } from '../simulator/stop';
import { CozeSimulator } from '../simulator/server';
import { COZEPY_RECORDED_ANSWER, cozepyRecordedRun } from '../simulator/recorded-streams';
import { cozeGraph, WORKFLOW_ID } from '../faults/graph';
import { runWorkflow, useBinaryMode } from './harness';

describe("the cloud's recorded stream (cozepy workflow_run_stream_resp.txt)", () => {
	let sim: CozeSimulator;
	beforeAll(() => useBinaryMode('memory'));
	beforeEach(async () => {
		sim = await CozeSimulator.start({ flavour: 'cloud' });
		sim.defineWorkflow(WORKFLOW_ID, { run: () => ({ stream: cozepyRecordedRun() }) });
	});
	afterEach(() => stopSimulator(sim));

	it('Stream to Chat "Final Answer Only" streams the End node\'s answer', async () => {
		const chunks: StructuredChunk[] = [];
		const result = await runWorkflow({
			...cozeGraph(sim, { options: { streamToChat: 'final' } }),
			mode: 'webhook',
			onChunk: (chunk) => chunks.push(chunk),
		});
		expect(result.run.status).toBe('success');
		const mine = chunks.filter((chunk) => chunk.metadata.nodeName === 'Coze');
		expect(mine.map((chunk) => chunk.type)).toEqual(['begin', 'item', 'end']);
		expect(
			mine
				.filter((chunk) => chunk.type === 'item')
				.map((chunk) => chunk.content)
				.join(''),
		).toBe(COZEPY_RECORDED_ANSWER);
	});

	it('Output "Final Message Only" gives the End node\'s message', async () => {
		const result = await runWorkflow(cozeGraph(sim, { options: { outputMode: 'lastMessage' } }));
		expect(result.output('Coze', 0).map((item) => item.json)).toEqual([
			expect.objectContaining({
				parsed: { output: COZEPY_RECORDED_ANSWER },
				node_title: '',
				cost: '0.00',
				token: 0,
			}),
		]);
	});
});
