// Workflows and chatflows inside a Coze app, through n8n's engine: the cloud runs them only with
// their app's ID (simulator app-workflows.ts), which the node takes from where the workflow was
// chosen (a list entry's link, an app's address) or from the workflow's detail (By ID), never
// from the user's typing. Options → App ID and Bot ID stay the user's word.
import type { INodeParameterResourceLocator, INodeParameters } from 'n8n-workflow';

import {
	editorUrl,
	searchChatflows,
	searchWorkflows,
} from '../../nodes/Coze/methods/workflow-search';
import { forgetWorkflowApps, forgetWorkspaces } from '../../nodes/Coze/testing';
import { cozeGraph, okStream } from '../faults/graph';
import { APP_NOT_FOUND } from '../simulator/app-workflows';
import { CozeSimulator } from '../simulator/server';
import { stopSimulator } from '../simulator/stop';
import { DEBUG_URL } from '../simulator/workflows';
import { editorContext, runWorkflow } from './harness';

const SPACE = '7404830425073300001';
const APP = '7404830425073300009';
const APP_WORKFLOW = '7404830425073352801';
const APP_CHATFLOW = '7404830425073352802';
const LIBRARY_WORKFLOW = '7404830425073352803';
const BOT = '7404830425073300077';

/** Where Coze shows a workflow of an app: inside the app's IDE (coze-studio use-ide-navigate.ts; workflow_run.md's app address). */
const appAddress = (workflowId: string) =>
	`https://www.coze.cn/space/${SPACE}/project-ide/${APP}/workflow/${workflowId}`;

type Saved = Pick<INodeParameterResourceLocator, 'cachedResultName' | 'cachedResultUrl'>;
/** The Workflow field as n8n saves it: a list choice keeps the entry's name and link. */
const locator = (
	mode: string,
	value: string,
	saved: Saved = {},
): INodeParameterResourceLocator => ({ __rl: true, mode, value, ...saved });
const json = (parameters: string) => ({ inputMode: 'json', parameters });
const detailReads = (sim: CozeSimulator) =>
	sim.requests.filter((request) => /^\/v1\/workflows\/\d+$/.test(request.path)).length;

function fillApp(sim: CozeSimulator): void {
	sim.catalog.addWorkspace({ id: SPACE, name: 'Personal space' });
	sim.catalog.addWorkflow(SPACE, {
		workflow_id: APP_WORKFLOW,
		workflow_name: 'Card in the app',
		app_id: APP,
	});
	sim.catalog.addWorkflow(SPACE, {
		workflow_id: APP_CHATFLOW,
		workflow_name: 'Help desk',
		mode: 'chatflow',
		app_id: APP,
	});
	sim.catalog.addWorkflow(SPACE, { workflow_id: LIBRARY_WORKFLOW, workflow_name: 'Library card' });
	for (const id of [APP_WORKFLOW, LIBRARY_WORKFLOW]) {
		sim.defineWorkflow(id, {
			run: () => okStream('card ready'),
			blockingRun: () => ({
				json: {
					code: 0,
					msg: '',
					data: '{"output":"card ready"}',
					execute_id: '7404830425073350001',
					debug_url: DEBUG_URL,
				},
			}),
		});
	}
	sim.defineWorkflow(APP_CHATFLOW, { chat: () => ({ answers: [['How can I help?']] }) });
}

/** Version 2's Run of the workflow as `workflowId` names it, over `items` input items. */
function run(
	sim: CozeSimulator,
	workflowId: INodeParameterResourceLocator,
	options: INodeParameters = {},
	items = 1,
) {
	return runWorkflow(
		cozeGraph(sim, {
			typeVersion: 2,
			inputs: Array.from({ length: items }, (_, n) => ({ n })),
			parameters: { workflowId, ...json('{}') },
			options,
		}),
	);
}

/** Version 2's Chat in a conversation the simulator holds (how the conversation is found is not what these tests are about). */
function chat(
	sim: CozeSimulator,
	workflowId: INodeParameterResourceLocator,
	options: INodeParameters = {},
) {
	const conversationId = '7404830425073355555';
	sim.conversations.set(conversationId, { history: [] });
	const graph = cozeGraph(sim, {
		typeVersion: 2,
		inputs: [{ chatInput: 'hi' }],
		parameters: {
			operation: 'chat',
			workflowId,
			conversation: 'id',
			conversationId,
			...json('{}'),
		},
		options,
	});
	return runWorkflow(graph);
}

