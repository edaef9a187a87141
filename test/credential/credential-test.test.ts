import type { ICredentialTestFunctions } from 'n8n-workflow';

import { Coze } from '../../nodes/Coze/Coze.node';
import { closeCozeDispatcher } from '../../nodes/Coze/transport/http/dispatcher';
import { stopSimulator } from '../simulator/stop';
import { CozeSimulator } from '../simulator/server';

/** Calls the node's credential test as n8n does when the user presses "Test" in the dialog. */
async function testCredential(data: Record<string, unknown>) {
	const node = new Coze();
	const credentialTest = node.methods.credentialTest.cozeApiCredentialTest;
	return await credentialTest.call({} as ICredentialTestFunctions, { id: '1', name: 'Coze', type: 'cozeApi', data: data as never });
}

describe.each(['cloud', 'studio'] as const)('the Coze API credential test against a %s server', (flavour) => {
	let sim: CozeSimulator;
	beforeAll(async () => {
		sim = await CozeSimulator.start({ flavour });
	});
	afterAll(() => stopSimulator(sim));

	it('accepts the right token', async () => {
		const result = await testCredential({ region: 'custom', baseUrl: sim.baseUrl, accessToken: sim.token });
		expect(result).toEqual({
			status: 'OK',
			message: flavour === 'cloud' ? 'Connected to Coze as Simulated User' : 'Connected to Coze Studio: the token was accepted',
		});
	});

	it('refuses a wrong token with a message that says what to check, not the token', async () => {
		const result = await testCredential({ region: 'custom', baseUrl: sim.baseUrl, accessToken: 'pat_wrong_but_plausible' });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(flavour === 'cloud' ? /^Coze error 4100: authentication is invalid/ : /^Coze error 700012006: authentication failed: api key invalid/);
		expect(result.message).toMatch(/Region matches the site where the token was made/);
		expect(result.message).not.toContain('pat_wrong_but_plausible');
	});
});

describe('the Coze API credential test, before anything is sent', () => {
	it('says which field is wrong', async () => {
		expect(await testCredential({ region: 'custom', baseUrl: 'localhost:8888', accessToken: 'pat_x' })).toEqual({
			status: 'Error',
			message: expect.stringMatching(/^The Coze API credential's Base URL must start with http:\/\/ or https:\/\//),
		});
		expect((await testCredential({ region: 'cn', accessToken: '' })).message).toMatch(/no Access Token/);
	});

	it('says when nothing answers at the address', async () => {
		const sim = await CozeSimulator.start();
		const baseUrl = sim.baseUrl;
		await sim.close();
		const result = await testCredential({ region: 'custom', baseUrl, accessToken: 'pat_x' });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(new RegExp(`^Could not talk to Coze at ${baseUrl}\\. connect ECONNREFUSED`));
		await closeCozeDispatcher();
	});
});
