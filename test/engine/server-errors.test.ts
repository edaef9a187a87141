// Errors and answers as the real servers send them: error bodies in an event stream, a debug_url
// in the envelope, Studio's empty answer and its run history, the cloud's trimmed run output, and
// what each server reads from a run request.
import { stopSimulator } from '../simulator/stop';
import { CozeSimulator } from '../simulator/server';
import { ServerStream } from '../simulator/shapes';
import { DEBUG_URL, numbered } from '../simulator/workflows';
import { cozeGraph, WORKFLOW_ID } from '../faults/graph';
import { runWorkflow, useBinaryMode } from './harness';

const EXECUTE_ID = '7404830425073353333';

describe('errors as the servers send them', () => {
	let sim: CozeSimulator;
	beforeAll(() => useBinaryMode('memory'));
	afterEach(() => stopSimulator(sim));

	it('reads a JSON error sent as an event stream with no SSE framing as the Coze error it is (coze-js fetcher.spec.ts)', async () => {
		sim = await CozeSimulator.start();
		sim.override('/v1/workflow/stream_run', (_req, res) => {
			res.writeHead(200, { 'content-type': 'text/event-stream' });
			// coze-js's test feeds exactly this, with "message" rather than "msg", and no newline.
			res.end('{"code": 4101, "message": "Unauthorized"}');
		});
		const result = await runWorkflow(cozeGraph(sim));
		expect(result.nodeError('Coze')?.message).toBe('Coze error 4101: Unauthorized');
		// coze-js warns that 4101 may be a token of the other region: the hint says both.
		expect(result.nodeError('Coze')?.description).toMatch(/permission/);
		expect(result.nodeError('Coze')?.description).toMatch(/coze\.com token is refused by coze\.cn/);
	});

	it("keeps a debug_url at the top of an error envelope (cozepy request.py; Studio's run handler)", async () => {
		sim = await CozeSimulator.start({ flavour: 'studio' });
		sim.defineWorkflow(WORKFLOW_ID, {
			blockingRun: () => ({
				json: { code: 6031, msg: 'Workflow not published', debug_url: DEBUG_URL },
			}),
		});
		const result = await runWorkflow(
			cozeGraph(sim, { options: { runMode: 'sync' }, onError: 'continueRegularOutput' }),
		);
		const [error] = result.output('Coze', 0).map((item) => item.json);
		expect(error).toMatchObject({
			error: expect.stringMatching(/^Coze error 6031: Workflow not published/),
			details: { code: 6031, debug_url: DEBUG_URL },
		});
		expect((error.details as { description: string }).description).toMatch(/publish/i);
		expect((error.details as { description: string }).description).toContain(DEBUG_URL);
	});

	it.each([720702011, 6031])("hints to publish the workflow on Studio's code %i", async (code) => {
		sim = await CozeSimulator.start({ flavour: 'studio' });
		sim.override('/v1/workflow/stream_run', (_req, res) => {
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ code, msg: 'Workflow not published. Please publish it first.' }));
		});
		const result = await runWorkflow(cozeGraph(sim));
		expect(result.nodeError('Coze')?.description).toMatch(/must be published/);
	});

	it('says what an empty answer to a stream run means on Coze Studio', async () => {
		// coze-studio's stream handler has taken over the response when a run cannot start; its
		// error body is then lost (hertz v0.10.2 writeResponse): HTTP 200, JSON type, no body.
		sim = await CozeSimulator.start({ flavour: 'studio' });
		sim.override('/v1/workflow/stream_run', (_req, res) => {
			res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
			res.end();
		});
		const result = await runWorkflow(cozeGraph(sim));
		expect(result.nodeError('Coze')?.message).toBe('Coze answered the run with an empty body');
		expect(result.nodeError('Coze')?.description).toMatch(/published/);
	});
});

describe("Coze Studio's run history (coze-studio OpenAPIGetWorkflowRunHistory)", () => {
	let sim: CozeSimulator;
	beforeAll(() => useBinaryMode('memory'));
	beforeEach(async () => (sim = await CozeSimulator.start({ flavour: 'studio' })));
	afterEach(() => stopSimulator(sim));

	const asyncRun = (history: unknown[]) => {
		sim.defineWorkflow(WORKFLOW_ID, {
			blockingRun: () => ({
				json: { code: 0, msg: '', execute_id: EXECUTE_ID, debug_url: DEBUG_URL },
			}),
			history,
		});
		return runWorkflow(cozeGraph(sim, { options: { runMode: 'async', pollIntervalSeconds: 1 } }));
	};

	it('reads its failure text from error_msg and its log_id', async () => {
		// execute_id a JSON number, error_code a string, error_msg not error_message, log_id a UUID.
		const result = await asyncRun([
			`{"data":[{"execute_id":${EXECUTE_ID},"execute_status":"Fail","error_code":"720701013","error_msg":"node LLM failed: quota","log_id":"6f1c1b7e-2d9a-4c55-8f57-0a3b2c1d4e5f","debug_url":"${DEBUG_URL}"}]}`,
		]);
		expect(result.nodeError('Coze')?.message).toBe(
			`The Coze run ${EXECUTE_ID} failed with error 720701013: node LLM failed: quota (log id 6f1c1b7e-2d9a-4c55-8f57-0a3b2c1d4e5f)`,
		);
	});

	it('says an interrupted run waits for an answer, instead of "failed: <UNSET>"', async () => {
		// Status 5 has no name in Studio's enum: it prints "<UNSET>"; the history names no question.
		const result = await asyncRun([
			`{"data":[{"execute_id":${EXECUTE_ID},"execute_status":"<UNSET>","error_code":"","error_msg":"","debug_url":"${DEBUG_URL}"}]}`,
		]);
		expect(result.nodeError('Coze')?.message).toBe(
			`The Coze run ${EXECUTE_ID} stopped to wait for an answer (an interrupt)`,
		);
		expect(result.nodeError('Coze')?.description).toMatch(/Run Mode "Stream"/);
	});

	it('sends an interrupted run out of the Interrupts output when its history carries the interrupt', async () => {
		// No server is known to put interrupt_data in a history record (Studio's has none): read
		// for whatever does, in the shape of a stream's Interrupt.
		const interrupt = { event_id: `${EXECUTE_ID}/1`, type: 2, data: 'Which city?' };
		const result = await asyncRun([
			`{"data":[{"execute_id":${EXECUTE_ID},"execute_status":"<UNSET>","interrupt_data":${JSON.stringify(interrupt)}}]}`,
		]);
		expect(result.output('Coze', 0)).toEqual([]);
		expect(result.output('Coze', 1).map((item) => item.json)).toEqual([
			expect.objectContaining({
				event_id: `${EXECUTE_ID}/1`,
				interrupt_type: 2,
				question: 'Which city?',
				execute_id: EXECUTE_ID,
			}),
		]);
	});

	it('gives a status it does not know its own message', async () => {
		const result = await asyncRun([
			`{"data":[{"execute_id":${EXECUTE_ID},"execute_status":"Paused"}]}`,
		]);
		expect(result.nodeError('Coze')?.message).toBe(
			`The Coze run ${EXECUTE_ID} is in a state the node does not know: "Paused"`,
		);
	});
});

