import { okStream, requestsTo, WORKFLOW_ID } from '../faults/graph';
import {
	documentedMessage,
	oauthRefusal,
	type ExpiresInShape,
	type OAuthErrorCode,
} from '../simulator/oauth-errors';
import { nextLogId } from '../simulator/flavours';
import { CozeSimulator } from '../simulator/server';
import { stopSimulator } from '../simulator/stop';
import { useBinaryMode } from './harness';
import { everything, jwtCredentials, leaks, registerApp, runWithApp } from './oauth-app';

const TEN_ITEMS = Array.from({ length: 10 }, (_, n) => ({ n }));

describe("the token exchange's answers, through the n8n engine", () => {
	let sim: CozeSimulator;
	beforeAll(() => useBinaryMode('memory'));
	beforeEach(async () => {
		sim = await CozeSimulator.start({ flavour: 'cloud' });
		sim.defineWorkflow(WORKFLOW_ID, { run: () => okStream('hello from an OAuth app') });
	});
	afterEach(() => stopSimulator(sim));

	// Each code of Coze's page, with what the error must say to fix it (the app's id stands for "the field's value").
	it.each<[OAuthErrorCode, RegExp, (appId: string) => RegExp]>([
		[
			'invalid_request',
			/^Coze refused a parameter of the OAuth app's token request/,
			() => /Token Lifetime/,
		],
		[
			'invalid_client',
			/^Coze did not accept the OAuth app's JWT/,
			(appId) => new RegExp(`App ID "${appId}".*Public Key ID ".+".*Private Key`),
		],
		[
			'unsupported_grant_type',
			/^This server does not take the OAuth app's JWT/,
			() => /Region.*Base URL/,
		],
		[
			'access_deny',
			/^The OAuth app is deactivated in Coze/,
			(appId) => new RegExp(`OAuth apps.*App ID ${appId}.*enable it`),
		],
		[
			'internal_error',
			/^Coze failed to issue a token to the OAuth app/,
			() => /try again later.*log id/i,
		],
	])(
		"%s: says what it means and which field to fix, with the code and Coze's log id, and no secret",
		async (code, headline, field) => {
			const app = registerApp(sim);
			sim.oauth.refuseWith = code;
			const run = await runWithApp(sim, jwtCredentials(sim, app), {
				requestOptions: { maxRetries: 0 },
			});
			const { message, description } = run.nodeError('Coze')!;
			expect(message).toMatch(headline);
			expect(message).toContain(
				`Coze error ${code}: ${documentedMessage(code, `n8n app ${app.appId}`)}`,
			);
			expect(message).toMatch(/\(log id 20261124\d{12}\)/);
			expect(description).toMatch(field(app.appId));
			// access_deny is the app switched off, not a wrong App ID.
			expect(String(description)).not.toMatch(/not an OAuth app/);
			expect(requestsTo(sim, '/v1/workflow/stream_run')).toBe(0);
			expect(leaks(everything(run), sim)).toEqual([]);
		},
	);

	it('reads a refusal sent with HTTP 200 by its error_code, with the log id of that answer', async () => {
		const app = registerApp(sim);
		const logId = nextLogId();
		sim.override('/api/permission/oauth2/token', async (_req, res, body) => {
			await body();
			const refusal = oauthRefusal('access_deny', documentedMessage('access_deny', 'Reports'));
			res.writeHead(200, { 'content-type': 'application/json', 'x-tt-logid': logId });
			res.end(JSON.stringify(refusal.body));
		});
		const run = await runWithApp(sim, jwtCredentials(sim, app));
		expect(run.nodeError('Coze')).toMatchObject({
			message: `The OAuth app is deactivated in Coze, or not allowed this token: Coze error access_deny: app: Reports is currently deactivated by the owner (log id ${logId})`,
			description: expect.stringContaining('enable it'),
		});
	});

	it('says an answer without a token is not one, instead of "refused … HTTP 200"', async () => {
		const app = registerApp(sim);
		sim.override('/api/permission/oauth2/token', async (_req, res, body) => {
			await body();
			res.writeHead(200, {
				'content-type': 'application/json',
				'x-tt-logid': '20261124999999999999',
			});
			res.end(
				JSON.stringify({ expires_in: Math.floor(Date.now() / 1000) + 900, token_type: 'Bearer' }),
			);
		});
		const run = await runWithApp(sim, jwtCredentials(sim, app));
		const error = run.nodeError('Coze')!;
		expect(error.message).toBe(
			"Coze's answer to the OAuth app's token request has no access token (log id 20261124999999999999)",
		);
		expect(error.message).not.toMatch(/refused|HTTP 200/);
	});

	// None of these is what Coze documents (a Unix time in seconds); each still makes one exchange for 10 items.
	it.each<[string, ExpiresInShape]>([
		['absent', () => undefined],
		['null', () => null],
		['not a number', () => 'soon'],
		['a number in a string', (endsAt) => String(endsAt)],
		['an object', () => ({ seconds: 900 })],
		['a duration (900) instead of a time', (_endsAt, lifetime) => lifetime],
		['a time already past', (endsAt) => endsAt - 7200],
		['zero', () => 0],
		['negative', () => -1],
	])('expires_in %s: 10 items succeed on one exchange', async (_case, shape) => {
		const app = registerApp(sim);
		sim.oauth.expiresIn = shape;
		const run = await runWithApp(sim, jwtCredentials(sim, app), { inputs: TEN_ITEMS });
		expect(run.nodeError('Coze')).toBeUndefined();
		expect(run.output('Coze').map((item) => item.json.content)).toEqual(
			TEN_ITEMS.map(() => 'hello from an OAuth app'),
		);
		expect(sim.oauth.exchanges).toBe(1);
		expect(requestsTo(sim, '/api/permission/oauth2/token')).toBe(1);
	});
});
