import { generateKeyPairSync } from 'node:crypto';

import { connectionFromCredentials } from '../../nodes/Coze/transport/http/connection';
import type { ExpiresInShape } from '../simulator/oauth-errors';
import { CozeSimulator } from '../simulator/server';
import { stopSimulator } from '../simulator/stop';

describe("an OAuth app's tokens", () => {
	let sim: CozeSimulator;
	let appCounter = 0;
	const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
	beforeEach(async () => (sim = await CozeSimulator.start({ flavour: 'cloud' })));
	afterEach(async () => {
		jest.restoreAllMocks();
		await stopSimulator(sim);
	});

	/** A connection of a new app (no token cached from another test), its tokens lasting `lifetime` seconds in the simulator. */
	function newApp(
		lifetime: number,
		expiresIn?: ExpiresInShape,
		credential: Record<string, unknown> = {},
	) {
		appCounter += 1;
		const app = {
			appId: `117000000000000077${appCounter}`,
			publicKeyId: `kid_renewal_${appCounter}`,
		};
		sim.oauth.register({ ...app, publicKey });
		sim.oauth.tokenLifetimeSeconds = lifetime;
		sim.oauth.expiresIn = expiresIn;
		const connection = connectionFromCredentials({
			authentication: 'oauthJwt',
			region: 'custom',
			baseUrl: sim.baseUrl,
			...app,
			privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }),
			...credential,
		});
		const start = Date.now();
		return {
			token: async () => await connection.oauth!.token(connection),
			/** Moves this process's clock to `seconds` after the app was made. */
			at: (seconds: number) => jest.spyOn(Date, 'now').mockReturnValue(start + seconds * 1000),
		};
	}

	it('renews a token in the last fifth of its life (at most 30 s before its end), not before', async () => {
		const app = newApp(100);
		const first = await app.token();
		app.at(69);
		expect(await app.token()).toBe(first);
		// 100 s tokens: renewed from 20 s before the end (expires_in is whole seconds, so from 79 to 80 s).
		app.at(81);
		const second = await app.token();
		expect(second).not.toBe(first);
		expect(sim.oauth.exchanges).toBe(2);
	});

	it('reads an expires_in below 10^9 as seconds from now, a string of digits as its number', async () => {
		for (const shape of [
			(_endsAt: number, lifetime: number) => lifetime,
			(endsAt: number) => String(endsAt),
		]) {
			const exchangesBefore = sim.oauth.exchanges;
			const app = newApp(100, shape);
			const first = await app.token();
			app.at(69);
			expect(await app.token()).toBe(first);
			app.at(81);
			expect(await app.token()).not.toBe(first);
			expect(sim.oauth.exchanges - exchangesBefore).toBe(2);
			jest.restoreAllMocks();
		}
	});

	it.each<[string, ExpiresInShape]>([
		['absent', () => undefined],
		['text', () => 'in 15 minutes'],
		['already past', (endsAt) => endsAt - 3600],
		['a second away', () => Math.floor(Date.now() / 1000) + 1],
	])(
		'keeps a token whose expires_in is %s for the lifetime floor of 60 s, then exchanges once',
		async (_case, shape) => {
			const app = newApp(900, shape);
			const first = await app.token();
			app.at(59);
			expect(await app.token()).toBe(first);
			app.at(61);
			const second = await app.token();
			expect(second).not.toBe(first);
			app.at(62);
			expect(await app.token()).toBe(second);
			expect(sim.oauth.exchanges).toBe(2);
		},
	);

	it('keeps the floor to half a Token Lifetime shorter than two minutes, so a 2 s token is renewed before it ends', async () => {
		const app = newApp(2, undefined, { tokenLifetime: 2 });
		const first = await app.token();
		app.at(0.9);
		expect(await app.token()).toBe(first);
		// expires_in is whole seconds: the token ends 1 to 2 s after it came, and is renewed by 1.6 s.
		app.at(1.7);
		expect(await app.token()).not.toBe(first);
	});
});

describe('a token exchange refused without an OAuth error code', () => {
	let sim: CozeSimulator;
	const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
	beforeEach(async () => {
		sim = await CozeSimulator.start({ flavour: 'cloud' });
		sim.oauth.register({ appId: '1170000000000000888', publicKeyId: 'kid_fallback', publicKey });
	});
	afterEach(() => stopSimulator(sim));

	// No source shows such an answer from the exchange: a gateway's envelope, or a bare error_message as cozepy reads one.
	it.each([
		[
			'{"code":4100,"msg":"invalid jwt: kid not been registred"}',
			/^Public Key ID "kid_fallback" is not a key of this app/,
		],
		[
			'{"error_message":"jwt signature verify failed"}',
			/^The Private Key does not match the Public Key ID/,
		],
		[
			'{"error_message":"iss is not a client id of this server"}',
			/^App ID "1170000000000000888" is not the ID of the app/,
		],
		['{"error_message":"token iat is too far from now"}', /clock of the machine/],
		[
			'{"error_message":"denied"}',
			/^Check the credential's App ID "1170000000000000888".*Public Key ID "kid_fallback".*Private Key/,
		],
	])("reads the field to fix from Coze's words, as a fallback: %s", async (body, field) => {
		sim.override('/api/permission/oauth2/token', async (_req, res, read) => {
			await read();
			res.writeHead(401, {
				'content-type': 'application/json',
				'x-tt-logid': '20261124000000000777',
			});
			res.end(body);
		});
		const connection = connectionFromCredentials(
			{
				authentication: 'oauthJwt',
				region: 'custom',
				baseUrl: sim.baseUrl,
				appId: '1170000000000000888',
				publicKeyId: 'kid_fallback',
				privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }),
			},
			{ maxRetries: 0 },
		);
		const failure = connection.oauth!.token(connection);
		await expect(failure).rejects.toMatchObject({
			message: expect.stringMatching(
				/^Coze refused the OAuth app's token request: Coze (error 4100|HTTP 401): .+ \(log id 20261124000000000777\)$/,
			),
			description: expect.stringMatching(field),
		});
	});
});
