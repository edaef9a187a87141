// The Bot field's list (searchBots), as n8n's editor calls it (n8n-core's LoadOptionsContext),
// against the simulator's catalog in the cloud's and Coze Studio's shapes: the published bots
// (智能体) of every workspace the token has joined, searched, paged, and refused.
import type { INodeListSearchItems } from 'n8n-workflow';

import { botEditorUrl, searchBots } from '../../nodes/Coze/methods/bot-search';
import { LIST_END_NOTICE } from '../../nodes/Coze/shared/workflow-locator';
import { forgetWorkspaces } from '../../nodes/Coze/testing';
import { botIdFromUrl } from '../../nodes/Coze/transport/protocols/bot-url';
import { CozeSimulator, SIMULATOR_TOKEN } from '../simulator/server';
import { stopSimulator } from '../simulator/stop';
import { cozeCredentials, editorContext } from './harness';

const PERSONAL = '7404830425073300001';
const TEAM = '7404830425073300002';
const HELPER = '7404830425073362001';
const DRAFT = '7404830425073362002';
/** Where a test stops paging if the node never does. */
const EDITOR_PATIENCE = 100;

function fillCatalog(sim: CozeSimulator): void {
	sim.catalog.addWorkspace({ id: PERSONAL, name: 'Personal space', workspace_type: 'personal' });
	sim.catalog.addWorkspace({ id: TEAM, name: 'Team 扣子 space', workspace_type: 'team' });
	sim.catalog.addBot(PERSONAL, {
		bot_id: HELPER,
		name: 'Helper',
		description: 'Answers questions',
	});
	sim.catalog.addBot(PERSONAL, { bot_id: DRAFT, name: 'Draft bot', published: false });
	for (let n = 1; n <= 45; n++)
		sim.catalog.addBot(TEAM, {
			bot_id: String(7404830425073363000n + BigInt(n)),
			name: `Team bot ${String(n).padStart(2, '0')}`,
		});
}

