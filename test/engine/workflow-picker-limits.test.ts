// The workflow list against a server whose paging never ends (has_more always true), as n8n's
// editor pages it (n8n-core's LoadOptionsContext; the editor asks for the next page as long as a
// pagination token comes back, on its own while the list is too short to scroll).
import type { INodeListSearchItems } from 'n8n-workflow';

import { LIST_END_NOTICE } from '../../nodes/Coze/shared/workflow-locator';
import { searchWorkflows } from '../../nodes/Coze/methods/workflow-search';
import { forgetWorkspaces } from '../../nodes/Coze/testing';
import { cozeGraph } from '../faults/graph';
import { CozeSimulator } from '../simulator/server';
import { stopSimulator } from '../simulator/stop';
import { editorContext, runWorkflow } from './harness';

const PERSONAL = '7404830425073300001';
const TEAM = '7404830425073300002';
const CARD = '7404830425073352716';
const TEAM_CARD = '7404830425073352717';
/** Where a test stops paging if the node never does (the issue saw 200 calls). */
const EDITOR_PATIENCE = 200;

describe('Workflow → From List when Coze says there is always more', () => {
	let sim: CozeSimulator;
	const editor = () =>
		editorContext(
			{},
			{ cozeApi: { region: 'custom', baseUrl: sim.baseUrl, accessToken: sim.token } },
		);
	const listCalls = () => sim.requests.filter((request) => request.path === '/v1/workflows').length;

	/** Every entry the editor ends up showing, asking again while a pagination token comes back. */
	async function scrollToTheEnd(
		filter?: string,
	): Promise<{ entries: INodeListSearchItems[]; asked: number }> {
		const entries: INodeListSearchItems[] = [];
		let token: string | undefined;
		let asked = 0;
		do {
			const page = await searchWorkflows.call(editor(), filter, token);
			entries.push(...page.results);
			token = page.paginationToken;
			asked += 1;
		} while (token !== undefined && asked < EDITOR_PATIENCE);
		return { entries, asked };
	}

	beforeEach(async () => {
		forgetWorkspaces();
		sim = await CozeSimulator.start({ flavour: 'cloud' });
		sim.catalog.addWorkspace({ id: PERSONAL, name: 'Personal space' });
		sim.catalog.addWorkflow(PERSONAL, { workflow_id: CARD, workflow_name: 'Greeting card' });
	});
	afterEach(() => stopSimulator(sim));

	it('stops when Coze answers the same page again, and its last entry says the list ends there', async () => {
		sim.catalog.breakPaging('repeatsFirstPage');
		const { entries, asked } = await scrollToTheEnd();
		expect(listCalls()).toBe(2);
		expect(asked).toBe(2);
		expect(entries.map((entry) => entry.value)).toEqual([CARD, `${LIST_END_NOTICE}${PERSONAL}`]);
		expect(entries[1].name).toBe(
			'⚠ the list ends here (Coze sent page 2 again). Choose By URL or By ID for another workflow',
		);
	});

	it("stops after 50 of Coze's pages of a workspace that never ends, and says how many it shows", async () => {
		sim.catalog.breakPaging('neverEnds');
		const { entries } = await scrollToTheEnd();
		expect(listCalls()).toBe(50);
		const workflows = entries.filter((entry) => !String(entry.value).startsWith(LIST_END_NOTICE));
		expect(workflows).toHaveLength(1500);
		expect(new Set(workflows.map((entry) => entry.value)).size).toBe(1500);
		expect(entries.at(-1)?.name).toBe(
			'⚠ the list ends here (after 1500 workflows). Choose By URL or By ID for another workflow',
		);
	});

	it("ends each workspace's part on its own, naming the workspace, and goes on to the next", async () => {
		sim.catalog.addWorkspace({ id: TEAM, name: 'Team space' });
		sim.catalog.addWorkflow(TEAM, { workflow_id: TEAM_CARD, workflow_name: 'Team card' });
		sim.catalog.breakPaging('repeatsFirstPage');
		const { entries } = await scrollToTheEnd();
		expect(entries.map((entry) => entry.name)).toEqual([
			'Greeting card (Personal space)',
			'⚠ Personal space: the list ends here (Coze sent page 2 again). Choose By URL or By ID for another workflow',
			'Team card (Team space)',
			'⚠ Team space: the list ends here (Coze sent page 2 again). Choose By URL or By ID for another workflow',
		]);
		expect(listCalls()).toBe(4);
	});

	it('stops a search that finds nothing on a list that never ends', async () => {
		sim.catalog.breakPaging('repeatsFirstPage');
		const { entries } = await scrollToTheEnd('no such workflow');
		expect(entries.map((entry) => entry.value)).toEqual([`${LIST_END_NOTICE}${PERSONAL}`]);
		expect(listCalls()).toBe(2);
	});

	it("says so when the list's last entry is chosen as the workflow, and runs nothing", async () => {
		const run = await runWorkflow(
			cozeGraph(sim, {
				typeVersion: 2,
				parameters: {
					workflowId: { __rl: true, mode: 'list', value: `${LIST_END_NOTICE}${PERSONAL}` },
					inputMode: 'json',
					parameters: '{}',
				},
			}),
		);
		expect(run.nodeError('Coze')?.message).toBe(
			"Workflow: the list's notice that it ends there is chosen, not a workflow",
		);
		expect(run.nodeError('Coze')?.description).toMatch(/By URL or By ID/);
		expect(sim.requests.filter((request) => request.path.startsWith('/v1/workflow'))).toEqual([]);
	});
});
