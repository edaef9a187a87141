import { generateKeyPairSync } from 'node:crypto';

import type { ICredentialTestFunctions } from 'n8n-workflow';

import { Coze } from '../../nodes/Coze/Coze.node';
import { closeCozeDispatcher } from '../../nodes/Coze/testing';
import { stopSimulator } from '../simulator/stop';
import { CozeSimulator } from '../simulator/server';

/** Calls the node's credential test as n8n does when the user presses "Test" in the dialog. */
async function testCredential(data: Record<string, unknown>) {
	const node = new Coze();
	const credentialTest = node.methods.credentialTest.cozeApiCredentialTest;
	return await credentialTest.call({} as ICredentialTestFunctions, {
		id: '1',
		name: 'Coze',
		type: 'cozeApi',
		data: data as never,
	});
}

describe.each(['cloud', 'studio'] as const)(
	'the Coze API credential test against a %s server',
	(flavour) => {
		let sim: CozeSimulator;
		beforeAll(async () => {
			sim = await CozeSimulator.start({ flavour });
		});
		afterAll(() => stopSimulator(sim));

		it('accepts the right token', async () => {
			const result = await testCredential({
				region: 'custom',
				baseUrl: sim.baseUrl,
				accessToken: sim.token,
			});
			expect(result).toEqual({
				status: 'OK',
				message:
					flavour === 'cloud'
						? 'Connected to Coze as Simulated User'
						: 'Connected to Coze Studio: the token was accepted',
			});
		});

		it('refuses a wrong token with a message that says what to check, not the token', async () => {
			const result = await testCredential({
				region: 'custom',
				baseUrl: sim.baseUrl,
				accessToken: 'pat_wrong_but_plausible',
			});
			expect(result.status).toBe('Error');
			expect(result.message).toMatch(
				flavour === 'cloud'
					? /^Coze error 4100: authentication is invalid/
					: /^Coze error 700012006: authentication failed: api key invalid/,
			);
			expect(result.message).toMatch(/Region matches the site where the token was made/);
			expect(result.message).not.toContain('pat_wrong_but_plausible');
		});
	},
);

describe('the Coze API credential test, before anything is sent', () => {
	it('says which field is wrong', async () => {
		expect(
			await testCredential({ region: 'custom', baseUrl: 'localhost:8888', accessToken: 'pat_x' }),
		).toEqual({
			status: 'Error',
			message: expect.stringMatching(
				/^The Coze API credential's Base URL must start with http:\/\/ or https:\/\//,
			),
		});
		expect((await testCredential({ region: 'cn', accessToken: '' })).message).toMatch(
			/no Access Token/,
		);
	});

	it('tries once: someone is waiting on the dialog', async () => {
		const sim = await CozeSimulator.start();
		try {
			sim.override('/v1/users/me', (_req, res) => {
				res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '0' });
				res.end(JSON.stringify({ code: 4013, msg: 'rate limited' }));
			});
			const result = await testCredential({
				region: 'custom',
				baseUrl: sim.baseUrl,
				accessToken: sim.token,
			});
			expect(result).toEqual({
				status: 'Error',
				message: expect.stringMatching(/^Coze error 4013: rate limited/),
			});
			expect(sim.requests.map((request) => request.path)).toEqual(['/v1/users/me']);
		} finally {
			await stopSimulator(sim);
		}
	});

	it('says when nothing answers at the address', async () => {
		const sim = await CozeSimulator.start();
		const baseUrl = sim.baseUrl;
		await sim.close();
		const result = await testCredential({ region: 'custom', baseUrl, accessToken: 'pat_x' });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(
			new RegExp(`^Could not talk to Coze at ${baseUrl}\\. connect ECONNREFUSED`),
		);
		await closeCozeDispatcher();
	});
});

describe('the credential test of an OAuth App (JWT) credential', () => {
	let sim: CozeSimulator;
	const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
	const pem = privateKey.export({ type: 'pkcs8', format: 'pem' });
	beforeAll(async () => {
		sim = await CozeSimulator.start({ flavour: 'cloud' });
		sim.oauth.register({ appId: '1170000000000000555', publicKeyId: 'kid_dialog', publicKey });
	});
	afterAll(() => stopSimulator(sim));
	const app = (extra: Record<string, unknown> = {}) => ({
		authentication: 'oauthJwt',
		region: 'custom',
		baseUrl: sim.baseUrl,
		appId: '1170000000000000555',
		publicKeyId: 'kid_dialog',
		privateKey: pem,
		...extra,
	});

	it('exchanges a token and asks who it is', async () => {
		expect(await testCredential(app())).toEqual({
			status: 'OK',
			message: 'Connected to Coze as Simulated User',
		});
		expect(sim.requests.map((request) => request.path)).toEqual([
			'/api/permission/oauth2/token',
			'/v1/users/me',
		]);
	});

	it("reports the exchange's failure as such, naming the field, with no secret in it", async () => {
		const result = await testCredential(app({ publicKeyId: 'kid_typo' }));
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(
			/^Coze did not accept the OAuth app's JWT: Coze error invalid_client: invalid jwt: kid not been registred \(log id \d+\)\. Check the credential's App ID "1170000000000000555" \(.*\), Public Key ID "kid_typo"/,
		);
		expect(result.message).not.toContain(String(pem).split('\n')[1]);
	});
});
