// Each cache the node keeps for the whole n8n process is bounded: filled past its bound through
// the node's own code, the least recently used entry is gone (and a connection pool is closed,
// letting its requests finish).
import { generateKeyPairSync } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import {
	ConversationMemory,
	learnTakesOnlyChatflowConversations,
	MAX_REMEMBERED_SERVERS,
	MAX_SESSIONS_IN_PROCESS,
	takesOnlyChatflowConversations,
} from '../../nodes/Coze/actions/chat/conversation-memory';
import { MAX_KNOWN, withWorkflowApp } from '../../nodes/Coze/actions/workflow/workflow-app';
import { MAX_CACHED_CREDENTIALS } from '../../nodes/Coze/methods/catalog-search';
import { searchWorkflows } from '../../nodes/Coze/methods/workflow-search';
import {
	closeCozeDispatcher,
	forgetConversationsOfThisProcess,
	forgetWorkflowApps,
	forgetWorkspaces,
	processCacheNamed,
	processCacheNames,
} from '../../nodes/Coze/testing';
import { sendCozeRequest } from '../../nodes/Coze/transport/http/client';
import type { CozeConnection } from '../../nodes/Coze/transport/http/connection';
import { cozeDispatcher, MAX_DISPATCHERS } from '../../nodes/Coze/transport/http/dispatcher';
import { MAX_OAUTH_SOURCES, oauthTokens } from '../../nodes/Coze/transport/http/oauth-tokens';
import { MAX_PACED_ADDRESSES, paceUploads } from '../../nodes/Coze/transport/http/pace';
import { Redactor } from '../../nodes/Coze/transport/http/redaction';
import { DEFAULT_POLICY } from '../../nodes/Coze/transport/http/policy';
import { editorContext } from '../engine/harness';
import { CozeSimulator } from '../simulator/server';
import { stopSimulator } from '../simulator/stop';

