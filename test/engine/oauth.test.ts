import { okStream, requestsTo, WORKFLOW_ID } from '../faults/graph';
import { CozeSimulator } from '../simulator/server';
import { stopSimulator } from '../simulator/stop';
import { useBinaryMode } from './harness';
import {
	APP_ID,
	everything,
	jwtCredentials,
	KEY_ID,
	KEYS,
	keyPair,
	leaks,
	registerApp,
	runWithApp,
} from './oauth-app';

const OTHER_KEYS = keyPair();

describe('OAuth App (JWT) credential, through the n8n engine', () => {
	let sim: CozeSimulator;
	beforeAll(() => useBinaryMode('memory'));
	beforeEach(async () => {
		sim = await CozeSimulator.start({ flavour: 'cloud' });
		sim.defineWorkflow(WORKFLOW_ID, { run: () => okStream('hello from an OAuth app') });
	});
	afterEach(() => stopSimulator(sim));

	it('runs a workflow and uploads a file with one token exchange, the key pasted as PKCS#8 or as PKCS#1 on one line', async () => {
		const app = registerApp(sim);
		const run = await runWithApp(sim, jwtCredentials(sim, app));
		expect(run.output('Coze').map((item) => item.json.content)).toEqual([
			'hello from an OAuth app',
		]);
		const upload = await runWithApp(sim, jwtCredentials(sim, app), {
			operation: 'upload',
			files: [{ bytes: 300_000, fileName: 'report.pdf' }],
		});
		expect(upload.output('Coze')[0].json).toMatchObject({
			bytes: 300_000,
			file_name: 'report.pdf',
		});
		expect(sim.oauth.exchanges).toBe(1);
		const [token] = sim.oauth.liveTokens();
		expect(
			sim.requests
				.filter((request) => request.path !== '/api/permission/oauth2/token')
				.map((request) => request.authorization),
		).toEqual([`Bearer ${token}`, `Bearer ${token}`]);

		const other = registerApp(sim);
		const oneLine = KEYS.pkcs1.replace(/\n/g, ' ');
		const pkcs1 = await runWithApp(sim, jwtCredentials(sim, other, oneLine));
		expect(pkcs1.output('Coze')).toHaveLength(1);
		expect(leaks(everything(run) + everything(upload) + everything(pkcs1), sim)).toEqual([]);
	});

	it('makes one exchange for 50 items at Concurrency 10', async () => {
		const app = registerApp(sim);
		const run = await runWithApp(sim, jwtCredentials(sim, app), {
			inputs: Array.from({ length: 50 }, (_, n) => ({ n })),
			requestOptions: { concurrency: 10 },
		});
		expect(run.output('Coze')).toHaveLength(50);
		expect(sim.oauth.exchanges).toBe(1);
	});

	it('renews tokens that run out mid-batch: no item fails, no run is refused', async () => {
		const app = registerApp(sim);
		sim.defineWorkflow(WORKFLOW_ID, {
			run: () => ({ ...okStream('ok'), shape: { initialDelayMs: 100 } }),
		});
		const run = await runWithApp(sim, jwtCredentials(sim, app, KEYS.pkcs8, { tokenLifetime: 2 }), {
			inputs: Array.from({ length: 60 }, (_, n) => ({ n })),
			requestOptions: { concurrency: 2 },
		});
		expect(run.run.status).toBe('success');
		expect(run.output('Coze')).toHaveLength(60);
		// 60 runs of 100 ms, two at a time: 3 s of work on tokens that last at most 2 s.
		expect(sim.oauth.exchanges).toBeGreaterThanOrEqual(2);
		// No run was sent with a token Coze then refused (that each is renewed ahead of its end: test/transport/oauth-tokens).
		expect(requestsTo(sim, '/v1/workflow/stream_run')).toBe(60);
	});

	it('exchanges once more when Coze refuses a revoked token, and the item succeeds; a second refusal fails clearly', async () => {
		const app = registerApp(sim);
		await runWithApp(sim, jwtCredentials(sim, app));
		sim.oauth.revokeAll();
		const renewed = await runWithApp(sim, jwtCredentials(sim, app));
		expect(renewed.output('Coze').map((item) => item.json.content)).toEqual([
			'hello from an OAuth app',
		]);
		expect(sim.oauth.exchanges).toBe(2);
		// One run started: the refused request was not taken on.
		expect(requestsTo(sim, '/v1/workflow/stream_run')).toBe(3);

		const refuse = async (
			_req: unknown,
			res: import('node:http').ServerResponse,
			body: () => Promise<string>,
		) => {
			await body();
			res.writeHead(401, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ code: 4100, msg: 'authentication is invalid' }));
		};
		sim.override('/v1/workflow/stream_run', refuse);
		sim.override('/v1/workflow/stream_run', refuse);
		const refused = await runWithApp(sim, jwtCredentials(sim, app));
		expect(refused.nodeError('Coze')).toMatchObject({
			message: expect.stringContaining('Coze error 4100: authentication is invalid'),
			description: expect.stringContaining(
				'Coze refused a token the OAuth app had just been given',
			),
		});
		expect(sim.oauth.exchanges).toBe(3);
		expect(leaks(everything(refused), sim)).toEqual([]);
	});

	it('says the OAuth app lacks a permission when Coze answers 4101, not to edit a token', async () => {
		const app = registerApp(sim);
		sim.override('/v1/workflow/stream_run', async (_req, res, body) => {
			await body();
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end(
				JSON.stringify({
					code: 4101,
					msg: 'The token you entered is incorrect. Please double-check and try again.',
				}),
			);
		});
		const run = await runWithApp(sim, jwtCredentials(sim, app));
		expect(run.nodeError('Coze')).toMatchObject({
			message: expect.stringContaining('Coze error 4101'),
			description: expect.stringMatching(/^The OAuth app lacks a permission/),
		});
		expect(sim.oauth.exchanges).toBe(1);
	});

	it.each([
		[
			'a key that is not PEM',
			() => ({ privateKey: 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC' }),
			/Private Key is not a PEM private key/,
			/BEGIN PRIVATE KEY/,
		],
		[
			'a key of another key pair',
			() => ({ privateKey: OTHER_KEYS.pkcs8 }),
			/signature verification failed/,
			/Private Key \(the private half of that same key pair\)/,
		],
		[
			'a public key id the app does not have',
			() => ({ publicKeyId: 'kid_unknown' }),
			/kid not been registred/,
			/Public Key ID "kid_unknown"/,
		],
		[
			"another app's id",
			() => ({ appId: '1170000000000009999' }),
			/iss is not the client id/,
			/App ID "1170000000000009999"/,
		],
		['no App ID', () => ({ appId: ' ' }), /has no App ID/, /client id/],
		[
			'a Token Lifetime of a week',
			() => ({ tokenLifetime: 604800 }),
			/Token Lifetime must be a whole number of seconds from 1 to 86399/,
			/900/,
		],
	])('names the field to fix for %s', async (_case, change, message, description) => {
		const app = registerApp(sim);
		const credentials = jwtCredentials(sim, app);
		Object.assign(credentials.cozeApi, change());
		const run = await runWithApp(sim, credentials);
		expect(run.nodeError('Coze')).toMatchObject({
			message: expect.stringMatching(message),
			description: expect.stringMatching(description),
		});
		expect(requestsTo(sim, '/v1/workflow/stream_run')).toBe(0);
		expect(leaks(everything(run), sim)).toEqual([]);
		expect(everything(run)).not.toContain(OTHER_KEYS.pkcs8.split('\n')[2]);
	});

	it("says the machine's clock is wrong when Coze refuses the time in the token, with Coze's code and log id", async () => {
		const app = registerApp(sim);
		sim.oauth.clockOffsetSeconds = -3600;
		const run = await runWithApp(sim, jwtCredentials(sim, app));
		const error = run.nodeError('Coze') as { message: string; description: string };
		expect(error.message).toMatch(
			/^Coze did not accept the OAuth app's JWT: Coze error invalid_client: invalid jwt: iat is in the future \(log id \d+\)$/,
		);
		expect(error.description).toMatch(/clock/);
	});

	it('keeps the JWT out of everything when a server echoes it back', async () => {
		const app = registerApp(sim);
		sim.override('/api/permission/oauth2/token', async (req, res, body) => {
			await body();
			res.writeHead(401, {
				'content-type': 'application/json',
				'x-tt-logid': String(req.headers.authorization),
			});
			res.end(
				JSON.stringify({
					error_code: 'unauthorized',
					error_message: `bad token ${String(req.headers.authorization)}`,
				}),
			);
		});
		const run = await runWithApp(sim, jwtCredentials(sim, app), {
			onError: 'continueRegularOutput',
		});
		const jwt = sim.requests
			.find((request) => request.path === '/api/permission/oauth2/token')!
			.authorization!.slice(7);
		expect(everything(run)).not.toContain(jwt.slice(-40));
		expect(JSON.stringify(run.output('Coze'))).toContain('[redacted]');
	});
});

describe('OAuth App (JWT) credential on Coze Studio', () => {
	let sim: CozeSimulator;
	beforeAll(() => useBinaryMode('memory'));
	beforeEach(async () => (sim = await CozeSimulator.start({ flavour: 'studio' })));
	afterEach(() => stopSimulator(sim));

	it('says Studio takes personal access tokens only', async () => {
		const run = await runWithApp(sim, jwtCredentials(sim, { appId: APP_ID, publicKeyId: KEY_ID }));
		expect(run.nodeError('Coze')).toMatchObject({
			message: 'This Coze server has no OAuth token exchange',
			description: expect.stringContaining('Personal Access Token'),
		});
	});
});
