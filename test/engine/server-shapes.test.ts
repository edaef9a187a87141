// What coze.cn, coze.com and Coze Studio really send: the interrupt's question,
// node executions told apart, and every field Coze names carried into the items. The streams
// come from test/simulator/shapes.ts, whose every shape names its evidence.
import { stopSimulator } from '../simulator/stop';
import { CozeSimulator } from '../simulator/server';
import { ServerStream } from '../simulator/shapes';
import { DEBUG_URL, numbered } from '../simulator/workflows';
import { cozeGraph, EVENT_ID, WORKFLOW_ID } from '../faults/graph';
import { runWorkflow, useBinaryMode } from './harness';

describe.each(['cloud', 'studio'] as const)('the shapes %s sends', (flavour) => {
	let sim: CozeSimulator;
	beforeAll(() => useBinaryMode('memory'));
	beforeEach(async () => (sim = await CozeSimulator.start({ flavour })));
	afterEach(() => stopSimulator(sim));

	const streams = (build: (stream: ServerStream) => ServerStream) =>
		sim.defineWorkflow(WORKFLOW_ID, {
			run: () => ({ stream: numbered(build(new ServerStream(flavour)).events) }),
		});

	it("puts the question a person must answer in the interrupt item's question, data kept raw", async () => {
		streams((stream) =>
			stream
				.message({ title: 'Intro', id: '100001', type: 'LLM' }, ['Planning ', 'your trip.'])
				.question('这个周末想去哪里？', EVENT_ID, DEBUG_URL),
		);
		const result = await runWorkflow(cozeGraph(sim));
		const [interrupt] = result.output('Coze', 1);
		expect(interrupt.json).toMatchObject({
			event_id: EVENT_ID,
			interrupt_type: 2,
			question: '这个周末想去哪里？',
		});
		expect(interrupt.json.data).toBe(
			flavour === 'cloud'
				? ''
				: JSON.stringify({
						messages: [
							{
								type: 'question',
								content_type: 'text',
								content: '这个周末想去哪里？',
								id: '133234_0',
							},
						],
					}),
		);
	});

	it('keeps two executions of one node apart when their chunks interleave, and orders each', async () => {
		// The cloud tells them apart by batch_index (no node_execute_uuid); Studio's two nodes here
		// are two node_ids, its seq counting on per node across the stream.
		const a =
			flavour === 'cloud'
				? { title: 'Summarise', id: '200001', batchIndex: 0 }
				: { title: 'Summarise', id: '200001' };
		const b =
			flavour === 'cloud'
				? { title: 'Summarise', id: '200001', batchIndex: 1 }
				: { title: 'Summarise', id: '200002' };
		const stream = new ServerStream(flavour);
		stream.message(a, ['A0 ']).message(b, ['B0 ']);
		const [a0, b0] = stream.events.splice(0, 2);
		(a0.data as Record<string, unknown>).node_is_finish = false;
		(b0.data as Record<string, unknown>).node_is_finish = false;
		stream.message(a, ['A1']).message(b, ['B1']);
		const [a1, b1] = stream.events.splice(0, 2);
		if (flavour === 'cloud') {
			(a1.data as Record<string, unknown>).node_seq_id = '1';
			(b1.data as Record<string, unknown>).node_seq_id = '1';
		}
		sim.defineWorkflow(WORKFLOW_ID, {
			run: () => ({ stream: numbered([a0, b0, a1, b1, ...stream.done(DEBUG_URL).events]) }),
		});
		const result = await runWorkflow(cozeGraph(sim));
		expect(result.output('Coze', 0).map((item) => item.json.content)).toEqual(['A0 A1', 'B0 B1']);
	});

	it('keeps a node that runs twice in a row as two messages', async () => {
		const node = { title: 'Loop body', id: '300001', type: 'LLM' };
		const loop = (index: number) => (flavour === 'cloud' ? { ...node, loopIndex: index } : node);
		streams((stream) =>
			stream
				.message(loop(0), ['first ', 'pass'])
				.message(loop(1), ['second ', 'pass'])
				.done(DEBUG_URL),
		);
		const result = await runWorkflow(cozeGraph(sim));
		expect(result.output('Coze', 0).map((item) => item.json.content)).toEqual([
			'first pass',
			'second pass',
		]);
	});

	it('carries the fields Coze sends with a message, named as Coze names them', async () => {
		streams((stream) =>
			stream
				.message({ title: 'Reply', id: '400001', type: 'LLM' }, ['Hello'], { tokens: 30 })
				.message({ title: 'End', id: '900001', type: 'End' }, ['{"output":"bye"}'], { tokens: 12 })
				.done(DEBUG_URL),
		);
		const result = await runWorkflow(cozeGraph(sim));
		const [reply, end] = result.output('Coze', 0).map((item) => item.json);
		if (flavour === 'studio') {
			// convertStreamRunEvent: token, never usage.
			expect(reply).toMatchObject({
				content: 'Hello',
				node_id: '400001',
				node_type: 'LLM',
				token: 30,
				debug_url: DEBUG_URL,
			});
			expect(reply.usage).toBeUndefined();
			expect(end).toMatchObject({ node_id: '900001', token: 12, parsed: { output: 'bye' } });
		} else {
			expect(reply).toMatchObject({ content: 'Hello', usage: { token_count: 30 } });
			expect(end).toMatchObject({ cost: '0.00', token: 12, parsed: { output: 'bye' } });
		}
	});

	it('gives the messages before a failure the debug URL of the Error event', async () => {
		streams((stream) =>
			stream
				.message({ title: 'Reply', id: '400001', type: 'LLM' }, ['partial answer'])
				.error(720701013, 'node failed', DEBUG_URL),
		);
		const result = await runWorkflow(cozeGraph(sim, { onError: 'continueRegularOutput' }));
		const [message, error] = result.output('Coze', 0).map((item) => item.json);
		expect(message).toMatchObject({ content: 'partial answer' });
		expect(error).toMatchObject({
			error: 'The Coze workflow failed with error 720701013: node failed',
		});
		if (flavour === 'studio') {
			expect(message.debug_url).toBe(DEBUG_URL);
			expect(error).toMatchObject({ details: { debug_url: DEBUG_URL } });
		}
	});
});

