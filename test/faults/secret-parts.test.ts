// Every part of every secret an OAuth app's credential holds stays out of what the node shows:
// the JWT it signs (whose payload or signature a server may echo alone), the access tokens the
// exchange returns, the private key. Through n8n's engine for a run, and through the editor's
// context for the workflow list and the inputs. No real server is known to echo any of them:
// these shapes are hostile by design (the exchange's own shapes: test/simulator/oauth.ts).
import { generateKeyPairSync } from 'node:crypto';

import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { getWorkflowInputs } from '../../nodes/Coze/methods/input-fields-method';
import { searchWorkflows } from '../../nodes/Coze/methods/workflow-search';
import { forgetWorkspaces } from '../../nodes/Coze/testing';
import { editorContext, runWorkflow, useBinaryMode } from '../engine/harness';
import { CozeSimulator, type RecordedRequest } from '../simulator/server';
import { stopSimulator } from '../simulator/stop';
import { cozeGraph } from './graph';

const TOKEN_PATH = '/api/permission/oauth2/token';
const KEYS = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PEM = String(KEYS.privateKey.export({ type: 'pkcs8', format: 'pem' }));

let apps = 0;

/** A new OAuth app on the simulator (its own id, so that no test reuses another's token), and its credential. */
function oauthApp(sim: CozeSimulator): Record<string, ICredentialDataDecryptedObject> {
	apps += 1;
	const app = {
		appId: `117000000000000${String(apps).padStart(4, '0')}`,
		publicKeyId: `kid_parts_${apps}`,
		publicKey: KEYS.publicKey,
	};
	sim.oauth.register(app);
	return {
		cozeApi: {
			authentication: 'oauthJwt',
			region: 'custom',
			baseUrl: sim.baseUrl,
			appId: app.appId,
			publicKeyId: app.publicKeyId,
			privateKey: PEM,
		},
	};
}

/** The JWT a request to the exchange carried, in its three parts. */
function jwtOf(request: Pick<RecordedRequest, 'authorization'>): {
	jwt: string;
	payload: string;
	signature: string;
} {
	const jwt = String(request.authorization).slice('Bearer '.length);
	const [, payload, signature] = jwt.split('.');
	return { jwt, payload, signature };
}

/** The secrets of the app seen on the wire: every JWT's payload and signature, every token, the key's lines. */
function secretsSeen(sim: CozeSimulator): string[] {
	const jwts = sim.requests.filter((request) => request.path === TOKEN_PATH).map(jwtOf);
	const keyLines = PEM.split('\n').filter((line) => line.length > 40);
	return [
		...jwts.flatMap(({ payload, signature }) => [payload, signature]),
		...sim.oauth.liveTokens(),
		...keyLines,
	];
}

/** Pieces of 12 characters of any secret found in `text`. */
function leaked(text: string, secrets: string[]): string[] {
	const found: string[] = [];
	for (const secret of secrets)
		for (let start = 0; start + 12 <= secret.length; start += 6)
			if (text.includes(secret.slice(start, start + 12)))
				found.push(secret.slice(start, start + 12));
	return found;
}

async function runWith(
	sim: CozeSimulator,
	credentials: Record<string, ICredentialDataDecryptedObject>,
	onError: 'stopWorkflow' | 'continueRegularOutput',
) {
	const result = await runWorkflow({
		...cozeGraph(sim, { onError, requestOptions: { maxRetries: 0 } }),
		credentials,
	});
	const error = result.nodeError('Coze');
	const { runData, error: runError } = result.run.data.resultData;
	return `${JSON.stringify([runData.Coze, runError])}\n${error?.message}\n${error?.description}`;
}

