import {
	Workflow,
	type ICredentialDataDecryptedObject,
	type INode,
	type INodeTypes,
} from 'n8n-workflow';

import { CozeApi } from '../../credentials/CozeApi.credentials';
import { stopSimulator } from '../simulator/stop';
import { CozeSimulator } from '../simulator/server';

const node: INode = {
	id: 'http',
	name: 'HTTP Request',
	type: 'n8n-nodes-base.httpRequest',
	typeVersion: 4,
	position: [0, 0],
	parameters: {},
};
const noNodeTypes = {
	getByName: () => undefined,
	getByNameAndVersion: () => undefined,
	getKnownTypes: () => ({}),
} as unknown as INodeTypes;

/**
 * The headers n8n's HTTP Request node sends with the credential (Authentication → Predefined
 * Credential Type → Coze API): n8n resolves each expression of a generic `authenticate` with
 * `$credentials` and puts an empty result as "" (n8n-io/n8n packages/cli/src/credentials-helper.ts,
 * CredentialsHelper.authenticate and resolveValue).
 */
function headersFor(credentials: ICredentialDataDecryptedObject): Record<string, string> {
	const workflow = new Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: noNodeTypes,
	});
	const headers: Record<string, string> = {};
	for (const [name, value] of Object.entries(new CozeApi().authenticate.properties.headers ?? {})) {
		const resolved = workflow.expression.getSimpleParameterValue(
			node,
			String(value),
			'internal',
			{ $credentials: credentials },
			undefined,
			'',
		);
		headers[name] = resolved ? String(resolved) : '';
	}
	return headers;
}

describe("the Coze API credential in n8n's HTTP Request node", () => {
	let sim: CozeSimulator;
	beforeAll(async () => (sim = await CozeSimulator.start()));
	afterAll(() => stopSimulator(sim));

	const askWhoAmI = async (headers: Record<string, string>) => {
		const response = await fetch(`${sim.baseUrl}/v1/users/me`, { headers });
		return { status: response.status, body: (await response.json()) as { code: number } };
	};

	it('sends a personal access token as a Bearer token, which Coze takes', async () => {
		const headers = headersFor({
			authentication: 'accessToken',
			region: 'custom',
			baseUrl: sim.baseUrl,
			accessToken: sim.token,
		});
		expect(headers).toEqual({ Authorization: `Bearer ${sim.token}` });
		expect(await askWhoAmI(headers)).toMatchObject({ status: 200, body: { code: 0 } });
	});

	it("has no token to send for an OAuth App (JWT): its tokens are the Coze node's own", async () => {
		const headers = headersFor({
			authentication: 'oauthJwt',
			region: 'cn',
			appId: '1170000000000',
			publicKeyId: 'key',
			privateKey: '-----BEGIN PRIVATE KEY-----',
		});
		expect(headers).toEqual({ Authorization: 'Bearer ' });
		expect(await askWhoAmI(headers)).toMatchObject({ status: 401, body: { code: 4100 } });
	});
});
