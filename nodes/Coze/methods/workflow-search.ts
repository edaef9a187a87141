import { createHash } from 'node:crypto';

import type {
	ILoadOptionsFunctions,
	INodeListSearchItems,
	INodeListSearchResult,
} from 'n8n-workflow';

import { LIST_END_NOTICE } from '../shared/workflow-locator';
import { processCache, redactorFor, type CozeConnection } from '../transport/http';
import {
	listWorkflowsPage,
	listWorkspaces,
	WORKFLOW_PAGE_SIZE,
	type CozeWorkflowSummary,
	type CozeWorkspace,
	type WorkflowMode,
} from '../transport/protocols/workflow-catalog';
import { catalogError, editorConnection } from './catalog-connection';

/** Workspaces are asked for once per credential and kept this long: paging and searching a list reuse them. */
const WORKSPACES_TTL_MS = 5 * 60_000;
/** The most credentials whose workspaces are kept, the least recently used going first. */
export const MAX_CACHED_CREDENTIALS = 50;
const workspacesByCredential = processCache<string, CozeWorkspace[]>('workspaces', {
	maxEntries: MAX_CACHED_CREDENTIALS,
	maxAgeMs: WORKSPACES_TTL_MS,
});
/** While a search finds nothing on a page, further pages are read, up to this many per call. */
const MAX_PAGES_PER_CALL = 5;
/** The most of Coze's pages of one workspace the list reads (50 pages of 30: 1500 workflows), however often Coze says there are more. */
const MAX_PAGES_PER_WORKSPACE = 50;

/** Where Coze's editor shows a workflow, per API host (the page a run's debug_url opens: coze-api.md). */
const EDITOR_SITES = new Map([
	['https://api.coze.cn', 'https://www.coze.cn'],
	['https://api.coze.com', 'https://www.coze.com'],
]);

/** Run and Resume: the published workflows of every workspace the token has joined. */
export async function searchWorkflows(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return await searchCatalog.call(this, 'workflow', filter, paginationToken);
}

/** Chat: the published chatflows. */
export async function searchChatflows(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return await searchCatalog.call(this, 'chatflow', filter, paginationToken);
}

/**
 * One page of the list: workspace after workspace, Coze's pages of each in turn. The pagination
 * token is "<workspace index>:<page>:<fingerprint of the page before>". A search keeps what
 * matches the name or ID (Coze's list has no search of its own).
 */
async function searchCatalog(
	this: ILoadOptionsFunctions,
	mode: WorkflowMode,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const { connection, cacheKey } = await editorConnection.call(this).catch((error: unknown) => {
		throw catalogError.call(this, error);
	});
	try {
		const workspaces = await workspacesOf(connection, cacheKey);
		let { workspaceIndex, page, pageBefore } = readToken(paginationToken);
		const wanted = filter?.trim().toLowerCase() ?? '';
		const results: INodeListSearchItems[] = [];
		for (let reads = 0; workspaceIndex < workspaces.length && reads < MAX_PAGES_PER_CALL; reads++) {
			const workspace = workspaces[workspaceIndex];
			const { workflows, hasMore } = await listWorkflowsPage(connection, {
				workspaceId: workspace.id,
				mode,
				page,
			});
			const fingerprint = fingerprintOf(workflows);
			// A server that answers the same page again (one that ignores page_num, or repeats its
			// last page while it says there are more) would otherwise be read without end.
			const repeated = page > 1 && fingerprint === pageBefore;
			for (const workflow of repeated ? [] : workflows) {
				if (
					wanted &&
					!workflow.workflow_name.toLowerCase().includes(wanted) &&
					!workflow.workflow_id.includes(wanted)
				)
					continue;
				results.push({
					name:
						workspaces.length > 1
							? `${workflow.workflow_name} (${workspace.name})`
							: workflow.workflow_name,
					value: workflow.workflow_id,
					description: workflow.description || undefined,
					url: editorUrl(connection, workspace.id, workflow.workflow_id, workflow.app_id),
				});
			}
			const cut = repeated || (hasMore && page >= MAX_PAGES_PER_WORKSPACE);
			if (cut)
				results.push(
					listEnds(
						connection,
						workspace,
						workspaces.length > 1,
						repeated ? { repeatedPage: page } : { listed: page * WORKFLOW_PAGE_SIZE },
					),
				);
			if (hasMore && !cut) [page, pageBefore] = [page + 1, fingerprint];
			else [workspaceIndex, page, pageBefore] = [workspaceIndex + 1, 1, ''];
			if (results.length > 0) break;
		}
		// Names and descriptions are the server's text, shown in the editor and saved with the node
		// when picked (cachedResultName): the credential's secrets leave them, as they leave a run's items.
		return {
			results: redactorFor(connection).deep(results),
			paginationToken:
				workspaceIndex < workspaces.length ? `${workspaceIndex}:${page}:${pageBefore}` : undefined,
		};
	} catch (error) {
		throw catalogError.call(this, error, connection);
	}
}

