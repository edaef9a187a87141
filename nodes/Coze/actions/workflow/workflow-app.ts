import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { CozeError, processCache, type CozeConnection } from '../../transport/http';
import { ChatFailure } from '../../transport/protocols/chat-collector';
import { RunFailure } from '../../transport/protocols/run-collector';
import { readWorkflowApp } from '../../transport/protocols/workflow-catalog';
import { isLocator } from '../../shared/workflow-locator';
import { appIdFromUrl } from '../../transport/protocols/workflow-url';

/** A workflow never moves to another app: its app, once read from its detail, is kept this long. */
export const KNOWN_FOR_MS = 10 * 60_000;
/** The most workflows whose app the process keeps, the least recently used going first. */
export const MAX_KNOWN = 500;
/** What details said, by server and workflow: the app's ID, or undefined for none. */
const known = processCache<string, { appId: string | undefined }>('workflow-apps', {
	maxEntries: MAX_KNOWN,
	maxAgeMs: KNOWN_FOR_MS,
});
/** The lookups of one execution (one connection), shared by its items: one request, whatever it answers. */
const askedByExecution = new WeakMap<CozeConnection, Map<string, Promise<string | undefined>>>();

/** Coze Studio's answer to the detail of a workflow that is not a chatflow (errno/workflow.go): it never names an app. */
const STUDIO_NOT_A_CHATFLOW = 777777780;
/** Coze's code for a bad request, which is how the cloud refuses an app's workflow run without its app (coze-py issue #179). */
const BAD_REQUEST = 4000;

export interface WorkflowApp {
	/** The run's optional fields, with app_id where the node found the workflow's app itself. */
	fields: IDataObject;
	/** The app the workflow belongs to, not sent because the user set Options → Bot ID. */
	appBesideBot?: string;
}

/**
 * A workflow or chatflow inside a Coze app runs only with the app's ID (workflow_run.md,
 * workflow_chat.md). The user's Options → App ID or Bot ID is sent as typed; otherwise the node
 * sends the app that the place the workflow was chosen from names: a list entry's link or an
 * app's address (…/project-ide/<app id>/…). Where neither says (By ID, or a list entry without a
 * link), the workflow's detail is asked once per execution and remembered; if Coze will not give
 * it, the run goes out as before. Coze refuses Bot ID and App ID together, so with Bot ID set no
 * app is added.
 */
export async function withWorkflowApp(
	this: IExecuteFunctions,
	itemIndex: number,
	workflowId: string,
	fields: IDataObject,
	connection: CozeConnection,
	signal?: AbortSignal,
): Promise<WorkflowApp> {
	if (fields.app_id !== undefined) return { fields };
	const said = appOfLocator.call(this, itemIndex);
	if (fields.bot_id !== undefined) return { fields, appBesideBot: said || undefined };
	const appId = said ?? (await appOfDetail(connection, workflowId, signal));
	return { fields: appId ? { ...fields, app_id: appId } : fields };
}

/**
 * Runs `work`; Coze's bad-request refusal of a run sent with Bot ID, for a workflow of an app,
 * then says which app, and how to run the workflow in it.
 */
export async function explainingAppBesideBot<T>(
	app: WorkflowApp,
	work: () => Promise<T>,
): Promise<T> {
	try {
		return await work();
	} catch (error) {
		throw app.appBesideBot === undefined ? error : withAppHint(error, app.appBesideBot);
	}
}

/**
 * The app the Workflow field names: its ID, "" when it says the workflow is in none, undefined
 * when it does not say. Version 1's Workflow ID is an ID alone, and stays as it always ran.
 */
function appOfLocator(this: IExecuteFunctions, itemIndex: number): string | undefined {
	if (this.getNode().typeVersion < 2) return '';
	const locator = this.getNodeParameter('workflowId', itemIndex) as unknown;
	if (!isLocator(locator)) return undefined;
	if (locator.mode === 'url') return appIdFromUrl(String(locator.value ?? '')) ?? '';
	// The list links an app's workflow to its page inside the app, any other to its own editor
	// (workflow-search.ts editorUrl); n8n keeps the link with the choice as cachedResultUrl.
	const link = (locator as { cachedResultUrl?: unknown }).cachedResultUrl;
	if (locator.mode === 'list' && typeof link === 'string' && link.trim() !== '')
		return appIdFromUrl(link) ?? '';
	return undefined;
}

async function appOfDetail(
	connection: CozeConnection,
	workflowId: string,
	signal?: AbortSignal,
): Promise<string | undefined> {
	const key = `${connection.baseUrl}\u0000${workflowId}`;
	const remembered = known.get(key);
	if (remembered) return remembered.appId;
	let asked = askedByExecution.get(connection);
	if (!asked) askedByExecution.set(connection, (asked = new Map()));
	let answer = asked.get(workflowId);
	if (!answer) {
		answer = readApp(connection, workflowId, key, signal);
		asked.set(workflowId, answer);
	}
	return await answer;
}

async function readApp(
	connection: CozeConnection,
	workflowId: string,
	key: string,
	signal?: AbortSignal,
): Promise<string | undefined> {
	try {
		const appId = await readWorkflowApp(connection, workflowId, signal);
		remember(key, appId);
		return appId;
	} catch (error) {
		// A stopped execution stops here too, and a fault of the node's own is not Coze's answer.
		// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- the router turns every failure into n8n's error, with its item index (node-error.ts)
		if (!(error instanceof CozeError) || error.kind === 'cancelled') throw error;
		if (error.cozeCode === STUDIO_NOT_A_CHATFLOW) remember(key, undefined);
		// The token may lack getMetaData, or the server this API: the run goes out without an app,
		// as it did before the node looked, and Coze's answer to it is what the user sees.
		return undefined;
	}
}

function remember(key: string, appId: string | undefined): void {
	known.set(key, { appId });
}

function withAppHint(error: unknown, appId: string): unknown {
	if (error instanceof RunFailure)
		return new RunFailure(withAppHint(error.failure, appId), error.messages);
	if (error instanceof ChatFailure)
		return new ChatFailure(withAppHint(error.failure, appId), error.messages, error.conversationId);
	if (!(error instanceof CozeError) || error.kind !== 'api' || error.cozeCode !== BAD_REQUEST)
		return error;
	const hint = `This workflow belongs to the Coze app ${appId}, and Options → Bot ID was sent instead of the app: clear Options → Bot ID to run it in its app (the node then sends the app's ID itself).`;
	return error.with({ description: error.description ? `${hint} ${error.description}` : hint });
}