describe('Bot → From List, as the editor loads it (cloud)', () => {
	let sim: CozeSimulator;
	const editor = () =>
		editorContext(
			{},
			{ cozeApi: { region: 'custom', baseUrl: sim.baseUrl, accessToken: sim.token } },
		);
	const botListCalls = () => sim.requests.filter((request) => request.path === '/v1/bots');

	/** Every entry the editor ends up showing, asking again while a pagination token comes back. */
	async function scrollToTheEnd(filter?: string): Promise<INodeListSearchItems[]> {
		const entries: INodeListSearchItems[] = [];
		let token: string | undefined;
		let asked = 0;
		do {
			const page = await searchBots.call(editor(), filter, token);
			entries.push(...page.results);
			token = page.paginationToken;
			asked += 1;
		} while (token !== undefined && asked < EDITOR_PATIENCE);
		expect(token).toBeUndefined();
		return entries;
	}

	beforeEach(async () => {
		forgetWorkspaces();
		sim = await CozeSimulator.start({ flavour: 'cloud' });
		fillCatalog(sim);
	});
	afterEach(() => stopSimulator(sim));

	it("lists the published bots of every workspace, named with their workspace, across Coze's pages and workspaces", async () => {
		const entries = await scrollToTheEnd();
		const shown = entries.map((entry) => `${entry.value} ${entry.name}`);
		expect(shown[0]).toBe(`${HELPER} Helper (Personal space)`);
		expect(entries[0].description).toBe('Answers questions');
		expect(shown).not.toContainEqual(expect.stringContaining('Draft bot'));
		const team = shown.filter((entry) => entry.includes('Team bot'));
		expect(team).toHaveLength(45);
		expect(team[0]).toBe('7404830425073363001 Team bot 01 (Team 扣子 space)');
		expect(new Set(shown).size).toBe(shown.length);
		// One page of the personal workspace, three of the team's (20 + 20 + 5): Coze's default page
		// of 20, only bots published to the API channel, the page asked by both names Coze reads.
		expect(botListCalls()).toHaveLength(4);
		const queries = botListCalls().map((request) => new URLSearchParams(request.query));
		expect(queries.map((query) => query.get('workspace_id'))).toEqual([PERSONAL, TEAM, TEAM, TEAM]);
		expect(queries.map((query) => query.get('page_num'))).toEqual(['1', '1', '2', '3']);
		expect(queries.map((query) => query.get('page_index'))).toEqual(['1', '1', '2', '3']);
		for (const query of queries) {
			expect(query.get('publish_status')).toBe('published_online');
			expect(query.get('connector_id')).toBe('1024');
			expect(query.get('page_size')).toBe('20');
		}
		// Workspaces were read once for all those pages.
		expect(sim.requests.filter((request) => request.path === '/v1/workspaces')).toHaveLength(1);
	});

	it('leaves out a bot the answer says is not published, whatever the server was asked', async () => {
		sim.catalog.ignorePublishStatus();
		const entries = await scrollToTheEnd();
		expect(entries.map((entry) => entry.value)).not.toContain(DRAFT);
		expect(entries.map((entry) => entry.value)).toContain(HELPER);
	});

	it('searches by name, whatever the case, and by ID, across pages and workspaces', async () => {
		expect((await scrollToTheEnd('team BOT 33')).map((entry) => entry.name)).toEqual([
			'Team bot 33 (Team 扣子 space)',
		]);
		expect((await scrollToTheEnd(HELPER)).map((entry) => entry.value)).toEqual([HELPER]);
		expect(await scrollToTheEnd('no such bot')).toEqual([]);
	});

	it('names a bot without its workspace when the token has one workspace', async () => {
		forgetWorkspaces();
		await stopSimulator(sim);
		sim = await CozeSimulator.start({ flavour: 'cloud' });
		sim.catalog.addWorkspace({ id: PERSONAL, name: 'Personal space' });
		sim.catalog.addBot(PERSONAL, { bot_id: HELPER, name: 'Helper' });
		const page = await searchBots.call(editor());
		expect(page.results.map((entry) => entry.name)).toEqual(['Helper']);
		expect(page.paginationToken).toBeUndefined();
	});

	it('links each listed bot to its page in Coze, an address By URL reads back', async () => {
		for (const [api, site] of [
			['https://api.coze.cn', 'https://www.coze.cn'],
			['https://api.coze.com', 'https://www.coze.com'],
		]) {
			const url = botEditorUrl({ baseUrl: api, accessToken: 'x' }, PERSONAL, HELPER);
			expect(url).toBe(`${site}/space/${PERSONAL}/bot/${HELPER}`);
			expect(botIdFromUrl(url!)).toBe(HELPER);
		}
		// A self-hosted server's editor address is not known: no link rather than a wrong one.
		expect(
			botEditorUrl({ baseUrl: sim.baseUrl, accessToken: 'x' }, PERSONAL, HELPER),
		).toBeUndefined();
		const [first] = (await searchBots.call(editor())).results;
		expect(first.url).toBeUndefined();
	});

	it('stops when Coze answers the same page again, and ends each workspace with an entry that says so', async () => {
		sim.catalog.breakPaging('repeatsFirstPage');
		const entries = await scrollToTheEnd();
		expect(entries.map((entry) => entry.name)).toEqual([
			'Helper (Personal space)',
			'⚠ Personal space: the list ends here (Coze sent page 2 again). Choose By URL or By ID for another bot',
			...Array.from(
				{ length: 20 },
				(_, i) => `Team bot ${String(i + 1).padStart(2, '0')} (Team 扣子 space)`,
			),
			'⚠ Team 扣子 space: the list ends here (Coze sent page 2 again). Choose By URL or By ID for another bot',
		]);
		expect(entries[1].value).toBe(`${LIST_END_NOTICE}${PERSONAL}`);
		expect(entries[1].description).toBe(
			'Coze said there were more bots but answered the same page again.',
		);
		expect(botListCalls()).toHaveLength(4);
	});

	it("stops after 50 of Coze's pages of a workspace that never ends, and says how many it shows", async () => {
		forgetWorkspaces();
		await stopSimulator(sim);
		sim = await CozeSimulator.start({ flavour: 'cloud' });
		sim.catalog.addWorkspace({ id: PERSONAL, name: 'Personal space' });
		sim.catalog.breakPaging('neverEnds');
		const entries = await scrollToTheEnd();
		expect(botListCalls()).toHaveLength(50);
		const bots = entries.filter((entry) => !String(entry.value).startsWith(LIST_END_NOTICE));
		expect(bots).toHaveLength(1000);
		expect(new Set(bots.map((entry) => entry.value)).size).toBe(1000);
		expect(entries.at(-1)?.name).toBe(
			'⚠ the list ends here (after 1000 bots). Choose By URL or By ID for another bot',
		);
	});

	it('says which permission a token lacks for the list, and that By URL and By ID still work; the token is never in it', async () => {
		sim.catalog.deny('listBot');
		const error = await searchBots.call(editor()).then(
			() => undefined,
			(thrown: unknown) => thrown as { message: string; description?: string },
		);
		// The advice is in the message: n8n's editor shows a list error's message, not its description.
		expect(error?.message).toMatch(
			/^The token may not list workspaces and bots \(it lacks the listBot permission, which listing bots needs\): add listWorkspace and listBot to the token in Coze, or choose By URL or By ID\. Coze said: Coze error 4101: Your token does not have permission/,
		);
		expect(JSON.stringify(error)).not.toContain(sim.token);
	});

	it('names the workspace permission when that is the one refused', async () => {
		sim.catalog.deny('listWorkspace');
		await expect(searchBots.call(editor())).rejects.toMatchObject({
			message: expect.stringMatching(
				/^The token may not list workspaces and bots \(it lacks the listWorkspace permission, which listing workspaces needs\): add listWorkspace and listBot/,
			),
		});
	});

	it("keeps the credential's secrets out of names, descriptions and workspace names", async () => {
		sim.catalog.addWorkspace({ id: '7404830425073300003', name: `space of ${sim.token}` });
		sim.catalog.addBot('7404830425073300003', {
			bot_id: '7404830425073362003',
			name: `bot ${sim.token}`,
			description: `uses ${sim.token}`,
		});
		const everything = JSON.stringify(await scrollToTheEnd());
		expect(everything).toContain('bot [redacted] (space of [redacted])');
		expect(everything).toContain('uses [redacted]');
		expect(everything).not.toContain(sim.token);
	});
});

