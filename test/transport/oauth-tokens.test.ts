import { generateKeyPairSync } from 'node:crypto';

import { connectionFromCredentials } from '../../nodes/Coze/transport/http/connection';
import { CozeSimulator } from '../simulator/server';
import { stopSimulator } from '../simulator/stop';

describe('an OAuth app\'s tokens', () => {
	let sim: CozeSimulator;
	const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
	beforeEach(async () => (sim = await CozeSimulator.start({ flavour: 'cloud' })));
	afterEach(async () => {
		jest.restoreAllMocks();
		await stopSimulator(sim);
	});

	it('renews a token in the last fifth of its life (at most 30 s before its end), not before', async () => {
		sim.oauth.register({ appId: '1170000000000000777', publicKeyId: 'kid_renewal', publicKey });
		sim.oauth.tokenLifetimeSeconds = 100;
		const connection = connectionFromCredentials({
			authentication: 'oauthJwt',
			region: 'custom',
			baseUrl: sim.baseUrl,
			appId: '1170000000000000777',
			publicKeyId: 'kid_renewal',
			privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }),
		});
		const start = Date.now();
		const first = await connection.oauth!.token(connection);
		const at = (seconds: number) => jest.spyOn(Date, 'now').mockReturnValue(start + seconds * 1000);
		at(69);
		expect(await connection.oauth!.token(connection)).toBe(first);
		// 100 s tokens: renewed from 20 s before the end (expires_in is whole seconds, so from 79 to 80 s).
		at(81);
		const second = await connection.oauth!.token(connection);
		expect(second).not.toBe(first);
		expect(sim.oauth.exchanges).toBe(2);
	});
});