describe('cloud-only fields', () => {
	let sim: CozeSimulator;
	beforeAll(() => useBinaryMode('memory'));
	beforeEach(async () => (sim = await CozeSimulator.start({ flavour: 'cloud' })));
	afterEach(() => stopSimulator(sim));

	it("tells the End of a sub-workflow from the parent's End (both 900001) by sub_execute_id, and carries ext", async () => {
		const stream = new ServerStream('cloud')
			.message({ title: 'End', id: '900001', type: 'End', subExecuteId: '7404830425073351111' }, [
				'{"output":"inner"}',
			])
			.message({ title: 'End', id: '900001', type: 'End' }, ['{"output":"outer"}'])
			.done(DEBUG_URL);
		(stream.events[1].data as Record<string, unknown>).ext = { trace: 'x' };
		sim.defineWorkflow(WORKFLOW_ID, { run: () => ({ stream: numbered(stream.events) }) });
		const result = await runWorkflow(cozeGraph(sim));
		expect(result.output('Coze', 0).map((item) => item.json)).toEqual([
			expect.objectContaining({
				parsed: { output: 'inner' },
				sub_execute_id: '7404830425073351111',
			}),
			expect.objectContaining({ parsed: { output: 'outer' }, ext: { trace: 'x' } }),
		]);
	});

	it('carries execute_id, token and cost of a synchronous run', async () => {
		// coze-js RunWorkflowData: data, cost, token, msg, debug_url, execute_id.
		sim.defineWorkflow(WORKFLOW_ID, {
			blockingRun: () => ({
				json: {
					code: 0,
					msg: '',
					data: '{"output":"sync"}',
					execute_id: '7404830425073352222',
					debug_url: DEBUG_URL,
					token: 99,
					cost: '0.01',
				},
			}),
		});
		const result = await runWorkflow(cozeGraph(sim, { options: { runMode: 'sync' } }));
		expect(result.output('Coze', 0)[0].json).toMatchObject({
			content: '{"output":"sync"}',
			execute_id: '7404830425073352222',
			token: 99,
			cost: '0.01',
			debug_url: DEBUG_URL,
		});
	});
});
