import type { IDataObject } from 'n8n-workflow';

import { CozeSimulator } from '../simulator/server';
import { stopSimulator } from '../simulator/stop';
import { COZE_TYPE, cozeCredentials, runWorkflow, useBinaryMode, type TestNode } from './harness';
import { forgetConversationsOfThisProcess } from '../../nodes/Coze/testing';

const CHATFLOW_ID = '7404830425073352714';

function chatGraph(sim: CozeSimulator) {
	const nodes: TestNode[] = [
		{ name: 'Start', type: 'test.start' },
		{
			name: 'Input',
			type: 'test.fixedItems',
			parameters: { items: JSON.stringify([{ json: { sessionId: 's', chatInput: 'hi' } }]) },
		},
		{
			name: 'Coze',
			type: COZE_TYPE,
			parameters: { resource: 'workflow', operation: 'chat', workflowId: CHATFLOW_ID },
			onError: 'continueRegularOutput' as const,
		},
	];
	return {
		nodes,
		edges: [
			['Start', 0, 'Input'],
			['Input', 0, 'Coze'],
		] as Array<[string, number, string]>,
		credentials: cozeCredentials(sim.baseUrl, sim.token),
	};
}

describe("conversation.chat.failed in both of the cloud's shapes", () => {
	let sim: CozeSimulator;
	beforeAll(() => useBinaryMode('memory'));
	beforeEach(async () => {
		forgetConversationsOfThisProcess();
		sim = await CozeSimulator.start();
	});
	afterEach(() => stopSimulator(sim));

	it.each([
		["as Coze's chatflow page shows it: code (a string) and msg at the top", 'documented' as const],
		["as cozepy's recorded stream has it: in last_error", 'last_error' as const],
	])('shows the code and message %s', async (_how, shape) => {
		sim.defineWorkflow(CHATFLOW_ID, {
			chat: () => ({ fails: { code: 720702204, msg: '会话名不存在', shape } }),
		});
		const [item] = (await runWorkflow({ ...chatGraph(sim), staticData: {} }))
			.output('Coze', 0)
			.map((out) => out.json);
		expect(item.error).toBe('The Coze chat failed with error 720702204: 会话名不存在');
		expect((item.details as IDataObject).code).toBe(720702204);
	});
});