describe('Workflows and chatflows inside a Coze app (cloud)', () => {
	let sim: CozeSimulator;
	beforeEach(async () => {
		forgetWorkflowApps();
		forgetWorkspaces();
		sim = await CozeSimulator.start({ flavour: 'cloud' });
		fillApp(sim);
	});
	afterEach(() => stopSimulator(sim));

	it("the simulator refuses an app's workflow run without its app, as Coze does", async () => {
		sim.defineWorkflow(APP_WORKFLOW, { run: () => okStream('card ready') });
		const refused = await runWorkflow(
			cozeGraph(sim, { parameters: { workflowId: APP_WORKFLOW, parameters: '{}' } }),
		);
		expect(refused.nodeError('Coze')?.message).toContain(APP_NOT_FOUND);
	});

	it("runs a workflow picked from the list with its app's ID, from the entry's link alone", async () => {
		const picked = await run(
			sim,
			locator('list', APP_WORKFLOW, {
				cachedResultName: 'Card in the app',
				cachedResultUrl: appAddress(APP_WORKFLOW),
			}),
		);
		expect(picked.output('Coze').map((item) => item.json.content)).toEqual(['card ready']);
		expect(sim.bodiesOf('/v1/workflow/stream_run')).toEqual([
			expect.objectContaining({ workflow_id: APP_WORKFLOW, app_id: APP }),
		]);
		expect(detailReads(sim)).toBe(0);
	});

	it("links an app's workflow in the list to its page inside the app, the address the run reads the app from", () => {
		expect(
			editorUrl({ baseUrl: 'https://api.coze.cn', accessToken: 'x' }, SPACE, APP_WORKFLOW, APP),
		).toBe(appAddress(APP_WORKFLOW));
		expect(
			editorUrl({ baseUrl: 'https://api.coze.cn', accessToken: 'x' }, SPACE, LIBRARY_WORKFLOW, '0'),
		).toBe(`https://www.coze.cn/work_flow?space_id=${SPACE}&workflow_id=${LIBRARY_WORKFLOW}`);
	});

	it("runs an entry of a list that gave no link (a server whose editor is not known) after reading the workflow's detail once", async () => {
		const { results } = await searchWorkflows.call(
			editorContext(
				{},
				{ cozeApi: { region: 'custom', baseUrl: sim.baseUrl, accessToken: sim.token } },
			),
		);
		const entry = results.find((result) => result.value === APP_WORKFLOW)!;
		expect(entry.url).toBeUndefined();
		const picked = await run(
			sim,
			locator('list', APP_WORKFLOW, { cachedResultName: entry.name }),
			{},
			3,
		);
		expect(picked.output('Coze')).toHaveLength(3);
		expect(sim.bodiesOf('/v1/workflow/stream_run').map((body) => body.app_id)).toEqual([
			APP,
			APP,
			APP,
		]);
		expect(detailReads(sim)).toBe(1);
	});

	it("runs By URL from the app's address without asking Coze anything first, in each run mode", async () => {
		for (const runMode of ['stream', 'sync']) {
			const byUrl = await run(sim, locator('url', appAddress(APP_WORKFLOW)), { runMode });
			expect(byUrl.nodeError('Coze')).toBeUndefined();
		}
		expect(sim.bodiesOf('/v1/workflow/stream_run')[0]).toMatchObject({
			workflow_id: APP_WORKFLOW,
			app_id: APP,
		});
		expect(sim.bodiesOf('/v1/workflow/run')[0]).toMatchObject({
			workflow_id: APP_WORKFLOW,
			app_id: APP,
		});
		expect(detailReads(sim)).toBe(0);
	});

	it('runs By ID with the app its detail names, read once and remembered for the next execution', async () => {
		const first = await run(sim, locator('id', APP_WORKFLOW), {}, 3);
		expect(first.output('Coze')).toHaveLength(3);
		const second = await run(sim, locator('id', APP_WORKFLOW));
		expect(second.output('Coze')).toHaveLength(1);
		expect(sim.bodiesOf('/v1/workflow/stream_run').map((body) => body.app_id)).toEqual([
			APP,
			APP,
			APP,
			APP,
		]);
		expect(detailReads(sim)).toBe(1);
	});

	it('remembers the app a detail named for 10 minutes, then reads the detail again', async () => {
		// Every clock reading moves on by `ahead`, as if that much time had passed between runs.
		const realNow = Date.now.bind(Date);
		let ahead = 0;
		const now = jest.spyOn(Date, 'now').mockImplementation(() => realNow() + ahead);
		try {
			await run(sim, locator('id', APP_WORKFLOW));
			ahead = 10 * 60_000 - 5_000;
			await run(sim, locator('id', APP_WORKFLOW));
			expect(detailReads(sim)).toBe(1);
			ahead = 10 * 60_000 + 5_000;
			await run(sim, locator('id', APP_WORKFLOW));
			expect(detailReads(sim)).toBe(2);
		} finally {
			now.mockRestore();
		}
		expect(sim.bodiesOf('/v1/workflow/stream_run').map((body) => body.app_id)).toEqual([
			APP,
			APP,
			APP,
		]);
	});

	it('sends no app for a library workflow, By ID (its detail says app "0") or from the list', async () => {
		await run(sim, locator('id', LIBRARY_WORKFLOW));
		await run(
			sim,
			locator('list', LIBRARY_WORKFLOW, {
				cachedResultUrl: `https://www.coze.cn/work_flow?space_id=${SPACE}&workflow_id=${LIBRARY_WORKFLOW}`,
			}),
		);
		expect(sim.bodiesOf('/v1/workflow/stream_run').map((body) => 'app_id' in body)).toEqual([
			false,
			false,
		]);
		expect(detailReads(sim)).toBe(1);
	});

	it('runs By ID as before when the token may not read the detail', async () => {
		sim.catalog.deny('getMetaData');
		const byId = await run(sim, locator('id', LIBRARY_WORKFLOW), {}, 2);
		expect(byId.output('Coze')).toHaveLength(2);
		expect('app_id' in sim.bodiesOf('/v1/workflow/stream_run')[0]).toBe(false);
		// Asked once for the execution's items, not once per item.
		expect(detailReads(sim)).toBe(1);
	});

	it('sends Options → App ID as the user typed it, over what the list or the detail says', async () => {
		const typed = '7404830425073300010';
		await run(sim, locator('list', APP_WORKFLOW, { cachedResultUrl: appAddress(APP_WORKFLOW) }), {
			appId: typed,
		});
		await run(sim, locator('id', APP_WORKFLOW), { appId: typed });
		expect(sim.bodiesOf('/v1/workflow/stream_run').map((body) => body.app_id)).toEqual([
			typed,
			typed,
		]);
		expect(detailReads(sim)).toBe(0);
	});

	it('sends Bot ID alone when the user set it, never both, and says which app the workflow belongs to when Coze refuses', async () => {
		const withBot = await run(
			sim,
			locator('list', APP_WORKFLOW, { cachedResultUrl: appAddress(APP_WORKFLOW) }),
			{ botId: BOT },
		);
		const [body] = sim.bodiesOf('/v1/workflow/stream_run');
		expect(body).toMatchObject({ workflow_id: APP_WORKFLOW, bot_id: BOT });
		expect('app_id' in body).toBe(false);
		const error = withBot.nodeError('Coze');
		expect(error?.message).toContain(APP_NOT_FOUND);
		expect(error?.description).toContain(`belongs to the Coze app ${APP}`);
		expect(error?.description).toMatch(/clear Options → Bot ID/);
		// A library workflow with a Bot ID runs as it always did.
		const library = await run(sim, locator('id', LIBRARY_WORKFLOW), { botId: BOT });
		expect(library.nodeError('Coze')).toBeUndefined();
	});

	it("chats with an app's chatflow picked from the list, By URL and By ID, with its app's ID", async () => {
		const ways = [
			locator('list', APP_CHATFLOW, {
				cachedResultName: 'Help desk',
				cachedResultUrl: appAddress(APP_CHATFLOW),
			}),
			locator('url', appAddress(APP_CHATFLOW)),
			locator('id', APP_CHATFLOW),
		];
		for (const workflowId of ways) {
			const turn = await chat(sim, workflowId);
			expect(turn.nodeError('Coze')).toBeUndefined();
			expect(turn.output('Coze')[0].json.answer).toBe('How can I help?');
		}
		expect(
			sim.bodiesOf('/v1/workflows/chat').map((body) => [body.workflow_id, body.app_id]),
		).toEqual([
			[APP_CHATFLOW, APP],
			[APP_CHATFLOW, APP],
			[APP_CHATFLOW, APP],
		]);
		expect(detailReads(sim)).toBe(1);
		// The chatflow list links it inside its app too.
		const { results } = await searchChatflows.call(
			editorContext(
				{},
				{ cozeApi: { region: 'custom', baseUrl: sim.baseUrl, accessToken: sim.token } },
			),
		);
		expect(results.map((result) => result.value)).toEqual([APP_CHATFLOW]);
	});
});

describe('Workflows inside an app (Coze Studio, which needs no app ID to run them)', () => {
	let sim: CozeSimulator;
	beforeEach(async () => {
		forgetWorkflowApps();
		sim = await CozeSimulator.start({ flavour: 'studio' });
		fillApp(sim);
	});
	afterEach(() => stopSimulator(sim));

	it("sends the project's ID from its address, and runs By ID though Studio's detail names no app", async () => {
		const studioAddress = `${sim.baseUrl}/space/${SPACE}/project-ide/${APP}/workflow/${APP_WORKFLOW}`;
		await run(sim, locator('url', studioAddress));
		const byId = await run(sim, locator('id', APP_WORKFLOW), {}, 2);
		expect(byId.output('Coze')).toHaveLength(2);
		expect(sim.bodiesOf('/v1/workflow/stream_run').map((body) => body.app_id)).toEqual([
			APP,
			undefined,
			undefined,
		]);
	});
});
