// Synchronous and asynchronous runs on the cloud that stop on an interrupt, and their resume
// through POST /v1/workflows/resume (resume_workflow.md; shapes: test/simulator/blocking-shapes.ts).
import type { INodeParameters } from 'n8n-workflow';

import { stopSimulator } from '../simulator/stop';
import { CozeSimulator } from '../simulator/server';
import {
	cloudAsyncStarted,
	cloudHistoryOutput,
	cloudInterruptedAnswer,
	cloudInterruptedRecord,
	cloudSyncAnswer,
} from '../simulator/blocking-shapes';
import { DEBUG_URL } from '../simulator/workflows';
import { cozeGraph, requestsTo, WORKFLOW_ID } from '../faults/graph';
import {
	COZE_TYPE,
	cozeCredentials,
	runWorkflow,
	useBinaryMode,
	type Edge,
	type TestNode,
} from './harness';

const EXECUTE_ID = '7404830425073354444';
const EVENT_ID = `${EXECUTE_ID}/6961231853298581504`;
const ASK_CITY = { eventId: EVENT_ID, content: '请问你想查看哪个城市的天气？' };

/** Start → Input → Run (mode) → Interrupts → Answer (sets resume_data) → Resume, every Resume field left at its default. */
function runAnswerResume(
	sim: CozeSimulator,
	runOptions: INodeParameters,
	resumeOptions: INodeParameters = {},
) {
	const nodes: TestNode[] = [
		{ name: 'Start', type: 'test.start' },
		{
			name: 'Input',
			type: 'test.fixedItems',
			parameters: { items: JSON.stringify([{ json: {} }]) },
		},
		{
			name: 'Run',
			type: COZE_TYPE,
			parameters: {
				resource: 'workflow',
				operation: 'run',
				workflowId: WORKFLOW_ID,
				parameters: '{}',
				options: runOptions,
			},
		},
		{
			name: 'Answer',
			type: 'test.set',
			parameters: { fields: JSON.stringify({ resume_data: 'Beijing' }) },
		},
		{
			name: 'Resume',
			type: COZE_TYPE,
			parameters: { resource: 'workflow', operation: 'resume', options: resumeOptions },
		},
	];
	const edges: Edge[] = [
		['Start', 0, 'Input'],
		['Input', 0, 'Run'],
		['Run', 1, 'Answer'],
		['Answer', 0, 'Resume'],
	];
	return runWorkflow({ nodes, edges, credentials: cozeCredentials(sim.baseUrl, sim.token) });
}

const RESUME_BODY = {
	workflow_id: WORKFLOW_ID,
	event_id: EVENT_ID,
	interrupt_type: 2,
	resume_data: 'Beijing',
};

