// An asynchronous run's result as the cloud's run history gives it (workflow_history.md; shapes:
// test/simulator/blocking-shapes.ts): the End's output under "Output", one key per Output node,
// is_finish, logid.
import { stopSimulator } from '../simulator/stop';
import { CozeSimulator } from '../simulator/server';
import {
	cloudAsyncStarted,
	cloudHistoryOutput,
	cloudHistoryRecord,
	cloudSyncAnswer,
} from '../simulator/blocking-shapes';
import { DEBUG_URL } from '../simulator/workflows';
import { cozeGraph, WORKFLOW_ID } from '../faults/graph';
import { runWorkflow, useBinaryMode } from './harness';

const EXECUTE_ID = '7404830425073354444';

describe("an asynchronous run's result from the cloud's run history (workflow_history.md)", () => {
	let sim: CozeSimulator;
	beforeAll(() => useBinaryMode('memory'));
	beforeEach(async () => (sim = await CozeSimulator.start({ flavour: 'cloud' })));
	afterEach(() => stopSimulator(sim));

	const asyncRun = (
		record: Record<string, unknown>,
		nodeOutputs?: Record<string, string | { output: string; isFinish: boolean }>,
	) => {
		sim.defineWorkflow(WORKFLOW_ID, {
			blockingRun: () => cloudAsyncStarted(EXECUTE_ID, DEBUG_URL),
			history: [cloudHistoryRecord(EXECUTE_ID, DEBUG_URL, record)],
			nodeOutputs,
		});
		return runWorkflow(cozeGraph(sim, { options: { runMode: 'async', pollIntervalSeconds: 1 } }));
	};

	it('gives the same item as a synchronous run of the same workflow', async () => {
		sim.defineWorkflow(WORKFLOW_ID, {
			blockingRun: () => cloudSyncAnswer('{"output":"later"}', EXECUTE_ID, DEBUG_URL),
		});
		const sync = await runWorkflow(cozeGraph(sim, { options: { runMode: 'sync' } }));
		const async = await asyncRun({
			execute_status: 'Success',
			output: cloudHistoryOutput('{"output":"later"}'),
		});
		expect(sync.output('Coze', 0)).toHaveLength(1);
		// The history record adds its token count ("0" in workflow_history.md's example); the rest is the same.
		expect(async.output('Coze', 0).map((item) => item.json)).toEqual(
			sync.output('Coze', 0).map((item) => ({ ...item.json, token: '0' })),
		);
	});

	it('unwraps an answer-mode End node and gives each Output node its own message, the End last', async () => {
		const result = await asyncRun({
			execute_status: 'Success',
			output: cloudHistoryOutput({ answer: '来找姐姐有什么事呀' }, { 输出节点_1: '第一步' }),
		});
		expect(
			result.output('Coze', 0).map((item) => [item.json.content, item.json.node_title]),
		).toEqual([
			['第一步', '输出节点_1'],
			['来找姐姐有什么事呀', 'End'],
		]);
	});

	it("says a node's output is partial when Coze says it did not finish (is_finish false), never as complete", async () => {
		const result = await asyncRun(
			{
				execute_status: 'Success',
				is_output_trimmed: true,
				node_execute_status: {
					输出节点_1: {
						node_id: '100001',
						is_finish: true,
						node_execute_uuid: 'uuid-1',
						update_time: 1730174063,
					},
					输出节点_2: {
						node_id: '100002',
						is_finish: true,
						node_execute_uuid: 'uuid-2',
						update_time: 1730174063,
					},
				},
			},
			{ 'uuid-1': 'whole', 'uuid-2': { output: '0《零的奇妙冒险》…', isFinish: false } },
		);
		expect(
			result.output('Coze', 0).map((item) => [item.json.content, item.json.is_finish]),
		).toEqual([
			['whole', true],
			['0《零的奇妙冒险》…', false],
		]);
	});

	it('marks an Output node that node_execute_status says is not finished', async () => {
		const result = await asyncRun({
			execute_status: 'Success',
			output: cloudHistoryOutput({ answer: 'done' }, { 输出节点_1: 'half' }),
			node_execute_status: {
				输出节点_1: {
					node_id: '100001',
					is_finish: false,
					node_execute_uuid: 'uuid-1',
					update_time: 1730174063,
				},
			},
		});
		expect(
			result.output('Coze', 0).map((item) => [item.json.content, item.json.is_finish]),
		).toEqual([
			['half', false],
			['done', undefined],
		]);
	});

	it("keeps the history's logid in the error of a failed run", async () => {
		const result = await asyncRun({
			execute_status: 'Fail',
			error_code: '720702002',
			error_message: 'plugin quota exceeded',
			logid: '20241029115423ED85C3401395715F726E',
		});
		expect(result.nodeError('Coze')?.message).toBe(
			`The Coze run ${EXECUTE_ID} failed with error 720702002: plugin quota exceeded (log id 20241029115423ED85C3401395715F726E)`,
		);
	});
});
