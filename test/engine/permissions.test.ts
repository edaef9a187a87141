import { generateKeyPairSync } from 'node:crypto';

import { cozeGraph, okStream, WORKFLOW_ID } from '../faults/graph';
import { refuseForPermission } from '../simulator/permissions';
import { CozeSimulator } from '../simulator/server';
import { stopSimulator } from '../simulator/stop';
import { COZE_TYPE, cozeCredentials, runWorkflow, useBinaryMode, type TestNode } from './harness';
import { forgetConversationsOfThisProcess } from '../../nodes/Coze/testing';

const EXECUTE_ID = '7404830425073358888';

/** A Chat node in its default Conversation mode (Remember per Chat Session). */
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
			parameters: { resource: 'workflow', operation: 'chat', workflowId: WORKFLOW_ID },
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

const asyncRun = (sim: CozeSimulator) =>
	cozeGraph(sim, { options: { runMode: 'async', pollIntervalSeconds: 0.05 } });

describe('a missing permission (4101) is named by the endpoint that was refused', () => {
	let sim: CozeSimulator;
	beforeAll(() => useBinaryMode('memory'));
	beforeEach(async () => {
		forgetConversationsOfThisProcess();
		sim = await CozeSimulator.start();
		sim.defineWorkflow(WORKFLOW_ID, {
			run: () => okStream(),
			chat: () => ({ answers: [['ok']] }),
			blockingRun: () => ({ json: { code: 0, msg: '', execute_id: EXECUTE_ID } }),
			history: [{ execute_id: EXECUTE_ID, execute_status: 'Success', output: '{"output":"ok"}' }],
		});
	});
	afterEach(() => stopSimulator(sim));

	it.each([
		['/v1/conversation/create', 'createConversation', 'Chat, Remember per Chat Session', chatGraph],
		[
			`/v1/workflows/${WORKFLOW_ID}/run_histories/${EXECUTE_ID}`,
			'listRunHistory',
			'Run, Asynchronous',
			asyncRun,
		],
		['/v1/workflows/chat', 'run', 'Chat', chatGraph],
		['/v1/workflow/stream_run', 'run', 'Run, Stream', (s: CozeSimulator) => cozeGraph(s)],
	])('%s needs %s (%s)', async (path, permission, _what, graph) => {
		sim.override(path, refuseForPermission);
		const error = (await runWorkflow(graph(sim))).nodeError('Coze');
		expect(error?.message).toMatch(/^Coze error 4101/);
		expect(error?.description).toContain(`the ${permission} permission`);
		// Both remain possible: the permission, or a token of the other site (coze-js's warning).
		expect(error?.description).toMatch(/coze\.com token is refused by coze\.cn/);
		for (const other of ['createConversation', 'listRunHistory', 'uploadFile'].filter(
			(name) => name !== permission,
		))
			expect(error?.description).not.toContain(other);
	});

	it('tells an OAuth app which permission to grant it', async () => {
		const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
		const app = { appId: '1170000000000000999', publicKeyId: 'kid_permissions', publicKey };
		sim.oauth.register(app);
		sim.override('/v1/conversation/create', refuseForPermission);
		const credentials = {
			cozeApi: {
				authentication: 'oauthJwt',
				region: 'custom',
				baseUrl: sim.baseUrl,
				appId: app.appId,
				publicKeyId: app.publicKeyId,
				privateKey: String(privateKey.export({ type: 'pkcs8', format: 'pem' })),
			},
		};
		const error = (await runWorkflow({ ...chatGraph(sim), credentials })).nodeError('Coze');
		expect(error?.description).toMatch(/^The OAuth app lacks a permission/);
		expect(error?.description).toContain('the createConversation permission');
	});
});
