// Version 2's pickers, as n8n's editor calls them (n8n-core's LoadOptionsContext): the workflow
// list (searchWorkflows / searchChatflows) and the inputs as mapper fields (getWorkflowInputs /
// getChatflowInputs), against the simulator's catalog in the cloud's and Coze Studio's shapes.
import type { ResourceMapperField } from 'n8n-workflow';

import { getChatflowInputs, getWorkflowInputs } from '../../nodes/Coze/methods/input-fields-method';
import { workflowIdFromUrl } from '../../nodes/Coze/transport/protocols/workflow-url';
import {
	editorUrl,
	searchChatflows,
	searchWorkflows,
} from '../../nodes/Coze/methods/workflow-search';
import { forgetWorkspaces } from '../../nodes/Coze/testing';
import { CozeSimulator, SIMULATOR_TOKEN } from '../simulator/server';
import { stopSimulator } from '../simulator/stop';
import { cozeCredentials, editorContext } from './harness';

const PERSONAL = '7404830425073300001';
const TEAM = '7404830425073300002';
const CARD = '7404830425073352716';
const CHATFLOW = '7404830425073352715';

function fillCatalog(sim: CozeSimulator): void {
	sim.catalog.addWorkspace({ id: PERSONAL, name: 'Personal space', workspace_type: 'personal' });
	sim.catalog.addWorkspace({
		id: TEAM,
		name: 'Team 扣子 space',
		workspace_type: 'team',
		role_type: 'member',
	});
	sim.catalog.addWorkflow(PERSONAL, {
		workflow_id: CARD,
		workflow_name: 'Greeting card',
		description: 'Writes a card',
		inputs: {
			name: { type: 'string', required: true, description: 'Who the card is for' },
			age: { type: 'integer', default_value: '30' },
			score: { type: 'number' },
			vip: { type: 'boolean', default_value: 'false' },
			tags: { type: 'array', items: { type: 'string' } },
			profile: { type: 'object', properties: { city: { type: 'string' } } },
			photo: { type: 'image' },
			attachment: { type: 'file' },
		},
	});
	sim.catalog.addWorkflow(PERSONAL, {
		workflow_id: '7404830425073352799',
		workflow_name: 'Draft only',
		published: false,
	});
	sim.catalog.addWorkflow(PERSONAL, {
		workflow_id: CHATFLOW,
		workflow_name: 'Sandbox chatflow',
		mode: 'chatflow',
		inputs: {
			USER_INPUT: { type: 'string' },
			CONVERSATION_NAME: { type: 'string', default_value: 'Default' },
			mood: { type: 'string' },
		},
	});
	for (let n = 1; n <= 35; n++)
		sim.catalog.addWorkflow(TEAM, {
			workflow_id: String(7404830425073353000n + BigInt(n)),
			workflow_name: `Team workflow ${String(n).padStart(2, '0')}`,
		});
}

