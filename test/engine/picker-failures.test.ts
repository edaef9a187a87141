// When Coze does not give the Workflow list or a workflow's inputs, each reason gets its own
// advice, as n8n's editor calls the methods (n8n-core's LoadOptionsContext): the list says it in
// its error's message (what the editor shows of it), the mapper in its notice (the mapper shows
// no thrown error). Against the simulator in the cloud's and Coze Studio's shapes.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

import type { ResourceMapperFields } from 'n8n-workflow';

import { getWorkflowInputs } from '../../nodes/Coze/methods/input-fields-method';
import { searchWorkflows } from '../../nodes/Coze/methods/workflow-search';
import { forgetWorkspaces } from '../../nodes/Coze/testing';
import { CozeSimulator, SIMULATOR_TOKEN } from '../simulator/server';
import { stopSimulator } from '../simulator/stop';
import { cozeCredentials, editorContext } from './harness';

const PERSONAL = '7404830425073300001';
const CARD = '7404830425073352716';
const UNKNOWN = '7404830425073359999';
const WRONG_TOKEN = 'pat_wrong_token_made_on_the_other_site_0123456789';

/** A port with nothing listening: the connection is refused. */
async function closedPort(): Promise<number> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as { port: number };
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return port;
}

/** The list's error message, or a failure if the list came. */
async function listError(baseUrl: string, token = SIMULATOR_TOKEN): Promise<string> {
	return await searchWorkflows.call(editorContext({}, cozeCredentials(baseUrl, token))).then(
		(page) => {
			throw new Error(`the list came: ${JSON.stringify(page)}`);
		},
		(error: Error) => error.message,
	);
}

/** What the mapper gets for `workflowId`: no fields, and its notice. */
async function inputsNotice(
	baseUrl: string,
	workflowId = CARD,
	token = SIMULATOR_TOKEN,
): Promise<string> {
	const answer: ResourceMapperFields = await getWorkflowInputs.call(
		editorContext(
			{ workflowId: { __rl: true, mode: 'id', value: workflowId } },
			cozeCredentials(baseUrl, token),
		),
	);
	expect(answer.fields).toEqual([]);
	return answer.emptyFieldsNotice ?? '';
}

const answerWith =
	(
		status: number,
		body: string,
		headers: Record<string, string> = { 'content-type': 'application/json' },
	) =>
	(_req: IncomingMessage, res: ServerResponse) => {
		res.writeHead(status, headers);
		res.end(body);
	};

