// Chat's Remember per Chat Session keeps each session's conversation id in the workflow's static
// data, which n8n saves with the workflow. A server that sends the token (or a part of it) as a
// conversation id, or an id no Coze sends (huge, invisible characters), must not get it stored:
// the item fails clearly, nothing is remembered (in static data or in the process), and what the
// chat answered is kept with Continue on Fail. No real server is known to do this: these shapes
// are hostile by design (the conversation's real shapes: test/simulator/server.ts, chat-shapes.ts).
import { generateKeyPairSync } from 'node:crypto';

import type { IDataObject } from 'n8n-workflow';

import {
	COZE_TYPE,
	cozeCredentials,
	runWorkflow,
	useBinaryMode,
	type Edge,
	type TestNode,
} from '../engine/harness';
import { ChatStream } from '../simulator/chat-shapes';
import { CozeSimulator } from '../simulator/server';
import { stopSimulator } from '../simulator/stop';
import { forgetConversationsOfThisProcess } from '../../nodes/Coze/testing';

const CHATFLOW_ID = '7404830425073352714';
const CREATE = '/v1/conversation/create';

/** A Chat node remembering per session, run as an active workflow runs (webhook mode, static data kept by the caller). */
async function say(
	sim: CozeSimulator,
	staticData: IDataObject,
	onError: TestNode['onError'] = 'stopWorkflow',
	mode: 'webhook' | 'manual' = 'webhook',
	credentials = cozeCredentials(sim.baseUrl, sim.token),
) {
	const nodes: TestNode[] = [
		{ name: 'Start', type: 'test.start' },
		{
			name: 'Chat Input',
			type: 'test.fixedItems',
			parameters: {
				items: JSON.stringify([{ json: { sessionId: 'session-a', chatInput: 'hi' } }]),
			},
		},
		{
			name: 'Coze',
			type: COZE_TYPE,
			parameters: { resource: 'workflow', operation: 'chat', workflowId: CHATFLOW_ID },
			onError,
		},
	];
	const edges: Edge[] = [
		['Start', 0, 'Chat Input'],
		['Chat Input', 0, 'Coze'],
	];
	const result = await runWorkflow({ nodes, edges, credentials, mode, staticData });
	const error = result.nodeError('Coze');
	return {
		result,
		items: result.output('Coze').map((item) => item.json),
		error,
		shown: `${JSON.stringify(result.run.data.resultData.runData.Coze)}\n${error?.message}\n${error?.description}`,
	};
}

/** `/v1/conversation/create` answers this id once (the cloud's shape: data {id, created_at, meta_data, last_section_id}). */
function createAnswers(sim: CozeSimulator, id: string): void {
	sim.override(CREATE, async (_req, res, body) => {
		await body();
		res.writeHead(200, { 'content-type': 'application/json' });
		res.end(
			JSON.stringify({
				code: 0,
				msg: '',
				data: { id, created_at: 1718000000, meta_data: {}, last_section_id: id },
			}),
		);
	});
}

const creates = (sim: CozeSimulator) =>
	sim.requests.filter((request) => request.path === CREATE).length;