describe('Bot → From List (Coze Studio)', () => {
	let sim: CozeSimulator;
	beforeEach(async () => {
		forgetWorkspaces();
		sim = await CozeSimulator.start({ flavour: 'studio' });
		fillCatalog(sim);
	});
	afterEach(() => stopSimulator(sim));

	it('says Studio has no list API, and that By URL and By ID work', async () => {
		await expect(
			searchBots.call(editorContext({}, cozeCredentials(sim.baseUrl, SIMULATOR_TOKEN))),
		).rejects.toMatchObject({
			message: expect.stringMatching(
				/^This Coze server has no API to list workspaces and bots: choose By URL or By ID\. Coze Studio's API does not offer it \(only coze\.cn and coze\.com do\); chatting with a bot does not need it/,
			),
		});
	});

	it("says the same where a server lists workspaces but answers the bot list with Studio's session 401", async () => {
		sim.override('/v1/workspaces', (_req, res) => {
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end(
				JSON.stringify({
					code: 0,
					msg: '',
					data: { workspaces: [{ id: PERSONAL, name: 'Personal space' }], total_count: 1 },
				}),
			);
		});
		await expect(
			searchBots.call(editorContext({}, cozeCredentials(sim.baseUrl, SIMULATOR_TOKEN))),
		).rejects.toMatchObject({
			message: expect.stringMatching(
				/^This Coze server has no API to list workspaces and bots: choose By URL or By ID/,
			),
		});
		expect(sim.requests.map((request) => request.path)).toEqual(['/v1/workspaces', '/v1/bots']);
	});
});