describe('Workflow → From List and the Inputs fields, as the editor loads them (cloud)', () => {
	let sim: CozeSimulator;
	const credentials = () => ({
		cozeApi: { region: 'custom', baseUrl: sim.baseUrl, accessToken: SIMULATOR_TOKEN },
	});
	const editor = (parameters = {}) => editorContext(parameters, credentials());

	beforeEach(async () => {
		forgetWorkspaces();
		sim = await CozeSimulator.start({ flavour: 'cloud' });
		fillCatalog(sim);
	});
	afterEach(() => stopSimulator(sim));

	it('lists the published workflows of every workspace, named with their workspace, page by page until the last', async () => {
		const seen: string[] = [];
		let token: string | undefined;
		let calls = 0;
		do {
			const page = await searchWorkflows.call(editor(), undefined, token);
			seen.push(...page.results.map((entry) => `${entry.value} ${entry.name}`));
			token = page.paginationToken;
			calls += 1;
		} while (token && calls < 10);
		expect(token).toBeUndefined();
		expect(seen[0]).toBe(`${CARD} Greeting card (Personal space)`);
		expect(seen).not.toContainEqual(expect.stringContaining('Draft only'));
		expect(seen).not.toContainEqual(expect.stringContaining('Sandbox chatflow'));
		expect(seen.filter((entry) => entry.includes('Team workflow'))).toHaveLength(35);
		expect(new Set(seen).size).toBe(seen.length);
		// Coze's largest page (30) and only published workflows were asked for.
		const listQueries = sim.requests.filter((request) => request.path === '/v1/workflows');
		expect(listQueries.length).toBeGreaterThanOrEqual(3);
		// Workspaces were read once for all those pages.
		expect(sim.requests.filter((request) => request.path === '/v1/workspaces')).toHaveLength(1);
	});

	it('keeps the workspaces 5 minutes, then asks again', async () => {
		const workspaceReads = () =>
			sim.requests.filter((request) => request.path === '/v1/workspaces').length;
		const start = Date.now();
		const now = jest.spyOn(Date, 'now');
		try {
			now.mockReturnValue(start);
			await searchWorkflows.call(editor());
			now.mockReturnValue(start + 5 * 60_000 - 1);
			await searchWorkflows.call(editor());
			expect(workspaceReads()).toBe(1);
			now.mockReturnValue(start + 5 * 60_000);
			await searchWorkflows.call(editor());
			expect(workspaceReads()).toBe(2);
		} finally {
			now.mockRestore();
		}
	});

	it('searches by name (and across pages), and Chat lists chatflows only', async () => {
		const found = await searchWorkflows.call(editor(), 'workflow 33');
		expect(found.results.map((entry) => entry.name)).toEqual([
			'Team workflow 33 (Team 扣子 space)',
		]);
		const byId = await searchWorkflows.call(editor(), CARD);
		expect(byId.results.map((entry) => entry.value)).toEqual([CARD]);
		const chatflows = await searchChatflows.call(editor());
		expect(chatflows.results.map((entry) => entry.value)).toEqual([CHATFLOW]);
	});

	it('links each listed workflow to its page in Coze, an address By URL reads back', () => {
		for (const [api, site] of [
			['https://api.coze.cn', 'https://www.coze.cn'],
			['https://api.coze.com', 'https://www.coze.com'],
		]) {
			const url = editorUrl({ baseUrl: api, accessToken: 'x' }, PERSONAL, CARD);
			expect(url).toBe(`${site}/work_flow?space_id=${PERSONAL}&workflow_id=${CARD}`);
			expect(workflowIdFromUrl(url!)).toBe(CARD);
		}
		// A self-hosted server's editor address is not known: no link rather than a wrong one.
		expect(editorUrl({ baseUrl: sim.baseUrl, accessToken: 'x' }, PERSONAL, CARD)).toBeUndefined();
	});

	it("gives one typed field per input, required where Coze says so, with Coze's type in its label", async () => {
		const { fields } = await getWorkflowInputs.call(
			editor({ workflowId: { __rl: true, mode: 'list', value: CARD } }),
		);
		const byId = Object.fromEntries(fields.map((field) => [field.id, field])) as Record<
			string,
			ResourceMapperField
		>;
		expect(Object.keys(byId)).toEqual([
			'name',
			'age',
			'score',
			'vip',
			'tags',
			'profile',
			'photo',
			'attachment',
		]);
		expect(byId.name).toMatchObject({
			displayName: 'name (string)',
			required: true,
			type: 'string',
			display: true,
		});
		// An integer is typed as text so that 19 digits survive; Coze's default shows in the field.
		expect(byId.age).toMatchObject({
			displayName: 'age (integer)',
			required: false,
			type: 'string',
			defaultValue: '30',
		});
		expect(byId.score).toMatchObject({ displayName: 'score (number)', type: 'number' });
		expect(byId.vip).toMatchObject({
			displayName: 'vip (boolean)',
			type: 'boolean',
			defaultValue: false,
		});
		// Optional JSON inputs are text fields: n8n's JSON editor marks an empty one as an error,
		// though an empty input is left out of the run. The label says what the run reads them as.
		expect(byId.tags).toMatchObject({
			displayName: 'tags (array of string)',
			type: 'string',
			required: false,
		});
		expect(byId.profile).toMatchObject({
			displayName: 'profile (object)',
			type: 'string',
			required: false,
		});
		expect(byId.photo).toMatchObject({ displayName: 'photo (image file)', type: 'string' });
		expect(byId.attachment).toMatchObject({ displayName: 'attachment (file)', type: 'string' });
		const [detail] = sim.requests.filter((request) => request.path === `/v1/workflows/${CARD}`);
		expect(detail).toBeDefined();
	});

	it("keeps n8n's JSON editor for a required object or array input: empty, it is rightly marked", async () => {
		sim.catalog.addWorkflow(PERSONAL, {
			workflow_id: '7404830425073352730',
			workflow_name: 'Required JSON',
			inputs: {
				profile: { type: 'object', required: true },
				tags: { type: 'array', required: true, items: { type: 'string' } },
			},
		});
		const { fields } = await getWorkflowInputs.call(
			editor({ workflowId: { __rl: true, mode: 'id', value: '7404830425073352730' } }),
		);
		expect(fields.map((field) => [field.displayName, field.type, field.required])).toEqual([
			['profile (object)', 'object', true],
			['tags (array of string)', 'array', true],
		]);
	});

	it("reads the workflow By URL too, and leaves the chatflow's message (USER_INPUT) to the Message field", async () => {
		const byUrl = await getWorkflowInputs.call(
			editor({
				workflowId: {
					__rl: true,
					mode: 'url',
					value: `https://www.coze.cn/work_flow?space_id=${PERSONAL}&workflow_id=${CARD}`,
				},
			}),
		);
		expect(byUrl.fields.map((field) => field.id)).toContain('photo');
		const chat = await getChatflowInputs.call(
			editor({ workflowId: { __rl: true, mode: 'id', value: CHATFLOW } }),
		);
		expect(chat.fields.map((field) => field.id)).toEqual(['CONVERSATION_NAME', 'mood']);
	});

	it('explains an empty mapper when no fixed workflow is chosen (an expression)', async () => {
		const { fields, emptyFieldsNotice } = await getWorkflowInputs.call(
			editor({ workflowId: { __rl: true, mode: 'id', value: '={{ $json.workflow_id }}' } }),
		);
		expect(fields).toEqual([]);
		expect(emptyFieldsNotice).toMatch(/Choose a workflow/);
	});

	it('says which permission a token lacks for the list, and that By URL and By ID still work; the token is never in it', async () => {
		sim.catalog.deny('listWorkspace');
		const error = await searchWorkflows.call(editor()).then(
			() => undefined,
			(thrown: unknown) => thrown as { message: string; description?: string },
		);
		// The advice is in the message: n8n's editor shows a list error's message, not its description.
		expect(error?.message).toMatch(
			/^The token may not list workspaces and workflows \(it lacks the listWorkspace permission, which listing workspaces needs\): add listWorkspace and listWorkflow to the token in Coze, or choose By URL or By ID\. Coze said: Coze error 4101: Your token does not have permission/,
		);
		expect(JSON.stringify(error)).not.toContain(SIMULATOR_TOKEN);
	});

	it('says which permission a token lacks for the inputs, and that JSON still works, in the notice (the mapper shows no thrown error)', async () => {
		sim.catalog.deny('getMetaData');
		const { fields, emptyFieldsNotice } = await getWorkflowInputs.call(
			editor({ workflowId: { __rl: true, mode: 'id', value: CARD } }),
		);
		expect(fields).toEqual([]);
		expect(emptyFieldsNotice).toMatch(
			/^The token may not read this workflow's inputs \(it lacks the getMetaData permission, .*or choose Inputs → JSON/,
		);
	});
});