describe('Chat remembers no conversation id that holds a secret, or that no Coze would send', () => {
	let sim: CozeSimulator;
	beforeAll(() => useBinaryMode('memory'));
	beforeEach(async () => {
		forgetConversationsOfThisProcess();
		sim = await CozeSimulator.start({ flavour: 'cloud' });
		sim.defineWorkflow(CHATFLOW_ID, { chat: () => ({ answers: [['你好']] }) });
	});
	afterEach(() => stopSimulator(sim));

	it.each([
		['the token', (token: string) => token],
		['the token inside digits', (token: string) => `7460000${token}0001`],
	])(
		'refuses a created conversation whose id is %s, before the chat, and remembers nothing',
		async (_name, idOf) => {
			const staticData: IDataObject = {};
			createAnswers(sim, idOf(sim.token));
			const { error, shown } = await say(sim, staticData);
			expect(error?.message).toBe(
				'Coze sent a conversation id that holds a secret of the credential',
			);
			expect(error?.description).toMatch(/not remembered.*Base URL/s);
			expect(sim.bodiesOf('/v1/workflows/chat')).toHaveLength(0);
			expect(JSON.stringify(staticData)).not.toContain(sim.token.slice(0, 12));
			expect(shown).not.toContain(sim.token.slice(0, 12));

			// Neither the workflow's static data nor this process kept it: the next message makes a new conversation.
			await say(sim, staticData, 'stopWorkflow', 'manual');
			expect(creates(sim)).toBe(2);
			expect(sim.bodiesOf('/v1/workflows/chat')[0].conversation_id).not.toContain(
				sim.token.slice(0, 12),
			);
		},
	);

	it("refuses a conversation id that is a part of a secret: an OAuth app's JWT signature", async () => {
		const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
		const app = { appId: '1170000000000000777', publicKeyId: 'kid_conversation', publicKey };
		sim.oauth.register(app);
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
		sim.override(CREATE, async (_req, res, body) => {
			await body();
			const signature = String(
				sim.requests.find((request) => request.path === '/api/permission/oauth2/token')
					?.authorization,
			).split('.')[2];
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end(
				JSON.stringify({
					code: 0,
					msg: '',
					data: {
						id: signature,
						created_at: 1718000000,
						meta_data: {},
						last_section_id: signature,
					},
				}),
			);
		});
		const staticData: IDataObject = {};
		const { error } = await say(sim, staticData, 'stopWorkflow', 'webhook', credentials);
		const signature = String(
			sim.requests.find((request) => request.path === '/api/permission/oauth2/token')
				?.authorization,
		).split('.')[2];
		expect(error?.message).toBe(
			'Coze sent a conversation id that holds a secret of the credential',
		);
		expect(JSON.stringify(staticData)).not.toContain(signature.slice(0, 12));
	});

	it("refuses the chat's own conversation id (a server without /v1/conversation/create) when it holds the token, keeping the answer with Continue on Fail", async () => {
		sim.override(CREATE, async (_req, res, body) => {
			await body();
			res.writeHead(404, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ code: 4200, msg: 'resource not found' }));
		});
		const conversationId = `7460000${sim.token}`;
		sim.defineWorkflow(CHATFLOW_ID, {
			chat: () => ({
				stream: new ChatStream('cloud', {
					conversationId,
					chatId: '7404830425073350001',
					sectionId: conversationId,
					executeId: '7404830425073350002',
					debugUrl: 'https://www.coze.cn/work_flow',
				})
					.started()
					.answer(['你好'])
					.completed()
					.numbered(),
			}),
		});
		const staticData: IDataObject = {};
		const { items, shown } = await say(sim, staticData, 'continueRegularOutput');
		expect(items).toMatchObject([
			{ answer: '你好', status: 'failed' },
			{ error: 'Coze sent a conversation id that holds a secret of the credential' },
		]);
		expect(JSON.stringify(staticData)).not.toContain(sim.token.slice(0, 12));
		expect(shown).not.toContain(sim.token.slice(0, 12));
	});

	it.each([
		['of 100,000 characters', '7'.repeat(100_000)],
		['with a line break', '7460000000000\n000001'],
		['with a character beyond ASCII', '74600000000000０0001'],
	])(
		"refuses a conversation id %s: Coze's are short runs of visible characters",
		async (_name, id) => {
			const staticData: IDataObject = {};
			createAnswers(sim, id);
			const { error } = await say(sim, staticData);
			expect(error?.message).toBe(
				'Coze sent a conversation id that is not one: a Coze conversation id is at most 128 visible ASCII characters',
			);
			expect(JSON.stringify(staticData).length).toBeLessThan(200);
			expect(sim.bodiesOf('/v1/workflows/chat')).toHaveLength(0);
		},
	);

	it('forgets a remembered id that holds the token (saved by an earlier version), and starts a new conversation', async () => {
		const staticData: IDataObject = {};
		await say(sim, staticData);
		const remembered = (staticData['node:Coze'] as { cozeConversations: Record<string, string> })
			.cozeConversations;
		const [key] = Object.keys(remembered);
		remembered[key] = `7460000${sim.token}`;
		forgetConversationsOfThisProcess();

		const { error, items } = await say(sim, staticData);
		expect(error).toBeUndefined();
		expect(items[0]).toMatchObject({ answer: '你好', status: 'completed' });
		expect(creates(sim)).toBe(2);
		expect(JSON.stringify(staticData)).not.toContain(sim.token.slice(0, 12));
		expect(sim.bodiesOf('/v1/workflows/chat')[1].conversation_id).not.toContain(
			sim.token.slice(0, 12),
		);
	});
});
