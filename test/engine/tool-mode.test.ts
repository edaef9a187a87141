import type { StructuredChunk } from 'n8n-workflow';

import { cozeGraph, EVENT_ID, WORKFLOW_ID, type CozeGraphOptions } from '../faults/graph';
import { CozeSimulator } from '../simulator/server';
import { ServerStream } from '../simulator/shapes';
import { stopSimulator } from '../simulator/stop';
import { DEBUG_URL, numbered } from '../simulator/workflows';
import { COZE_TOOL_TYPE, runWorkflow, useBinaryMode } from './harness';

/** The graph with the Coze node as n8n runs it for an AI Agent: the same class under its Tool type. */
function toolGraph(sim: CozeSimulator, options: CozeGraphOptions = {}) {
	const graph = cozeGraph(sim, options);
	graph.nodes.find((node) => node.name === 'Coze')!.type = COZE_TOOL_TYPE;
	return graph;
}

describe("the Coze node as an AI Agent's tool, through the n8n engine", () => {
	let sim: CozeSimulator;
	beforeAll(() => useBinaryMode('memory'));
	beforeEach(async () => (sim = await CozeSimulator.start({ flavour: 'cloud' })));
	afterEach(() => stopSimulator(sim));

	const answering = () => ({
		stream: numbered(
			new ServerStream('cloud')
				.message({ title: 'Think', id: '100001', type: 'Message' }, ['thinking…'])
				.message({ title: 'End', id: '900001', type: 'End' }, ['{"output":"晴 25°C"}'])
				.done(DEBUG_URL).events,
		),
	});

	it('gives the final message only unless Output is set, and streams nothing into the chat unless Stream to Chat is set', async () => {
		sim.defineWorkflow(WORKFLOW_ID, { run: answering });
		const chunks: StructuredChunk[] = [];
		const quiet = await runWorkflow({
			...toolGraph(sim),
			mode: 'webhook',
			onChunk: (chunk) => chunks.push(chunk),
		});
		expect(quiet.output('Coze').map((item) => item.json.parsed)).toEqual([{ output: '晴 25°C' }]);
		expect(chunks.filter((chunk) => chunk.metadata.nodeName === 'Coze')).toEqual([]);

		const chatty = await runWorkflow({
			...toolGraph(sim, { options: { outputMode: 'eachMessage', streamToChat: 'final' } }),
			mode: 'webhook',
			onChunk: (chunk) => chunks.push(chunk),
		});
		expect(chatty.output('Coze')).toHaveLength(2);
		expect(chunks.filter((chunk) => chunk.type === 'item').map((chunk) => chunk.content)).toEqual([
			'晴 25°C',
		]);
	});

	it('answers a failure with an error item the model can read, instead of failing the agent', async () => {
		sim.defineWorkflow(WORKFLOW_ID, {
			run: () => ({
				stream: numbered(
					new ServerStream('cloud').error(5000, 'the model timed out', DEBUG_URL).events,
				),
			}),
		});
		const run = await runWorkflow(toolGraph(sim));
		expect(run.run.status).toBe('success');
		expect(run.output('Coze').map((item) => item.json)).toEqual([
			{
				error: 'The Coze workflow failed with error 5000: the model timed out',
				details: expect.objectContaining({ code: 5000 }),
			},
		]);
		// An Error event came with HTTP 200: Coze's code is not an HTTP status.
		expect(run.output('Coze')[0].json.details).not.toHaveProperty('http_status');
	});

	it('puts an interrupt on the first output, the one an agent reads, as a question to pass on', async () => {
		sim.defineWorkflow(WORKFLOW_ID, {
			run: () => ({
				stream: numbered(
					new ServerStream('cloud').question('Which city?', EVENT_ID, DEBUG_URL).events,
				),
			}),
		});
		const run = await runWorkflow(toolGraph(sim));
		expect(run.output('Coze').map((item) => item.json)).toEqual([
			expect.objectContaining({
				status: 'interrupted',
				question: 'Which city?',
				event_id: EVENT_ID,
				interrupt_type: 2,
				next_step: expect.stringContaining('Resume'),
			}),
		]);
		expect(run.output('Coze', 1)).toEqual([]);
	});
});