function readToken(token: string | undefined): {
	workspaceIndex: number;
	page: number;
	pageBefore: string;
} {
	const [workspaceText, pageText, pageBefore = ''] = (token ?? '').split(':');
	const [workspaceIndex, page] = [Number(workspaceText), Number(pageText)];
	if (
		token === undefined ||
		!Number.isInteger(workspaceIndex) ||
		workspaceIndex < 0 ||
		!Number.isInteger(page) ||
		page < 1
	)
		return { workspaceIndex: 0, page: 1, pageBefore: '' };
	return { workspaceIndex, page, pageBefore };
}

/** What tells one page of workflows from another: their IDs, in order. */
function fingerprintOf(workflows: CozeWorkflowSummary[]): string {
	return createHash('sha256')
		.update(workflows.map((workflow) => workflow.workflow_id).join(','))
		.digest('base64url')
		.slice(0, 16);
}

/**
 * The last entry of a workspace's part of the list when the list stops before Coze says it ends.
 * n8n's list has no place for a notice (a list method returns entries and a pagination token, and
 * the editor shows only an entry's name), and an error would replace the workflows already shown
 * with the error: an entry keeps them and says where and why the list stops. Its value is no
 * workflow ID; chosen, the run says so (parameters.ts).
 */
function listEnds(
	connection: CozeConnection,
	workspace: CozeWorkspace,
	named: boolean,
	why: { repeatedPage: number } | { listed: number },
): INodeListSearchItems {
	const where = named ? `${workspace.name}: ` : '';
	const what =
		'repeatedPage' in why
			? `Coze sent page ${why.repeatedPage} again`
			: `after ${why.listed} workflows`;
	return {
		name: redactorFor(connection).text(
			`⚠ ${where}the list ends here (${what}). Choose By URL or By ID for another workflow`,
		),
		value: `${LIST_END_NOTICE}${workspace.id}`,
		description:
			'repeatedPage' in why
				? 'Coze said there were more workflows but answered the same page again.'
				: `The list reads at most ${MAX_PAGES_PER_WORKSPACE} of Coze's pages of a workspace.`,
	};
}

async function workspacesOf(
	connection: CozeConnection,
	cacheKey: string,
): Promise<CozeWorkspace[]> {
	const cached = workspacesByCredential.get(cacheKey);
	if (cached) return cached;
	const workspaces = await listWorkspaces(connection);
	workspacesByCredential.set(cacheKey, workspaces);
	return workspaces;
}

/**
 * The page of a workflow in Coze's editor: a workflow of an app opens inside the app
 * (…/space/<space>/project-ide/<app>/workflow/<id>, as Coze Studio's app editor navigates,
 * frontend use-ide-navigate.ts), any other in the workflow editor. The run reads the app back from
 * this link, which n8n keeps with the choice (workflow-app.ts).
 */
export function editorUrl(
	connection: CozeConnection,
	workspaceId: string,
	workflowId: string,
	appId?: string,
): string | undefined {
	const site = EDITOR_SITES.get(connection.baseUrl);
	if (!site) return undefined;
	const [space, workflow] = [encodeURIComponent(workspaceId), encodeURIComponent(workflowId)];
	if (appId && appId !== '0')
		return `${site}/space/${space}/project-ide/${encodeURIComponent(appId)}/workflow/${workflow}`;
	return `${site}/work_flow?space_id=${space}&workflow_id=${workflow}`;
}