/** A local server answering with `handle`, and how many requests it had. */
async function startServer(
	handle: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ baseUrl: string; requests: () => number; close: () => Promise<void> }> {
	let requests = 0;
	const server: Server = createServer((req, res) => {
		requests += 1;
		handle(req, res);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		requests: () => requests,
		close: async () => {
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}

/** undici's dispatchers say whether they are closed (DispatcherBase); its type declarations do not. */
const state = (agent: object) => agent as { closed: boolean; destroyed: boolean };

it('names every process cache the node has, so that each has its bound tested here', () => {
	expect(processCacheNames().sort()).toEqual([
		'conversations',
		'dispatchers',
		'oauth-token-sources',
		'servers-taking-only-chatflow-conversations',
		'upload-pace',
		'workflow-apps',
		'workspaces',
	]);
});

describe('connection pools (one per connect timeout and proxy settings)', () => {
	afterEach(() => closeCozeDispatcher());

	it(`keeps ${MAX_DISPATCHERS}; the least recently used is closed, and a response still arriving on it is read to its end`, async () => {
		let finish: (() => void) | undefined;
		const server = await startServer((_req, res) => {
			res.writeHead(200, { 'content-type': 'application/json' });
			res.write('{"code":0,"data":"first half, ');
			finish = () => res.end('second half"}');
		});
		try {
			const connection: CozeConnection = {
				baseUrl: server.baseUrl,
				accessToken: 'pat_test',
				policy: { ...DEFAULT_POLICY, connectTimeoutMs: 1001 },
			};
			const first = cozeDispatcher(1001);
			const response = await sendCozeRequest(connection, {
				method: 'GET',
				path: '/slow',
				kind: 'read',
			});
			const idle = cozeDispatcher(1002);
			for (let timeout = 1003; timeout < 1001 + MAX_DISPATCHERS; timeout++) cozeDispatcher(timeout);
			expect(state(first).closed).toBe(false);

			// One more: the first (least recently used) is evicted and closed, the second is not yet.
			cozeDispatcher(5000);
			expect(state(first).closed).toBe(true);
			expect(state(idle).closed).toBe(false);
			expect(processCacheNamed('dispatchers').size).toBe(MAX_DISPATCHERS);
			// Its settings get a new pool.
			expect(cozeDispatcher(1001)).not.toBe(first);
			expect(state(idle).closed).toBe(true);

			// The request in flight on the closed pool still completes.
			finish!();
			expect(await response.body.text()).toBe('{"code":0,"data":"first half, second half"}');
			expect(state(first).destroyed).toBe(false);
		} finally {
			finish?.();
			await closeCozeDispatcher();
			await server.close();
		}
	});
});

describe("OAuth apps' token sources", () => {
	const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
	const app = {
		appId: '1170000000000000771',
		publicKeyId: 'kid',
		key: privateKey,
		tokenLifetime: 900,
	};

	it(`keeps ${MAX_OAUTH_SOURCES}; past it the least recently used app gets a new source`, () => {
		const address = (n: number) => `https://coze-${n}.example`;
		const first = oauthTokens(address(0), app);
		const second = oauthTokens(address(1), app);
		for (let n = 2; n < MAX_OAUTH_SOURCES; n++) oauthTokens(address(n), app);
		// Used again, the first is the most recently used: the second goes.
		expect(oauthTokens(address(0), app)).toBe(first);
		oauthTokens(address(MAX_OAUTH_SOURCES), app);
		expect(processCacheNamed('oauth-token-sources').size).toBe(MAX_OAUTH_SOURCES);
		expect(oauthTokens(address(0), app)).toBe(first);
		expect(oauthTokens(address(1), app)).not.toBe(second);
	});
});

describe('upload pacing', () => {
	afterEach(() => jest.restoreAllMocks());

	/** Whether the upload may start at once (true), or waits its turn (false). */
	async function startsAtOnce(baseUrl: string): Promise<boolean> {
		const stop = new AbortController();
		const pacing = paceUploads(baseUrl, stop.signal).then(
			() => true,
			() => false,
		);
		const waited = await Promise.race([
			pacing,
			new Promise<'waits'>((resolve) => setTimeout(() => resolve('waits'), 30)),
		]);
		stop.abort();
		await pacing;
		return waited === true;
	}

	it(`remembers the next slot of ${MAX_PACED_ADDRESSES} Coze addresses; past it the least recently paced is forgotten`, async () => {
		// The clock stands still: every slot remembered is still to come.
		jest.spyOn(Date, 'now').mockReturnValue(1_000_000);
		const address = (n: number) => `https://coze-${n}.example`;
		for (let n = 0; n < MAX_PACED_ADDRESSES; n++) await paceUploads(address(n));
		expect(await startsAtOnce(address(0))).toBe(false);
		// address 0 was paced last; one more address: address 1 is forgotten, address 0 is not.
		await paceUploads(address(MAX_PACED_ADDRESSES));
		expect(processCacheNamed('upload-pace').size).toBe(MAX_PACED_ADDRESSES);
		expect(await startsAtOnce(address(1))).toBe(true);
		expect(await startsAtOnce(address(0))).toBe(false);
	});
});

describe("chat sessions' conversations in the process", () => {
	const contextWith = (staticData: IDataObject) =>
		({
			getWorkflowStaticData: () => staticData,
			getWorkflow: () => ({ id: 'wf-1' }),
			getNode: () => ({ name: 'Coze' }),
		}) as unknown as IExecuteFunctions;
	const scope = { baseUrl: 'https://api.coze.cn', partner: { workflowId: '7404830425073352714' } };
	beforeEach(() => forgetConversationsOfThisProcess());

	it(`keeps ${MAX_SESSIONS_IN_PROCESS} sessions; past it the least recently used is forgotten`, () => {
		// Remembered in a workflow's static data, as a production execution's would be, then read
		// with none (a manual execution's): what is recalled comes from the process.
		const memory = new ConversationMemory(contextWith({}), scope, new Redactor([]));
		for (let n = 0; n < MAX_SESSIONS_IN_PROCESS; n++) memory.remember(`s${n}`, `c${n}`);
		const fromProcess = () => new ConversationMemory(contextWith({}), scope, new Redactor([]));
		expect(fromProcess().recall('s0')).toBe('c0');
		memory.remember('one more', 'c-more');
		expect(processCacheNamed('conversations').size).toBe(MAX_SESSIONS_IN_PROCESS);
		expect([
			fromProcess().recall('s0'),
			fromProcess().recall('s1'),
			fromProcess().recall('s2'),
			fromProcess().recall('one more'),
		]).toEqual(['c0', undefined, 'c2', 'c-more']);
	});

	it(`knows ${MAX_REMEMBERED_SERVERS} servers that take only chatflow conversations; past it the least recently asked about is forgotten`, () => {
		const address = (n: number) => `https://studio-${n}.example`;
		for (let n = 0; n < MAX_REMEMBERED_SERVERS; n++)
			learnTakesOnlyChatflowConversations(address(n));
		expect(takesOnlyChatflowConversations(address(0))).toBe(true);
		learnTakesOnlyChatflowConversations(address(MAX_REMEMBERED_SERVERS));
		expect(processCacheNamed('servers-taking-only-chatflow-conversations').size).toBe(
			MAX_REMEMBERED_SERVERS,
		);
		expect(
			[address(0), address(1), address(2), address(MAX_REMEMBERED_SERVERS)].map(
				takesOnlyChatflowConversations,
			),
		).toEqual([true, false, true, true]);
	});
});

describe("workflows' apps read from their details", () => {
	let server: Awaited<ReturnType<typeof startServer>>;
	beforeEach(async () => {
		forgetWorkflowApps();
		server = await startServer((_req, res) => {
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end('{"code":0,"data":{"workflow_detail":{"app_id":"7404830425073300009"}}}');
		});
	});
	afterEach(async () => {
		await closeCozeDispatcher();
		await server.close();
	});

	/** The app of `workflowId`, as one execution (its own connection) asks for it. */
	async function appOf(workflowId: string): Promise<unknown> {
		const context = {
			getNode: () => ({ typeVersion: 2 }),
			getNodeParameter: () => ({ __rl: true, mode: 'id', value: workflowId }),
		} as unknown as IExecuteFunctions;
		const connection: CozeConnection = { baseUrl: server.baseUrl, accessToken: 'pat_test' };
		return (await withWorkflowApp.call(context, 0, workflowId, {}, connection)).fields.app_id;
	}

	it(`keeps ${MAX_KNOWN} workflows' apps; past it the least recently used is asked again`, async () => {
		const id = (n: number) => `74048304250733${String(n).padStart(5, '0')}`;
		for (let n = 0; n < MAX_KNOWN; n++) await appOf(id(n));
		expect(server.requests()).toBe(MAX_KNOWN);
		expect(await appOf(id(0))).toBe('7404830425073300009');
		expect(server.requests()).toBe(MAX_KNOWN);
		await appOf(id(MAX_KNOWN));
		expect(processCacheNamed('workflow-apps').size).toBe(MAX_KNOWN);
		await appOf(id(0));
		expect(server.requests()).toBe(MAX_KNOWN + 1);
		await appOf(id(1));
		expect(server.requests()).toBe(MAX_KNOWN + 2);
	});
});

describe('workspaces listed for each credential', () => {
	let sim: CozeSimulator;
	beforeEach(async () => {
		forgetWorkspaces();
		sim = await CozeSimulator.start({ flavour: 'cloud' });
		sim.catalog.addWorkspace({ id: '7404830425073300001', name: 'Personal space' });
	});
	afterEach(() => stopSimulator(sim));

	it(`are kept for ${MAX_CACHED_CREDENTIALS} credentials; past it the least recently used credential's are asked again`, async () => {
		// Credentials that differ (here in a field the node does not read) are cached apart.
		const list = (n: number) =>
			searchWorkflows.call(
				editorContext(
					{},
					{
						cozeApi: {
							region: 'custom',
							baseUrl: sim.baseUrl,
							accessToken: sim.token,
							note: `credential ${n}`,
						},
					},
				),
			);
		const asked = () => sim.requests.filter((request) => request.path === '/v1/workspaces').length;
		for (let n = 0; n < MAX_CACHED_CREDENTIALS; n++) await list(n);
		expect(asked()).toBe(MAX_CACHED_CREDENTIALS);
		await list(0);
		await list(MAX_CACHED_CREDENTIALS);
		expect(processCacheNamed('workspaces').size).toBe(MAX_CACHED_CREDENTIALS);
		expect(asked()).toBe(MAX_CACHED_CREDENTIALS + 1);
		await list(0);
		expect(asked()).toBe(MAX_CACHED_CREDENTIALS + 1);
		await list(1);
		expect(asked()).toBe(MAX_CACHED_CREDENTIALS + 2);
	});
});