describe('Workflow → From List and the Inputs fields (Coze Studio)', () => {
	let sim: CozeSimulator;
	beforeEach(async () => {
		forgetWorkspaces();
		sim = await CozeSimulator.start({ flavour: 'studio' });
		fillCatalog(sim);
	});
	afterEach(() => stopSimulator(sim));

	it('says Studio has no list API, and that By URL and By ID work', async () => {
		await expect(
			searchWorkflows.call(editorContext({}, cozeCredentials(sim.baseUrl, SIMULATOR_TOKEN))),
		).rejects.toMatchObject({
			message: expect.stringMatching(
				/^This Coze server has no API to list workspaces and workflows: choose By URL or By ID\. Coze Studio's API does not offer it \(only coze\.cn and coze\.com do\)/,
			),
		});
	});

	it("says the same where the server's router answers the list with its 404", async () => {
		// coze-studio backend/api/router/register.go: NoRoute answers /v1/ paths {"code":404,"msg":"not found"}.
		sim.override('/v1/workspaces', (_req, res) => {
			res.writeHead(404, { 'content-type': 'application/json' });
			res.end('{"code":404,"msg":"not found"}');
		});
		await expect(
			searchWorkflows.call(editorContext({}, cozeCredentials(sim.baseUrl, SIMULATOR_TOKEN))),
		).rejects.toMatchObject({
			message: expect.stringMatching(
				/^This Coze server has no API to list workspaces and workflows: choose By URL or By ID/,
			),
		});
	});

	it('shows why the mapper is empty: Studio does not describe inputs (for a workflow and a chatflow alike)', async () => {
		for (const id of [CARD, CHATFLOW]) {
			const answer = await getWorkflowInputs.call(
				editorContext(
					{ workflowId: { __rl: true, mode: 'id', value: id } },
					cozeCredentials(sim.baseUrl, SIMULATOR_TOKEN),
				),
			);
			expect(answer).toEqual({
				fields: [],
				emptyFieldsNotice: expect.stringMatching(/Inputs → JSON/),
			});
		}
	});
});