describe("the cloud's trimmed run output (cozepy run_histories/execute_nodes)", () => {
	let sim: CozeSimulator;
	beforeAll(() => useBinaryMode('memory'));
	beforeEach(async () => (sim = await CozeSimulator.start({ flavour: 'cloud' })));
	afterEach(() => stopSimulator(sim));

	const trimmed = {
		execute_id: EXECUTE_ID,
		execute_status: 'Success',
		output: '',
		is_output_trimmed: true,
		debug_url: DEBUG_URL,
		node_execute_status: {
			'100001': { node_id: '100001', is_finish: true, node_execute_uuid: 'uuid-output-1' },
			'900001': { node_id: '900001', is_finish: true, node_execute_uuid: 'uuid-end' },
		},
	};

	it("fetches each node's output instead of an empty success", async () => {
		const big = 'x'.repeat(1024 * 1024 + 10);
		sim.defineWorkflow(WORKFLOW_ID, {
			blockingRun: () => ({ json: { code: 0, msg: '', execute_id: EXECUTE_ID } }),
			history: [trimmed],
			nodeOutputs: { 'uuid-output-1': big },
		});
		const result = await runWorkflow(
			cozeGraph(sim, { options: { runMode: 'async', pollIntervalSeconds: 1 } }),
		);
		expect(result.nodeError('Coze')).toBeUndefined();
		expect(
			result
				.output('Coze', 0)
				.map((item) => [
					item.json.content === big,
					item.json.node_execute_uuid,
					item.json.execute_id,
				]),
		).toEqual([[true, 'uuid-output-1', EXECUTE_ID]]);
	});

	it("fails clearly when no node's output can be fetched either", async () => {
		sim.defineWorkflow(WORKFLOW_ID, {
			blockingRun: () => ({ json: { code: 0, msg: '', execute_id: EXECUTE_ID } }),
			history: [trimmed],
			nodeOutputs: {},
		});
		const result = await runWorkflow(
			cozeGraph(sim, { options: { runMode: 'async', pollIntervalSeconds: 1 } }),
		);
		expect(result.nodeError('Coze')?.message).toBe(
			`The Coze run ${EXECUTE_ID} succeeded, but its output was over 1 MB and Coze trimmed it`,
		);
	});
});

describe('what each server reads from a run request', () => {
	let sim: CozeSimulator;
	beforeAll(() => useBinaryMode('memory'));
	afterEach(() => stopSimulator(sim));

	it.each(['cloud', 'studio'] as const)(
		'sends the version as both workflow_version (cloud) and version (Studio) to %s',
		async (flavour) => {
			sim = await CozeSimulator.start({ flavour });
			sim.defineWorkflow(WORKFLOW_ID, {
				run: () => ({
					stream: numbered(
						new ServerStream(flavour)
							.message({ title: 'End', id: '900001', type: 'End' }, ['{"output":"v"}'])
							.done(DEBUG_URL).events,
					),
				}),
			});
			await runWorkflow(cozeGraph(sim, { options: { workflowVersion: 'v0.0.5' } }));
			expect(sim.bodiesOf('/v1/workflow/stream_run')[0]).toMatchObject({
				workflow_version: 'v0.0.5',
				version: 'v0.0.5',
			});
		},
	);

	it("unwraps Coze Studio's answer-mode synchronous data", async () => {
		sim = await CozeSimulator.start({ flavour: 'studio' });
		// OpenAPIRun in answer mode: data is {"content_type":1,"data":…,"type_for_model":2}, stringified; token and cost beside it.
		const wrapped = JSON.stringify({
			content_type: 1,
			data: 'The answer is 42.',
			type_for_model: 2,
		});
		sim.defineWorkflow(WORKFLOW_ID, {
			blockingRun: () => ({
				json: {
					code: 0,
					msg: '',
					data: wrapped,
					execute_id: EXECUTE_ID,
					debug_url: DEBUG_URL,
					token: 7,
					cost: '0.00000',
				},
			}),
		});
		const result = await runWorkflow(cozeGraph(sim, { options: { runMode: 'sync' } }));
		expect(result.output('Coze', 0)[0].json).toMatchObject({
			content: 'The answer is 42.',
			token: 7,
			execute_id: EXECUTE_ID,
		});
	});
});