describe("every part of an OAuth app's secrets stays out of a run", () => {
	let sim: CozeSimulator;
	beforeAll(() => useBinaryMode('memory'));
	beforeEach(async () => (sim = await CozeSimulator.start({ flavour: 'cloud' })));
	afterEach(() => stopSimulator(sim));

	it.each(['stopWorkflow', 'continueRegularOutput'] as const)(
		"the exchange's refusal echoes the JWT's signature and payload alone (On Error: %s)",
		async (onError) => {
			sim.override(TOKEN_PATH, async (req, res, body) => {
				await body();
				const { payload, signature } = jwtOf({ authorization: req.headers.authorization });
				res.writeHead(401, { 'content-type': 'application/json', 'x-tt-logid': payload });
				res.end(
					JSON.stringify({
						error_code: 'unauthorized',
						error_message: `signature ${signature} does not verify`,
						error: payload,
					}),
				);
			});
			const everything = await runWith(sim, oauthApp(sim), onError);
			expect(everything).toContain('does not verify');
			expect(everything).toContain('[redacted]');
			expect(leaked(everything, secretsSeen(sim))).toEqual([]);
		},
	);

	it.each(['stopWorkflow', 'continueRegularOutput'] as const)(
		"a run's error echoes the JWT's parts and the access token, each alone (On Error: %s)",
		async (onError) => {
			sim.override('/v1/workflow/stream_run', async (req, res, body) => {
				await body();
				const { payload, signature } = jwtOf(
					sim.requests.find((request) => request.path === TOKEN_PATH)!,
				);
				const token = String(req.headers.authorization).slice('Bearer '.length);
				res.writeHead(400, { 'content-type': 'application/json', 'x-tt-logid': signature });
				res.end(
					JSON.stringify({
						code: 4000,
						msg: `claims ${payload} signed ${signature} gave ${token}`,
						detail: { logid: payload },
					}),
				);
			});
			const everything = await runWith(sim, oauthApp(sim), onError);
			expect(everything).toContain('Coze error 4000');
			expect(leaked(everything, secretsSeen(sim))).toEqual([]);
		},
	);
});

describe("every part of an OAuth app's secrets stays out of the editor's lists", () => {
	const PERSONAL = '7404830425073300001';
	const TEAM = '7404830425073300002';
	const CARD = '7404830425073352716';
	let sim: CozeSimulator;
	beforeEach(async () => {
		forgetWorkspaces();
		sim = await CozeSimulator.start({ flavour: 'cloud' });
	});
	afterEach(() => stopSimulator(sim));

	it("the workflow list: names, descriptions and workspace names that echo the JWT's parts and the token", async () => {
		// The catalog learns each secret as it crosses the wire: the JWT at the exchange, the token on the first list.
		sim.observe({
			request: (record) => {
				if (record.path === TOKEN_PATH) {
					const { payload, signature } = jwtOf(record);
					sim.catalog.addWorkspace({
						id: PERSONAL,
						name: `space ${payload}`,
						workspace_type: 'personal',
					});
					sim.catalog.addWorkspace({ id: TEAM, name: 'Team space', workspace_type: 'team' });
					sim.catalog.addWorkflow(PERSONAL, {
						workflow_id: CARD,
						workflow_name: `card ${signature}`,
						description: `claims ${payload}`,
					});
				}
				if (record.path === '/v1/workspaces') {
					const token = String(record.authorization).slice('Bearer '.length);
					sim.catalog.addWorkflow(PERSONAL, {
						workflow_id: '7404830425073352717',
						workflow_name: token,
						description: `uses ${token}`,
					});
				}
			},
		});
		const page = await searchWorkflows.call(editorContext({}, oauthApp(sim)));
		const shown = JSON.stringify(page);
		expect(page.results.map((result) => result.value)).toEqual([CARD, '7404830425073352717']);
		expect(shown).toContain('[redacted]');
		expect(leaked(shown, secretsSeen(sim))).toEqual([]);
	});

	it("a workflow's inputs: a default value and a type that echo the JWT's parts; an input named with one is refused without showing it", async () => {
		const credentials = oauthApp(sim);
		sim.observe({
			request: (record) => {
				if (record.path !== TOKEN_PATH) return;
				const { payload, signature } = jwtOf(record);
				sim.catalog.addWorkspace({ id: PERSONAL, name: 'Personal space' });
				sim.catalog.addWorkflow(PERSONAL, {
					workflow_id: CARD,
					workflow_name: 'Greeting card',
					inputs: { name: { type: 'string', default_value: signature }, note: { type: payload } },
				});
				sim.catalog.addWorkflow(PERSONAL, {
					workflow_id: '7404830425073352718',
					workflow_name: 'Echo',
					inputs: { [signature]: { type: 'string' } },
				});
			},
		});
		const editor = (id: string) =>
			editorContext({ workflowId: { __rl: true, mode: 'id', value: id } }, credentials);
		const fields = await getWorkflowInputs.call(editor(CARD));
		expect(fields.fields.map((field) => field.id)).toEqual(['name', 'note']);
		expect(JSON.stringify(fields)).toContain('[redacted]');
		expect(leaked(JSON.stringify(fields), secretsSeen(sim))).toEqual([]);

		// Said in the mapper's notice: n8n's mapper shows no error a method throws.
		const refused = await getWorkflowInputs.call(editor('7404830425073352718'));
		expect(refused.fields).toEqual([]);
		expect(refused.emptyFieldsNotice).toMatch(/input's name holds a secret of the credential/);
		expect(leaked(JSON.stringify(refused), secretsSeen(sim))).toEqual([]);
	});
});