describe('the list and the inputs say why Coze gave nothing, and what fixes it (cloud)', () => {
	let sim: CozeSimulator;

	beforeEach(async () => {
		forgetWorkspaces();
		sim = await CozeSimulator.start({ flavour: 'cloud' });
		sim.catalog.addWorkspace({ id: PERSONAL, name: 'Personal space' });
		sim.catalog.addWorkflow(PERSONAL, {
			workflow_id: CARD,
			workflow_name: 'Greeting card',
			inputs: { name: { type: 'string' } },
		});
	});
	afterEach(() => stopSimulator(sim));

	it('a wrong token: check the token and the Region, not By URL or By ID (HTTP 401, code 4100)', async () => {
		const message = await listError(sim.baseUrl, WRONG_TOKEN);
		expect(message).toMatch(
			/^Coze refused the access token: check the token in the credential, and that the credential's Region is the site where the token was made \(a coze\.com token is refused by coze\.cn and the reverse\)\. Coze said: Coze error 4100: /,
		);
		expect(message).not.toMatch(/By URL|By ID/);
		expect(message).not.toContain(WRONG_TOKEN);
		const notice = await inputsNotice(sim.baseUrl, CARD, WRONG_TOKEN);
		expect(notice).toMatch(
			/^Coze refused the access token, so the workflow's inputs cannot be read: check the token in the credential, and that the credential's Region is the site where the token was made/,
		);
		expect(notice).not.toContain(WRONG_TOKEN);
	});

	it('a permission the token lacks: the one Coze refused, named from the endpoint (code 4101)', async () => {
		sim.catalog.deny('listWorkflow');
		expect(await listError(sim.baseUrl)).toMatch(
			/^The token may not list workspaces and workflows \(it lacks the listWorkflow permission, which listing workflows needs\): add listWorkspace and listWorkflow to the token in Coze, or choose By URL or By ID\. Coze said: Coze error 4101: /,
		);
		sim.catalog.deny('getMetaData');
		expect(await inputsNotice(sim.baseUrl)).toMatch(
			/^The token may not read this workflow's inputs \(it lacks the getMetaData permission, .*\): add getMetaData .* or choose Inputs → JSON/,
		);
	});

	it('a workflow ID Coze does not have: not found or not published (HTTP 404, code 4200), not "choose a workflow first"', async () => {
		const notice = await inputsNotice(sim.baseUrl, UNKNOWN);
		expect(notice).toMatch(
			new RegExp(
				`^Workflow ${UNKNOWN}: not found or not published\\. Check the ID \\(From List shows the published workflows the token can run\\), and publish the workflow in Coze\\. Coze said: Coze error 4200: `,
			),
		);
	});

	it('a Base URL nothing answers at: check the Base URL and the network', async () => {
		const baseUrl = `http://127.0.0.1:${await closedPort()}`;
		expect(await listError(baseUrl)).toMatch(
			new RegExp(
				`^Coze could not be reached: check the credential's Base URL \\(or Region\\) and this machine's network\\. Could not talk to Coze at ${baseUrl}`,
			),
		);
		expect(await inputsNotice(baseUrl)).toMatch(
			/^Coze could not be reached, so the workflow's inputs cannot be read: check the credential's Base URL \(or Region\)/,
		);
	});

	it("a rate limit or Coze's own failure: try again (HTTP 429 / code 4013, HTTP 5xx), after the one retry the editor makes", async () => {
		for (let i = 0; i < 2; i++)
			sim.override(
				'/v1/workspaces',
				answerWith(429, '{"code":4013,"msg":"rate limited"}', {
					'content-type': 'application/json',
					'retry-after': '0',
				}),
			);
		expect(await listError(sim.baseUrl)).toMatch(
			/^Coze is busy or failed on its side: open the list again in a moment, or choose By URL or By ID\. Coze said: Coze error 4013: rate limited/,
		);
		for (let i = 0; i < 2; i++)
			sim.override(
				`/v1/workflows/${CARD}`,
				answerWith(500, '{"code":5000,"msg":"internal error"}'),
			);
		expect(await inputsNotice(sim.baseUrl)).toMatch(
			/^Coze is busy or failed on its side: close and open the node again in a moment to read the workflow's inputs, or choose Inputs → JSON/,
		);
	});

	it("an answer that is not Coze's API: check the Base URL", async () => {
		sim.override(
			'/v1/workspaces',
			answerWith(200, '<html>Welcome to nginx</html>', { 'content-type': 'text/html' }),
		);
		expect(await listError(sim.baseUrl)).toMatch(
			/^The answer is not Coze's API: check the credential's Base URL \(or Region\)\. Coze answered with something that is not JSON/,
		);
	});

	it('a credential without a token: says so, for the list and the inputs', async () => {
		expect(await listError(sim.baseUrl, '  ')).toMatch(
			/^The Coze API credential has no Access Token: Open the credential and paste a personal access token/,
		);
		expect(await inputsNotice(sim.baseUrl, CARD, '')).toMatch(
			/^The Coze API credential has no Access Token: /,
		);
	});

	it("the notice is HTML in the editor: Coze's words in it are escaped", async () => {
		sim.override(
			`/v1/workflows/${CARD}`,
			answerWith(400, '{"code":4000,"msg":"<img src=x onerror=alert(1)> & more"}'),
		);
		const notice = await inputsNotice(sim.baseUrl);
		expect(notice).toContain('&lt;img src=x onerror=alert(1)&gt; &amp; more');
		expect(notice).not.toContain('<img');
	});
});

describe('the list and the inputs say why Coze gave nothing (Coze Studio)', () => {
	let sim: CozeSimulator;

	beforeEach(async () => {
		forgetWorkspaces();
		sim = await CozeSimulator.start({ flavour: 'studio' });
		sim.catalog.addWorkspace({ id: PERSONAL, name: 'Personal' });
		sim.catalog.addWorkflow(PERSONAL, { workflow_id: CARD, workflow_name: 'studio_card' });
	});
	afterEach(() => stopSimulator(sim));

	it('a workflow ID Studio does not have: not found or not published (code 720702004)', async () => {
		expect(await inputsNotice(sim.baseUrl, UNKNOWN)).toMatch(
			new RegExp(
				`^Workflow ${UNKNOWN}: not found or not published\\. .* Coze said: Coze error 720702004: `,
			),
		);
	});

	it('a wrong token on the detail Studio serves: check the token (HTTP 200, code 700012006)', async () => {
		expect(await inputsNotice(sim.baseUrl, CARD, WRONG_TOKEN)).toMatch(
			/^Coze refused the access token, so the workflow's inputs cannot be read: check the token/,
		);
	});

	it('the list Studio does not have, whatever the token (its session 401 with code 401): By URL or By ID', async () => {
		for (const token of [SIMULATOR_TOKEN, WRONG_TOKEN]) {
			expect(await listError(sim.baseUrl, token)).toMatch(
				/^This Coze server has no API to list workspaces and workflows: choose By URL or By ID/,
			);
		}
	});

	it('a server whose detail path is not found at all (HTTP 404 without a code): Inputs → JSON', async () => {
		sim.override(
			`/v1/workflows/${CARD}`,
			answerWith(404, '404 page not found', { 'content-type': 'text/plain' }),
		);
		expect(await inputsNotice(sim.baseUrl)).toMatch(
			/^This Coze server does not describe workflows' inputs \(Coze Studio's API does not\): choose Inputs → JSON/,
		);
	});
});