describe('Resume after a synchronous or asynchronous run (resume_workflow.md)', () => {
	let sim: CozeSimulator;
	beforeAll(() => useBinaryMode('memory'));
	beforeEach(async () => (sim = await CozeSimulator.start({ flavour: 'cloud' })));
	afterEach(() => stopSimulator(sim));

	it('Synchronous run → interrupt on output 1 with its question → Resume through /v1/workflows/resume → messages', async () => {
		sim.defineWorkflow(WORKFLOW_ID, {
			blockingRun: () => cloudInterruptedAnswer(ASK_CITY, EXECUTE_ID, DEBUG_URL),
			blockingResume: (body) =>
				cloudSyncAnswer(
					`{"output":"Weather for ${String(body.resume_data)}: rain"}`,
					EXECUTE_ID,
					DEBUG_URL,
				),
		});
		const result = await runAnswerResume(sim, { runMode: 'sync' });

		expect(result.output('Run', 0)).toEqual([]);
		expect(result.output('Run', 1).map((item) => item.json)).toEqual([
			expect.objectContaining({
				workflow_id: WORKFLOW_ID,
				event_id: EVENT_ID,
				interrupt_type: 2,
				question: ASK_CITY.content,
				run_mode: 'sync',
				execute_id: EXECUTE_ID,
			}),
		]);
		expect(sim.bodiesOf('/v1/workflows/resume')).toEqual([RESUME_BODY]);
		expect(requestsTo(sim, '/v1/workflow/stream_resume')).toBe(0);
		expect(result.output('Resume', 0).map((item) => item.json)).toEqual([
			expect.objectContaining({
				parsed: { output: 'Weather for Beijing: rain' },
				node_title: 'End',
				execute_id: EXECUTE_ID,
			}),
		]);
		expect(result.output('Resume', 1)).toEqual([]);
	});

	it('a synchronous resume that stops again gives the new interrupt, still to be resumed synchronously', async () => {
		const second = `${EXECUTE_ID}/7000000000000000002`;
		sim.defineWorkflow(WORKFLOW_ID, {
			blockingRun: () => cloudInterruptedAnswer(ASK_CITY, EXECUTE_ID, DEBUG_URL),
			// resume_workflow.md's own example: an input node (type 5) whose content is its form.
			blockingResume: () =>
				cloudInterruptedAnswer(
					{
						eventId: second,
						type: 5,
						content: '[{"type":"string","name":"img","required":true,"assistType":2}]',
						requiredParameters: { img: { required: true, type: 'image' } },
					},
					EXECUTE_ID,
					DEBUG_URL,
				),
		});
		const result = await runAnswerResume(sim, { runMode: 'sync' });
		expect(result.output('Resume', 1).map((item) => item.json)).toEqual([
			expect.objectContaining({
				event_id: second,
				interrupt_type: 5,
				question: '',
				run_mode: 'sync',
				required_parameters: { img: { required: true, type: 'image' } },
			}),
		]);
	});

	it('Asynchronous run stopped on a question → interrupt on output 1 → Resume through /v1/workflows/resume, then the history → messages', async () => {
		sim.defineWorkflow(WORKFLOW_ID, {
			blockingRun: () => cloudAsyncStarted(EXECUTE_ID, DEBUG_URL),
			blockingResume: () => cloudAsyncStarted(EXECUTE_ID, DEBUG_URL),
			history: [
				cloudInterruptedRecord(EXECUTE_ID, DEBUG_URL, ASK_CITY),
				// Resumed and running again: a record that still shows the interrupt just answered is not a new one.
				cloudInterruptedRecord(EXECUTE_ID, DEBUG_URL, ASK_CITY),
				{
					...cloudInterruptedRecord(EXECUTE_ID, DEBUG_URL, ASK_CITY),
					execute_status: 'Success',
					output: cloudHistoryOutput('{"output":"Weather for Beijing: rain"}'),
				},
			],
		});
		const result = await runAnswerResume(
			sim,
			{ runMode: 'async', pollIntervalSeconds: 1 },
			{ pollIntervalSeconds: 1 },
		);

		expect(result.nodeError('Run')).toBeUndefined();
		expect(result.output('Run', 1).map((item) => item.json)).toEqual([
			expect.objectContaining({
				event_id: EVENT_ID,
				interrupt_type: 2,
				question: ASK_CITY.content,
				run_mode: 'async',
				execute_id: EXECUTE_ID,
			}),
		]);
		expect(sim.bodiesOf('/v1/workflows/resume')).toEqual([RESUME_BODY]);
		expect(requestsTo(sim, '/v1/workflow/stream_resume')).toBe(0);
		expect(result.nodeError('Resume')).toBeUndefined();
		expect(result.output('Resume', 0).map((item) => item.json)).toEqual([
			expect.objectContaining({
				parsed: { output: 'Weather for Beijing: rain' },
				execute_id: EXECUTE_ID,
			}),
		]);
	});

	it("Resume's own Run Mode option picks the endpoint when the item does not say", async () => {
		sim.defineWorkflow(WORKFLOW_ID, {
			blockingResume: () => cloudSyncAnswer('{"output":"ok"}', EXECUTE_ID, DEBUG_URL),
		});
		const result = await runWorkflow(
			cozeGraph(sim, {
				operation: 'resume',
				parameters: { eventId: EVENT_ID, resumeData: 'Beijing' },
				options: { runMode: 'sync' },
			}),
		);
		expect(result.output('Coze', 0).map((item) => item.json.parsed)).toEqual([{ output: 'ok' }]);
		expect(sim.bodiesOf('/v1/workflows/resume')).toEqual([RESUME_BODY]);
	});

	it('refuses a run mode on the item that it does not know, naming the field', async () => {
		const result = await runWorkflow(
			cozeGraph(sim, { operation: 'resume', inputs: [{ run_mode: 'batch' }] }),
		);
		expect(result.nodeError('Coze')?.message).toBe(
			'The interrupt item\'s run_mode "batch" is not a run mode',
		);
		expect(sim.requests).toHaveLength(0);
	});
});

describe('Resume of a synchronous run on Coze Studio', () => {
	let sim: CozeSimulator;
	beforeAll(() => useBinaryMode('memory'));
	beforeEach(async () => (sim = await CozeSimulator.start({ flavour: 'studio' })));
	afterEach(() => stopSimulator(sim));

	it('says Studio resumes only streamed runs instead of its session error, and Continue on Fail keeps going', async () => {
		const result = await runWorkflow(
			cozeGraph(sim, {
				operation: 'resume',
				inputs: [{ run_mode: 'sync' }],
				onError: 'continueRegularOutput',
			}),
		);
		expect(result.output('Coze', 0).map((item) => item.json.error)).toEqual([
			'This server has no resume for synchronous or asynchronous runs (Coze Studio serves only the streamed one)',
		]);
		expect(sim.requests.map((request) => request.path)).toEqual(['/v1/workflows/resume']);
	});
});
