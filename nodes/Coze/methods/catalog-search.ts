import { createHash } from 'node:crypto';

import type {
	ILoadOptionsFunctions,
	INodeListSearchItems,
	INodeListSearchResult,
} from 'n8n-workflow';

import { LIST_END_NOTICE } from '../shared/workflow-locator';
import { processCache, redactorFor, type CozeConnection } from '../transport/http';
import { listWorkspaces, type CozeWorkspace } from '../transport/protocols/workflow-catalog';
import { catalogError, editorConnection } from './catalog-connection';
import type { ListSubject } from './editor-advice';

/**
 * The editor's lists of what lives in the token's workspaces (workflows, chatflows, bots): one
 * way of walking Coze's pages, workspace after workspace, for each of them.
 */

/** One entry of a list, as the editor shows it. */
export interface CatalogEntry {
	/** The value the field keeps: the workflow's or bot's ID. */
	id: string;
	name: string;
	description?: string;
	/** Its page in Coze, where known. */
	url?: string;
}

/** A list of things in the token's workspaces, read a page at a time. */
export interface Catalog {
	subject: ListSubject;
	/** Coze's page size for the list: the list's end notice counts in pages of it. */
	pageSize: number;
	/** One page (from 1) of a workspace's entries, and whether Coze says more follow. */
	readPage(
		connection: CozeConnection,
		workspaceId: string,
		page: number,
	): Promise<{ entries: CatalogEntry[]; hasMore: boolean }>;
}

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
/** The most of Coze's pages of one workspace a list reads (50 pages of 30: 1500 workflows), however often Coze says there are more. */
const MAX_PAGES_PER_WORKSPACE = 50;

/** Where Coze's editor shows a workflow or a bot, per API host (the page a run's debug_url opens: coze-api.md). */
const EDITOR_SITES = new Map([
	['https://api.coze.cn', 'https://www.coze.cn'],
	['https://api.coze.com', 'https://www.coze.com'],
]);

/** The site of Coze's editor for the connection's API host; undefined for a self-hosted server, whose editor address is not known. */
export function editorSite(connection: CozeConnection): string | undefined {
	return EDITOR_SITES.get(connection.baseUrl);
}

/**
 * One page of a list: workspace after workspace, Coze's pages of each in turn. The pagination
 * token is "<workspace index>:<page>:<fingerprint of the page before>". A search keeps what
 * matches the name or ID (Coze's lists have no search of their own).
 */
export async function searchCatalog(
	this: ILoadOptionsFunctions,
	catalog: Catalog,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const { connection, cacheKey } = await editorConnection.call(this).catch((error: unknown) => {
		throw catalogError.call(this, error, catalog.subject);
	});
	try {
		const workspaces = await workspacesOf(connection, cacheKey);
		let { workspaceIndex, page, pageBefore } = readToken(paginationToken);
		const wanted = filter?.trim().toLowerCase() ?? '';
		const results: INodeListSearchItems[] = [];
		for (let reads = 0; workspaceIndex < workspaces.length && reads < MAX_PAGES_PER_CALL; reads++) {
			const workspace = workspaces[workspaceIndex];
			const { entries, hasMore } = await catalog.readPage(connection, workspace.id, page);
			const fingerprint = fingerprintOf(entries);
			// A server that answers the same page again (one that ignores page_num, or repeats its
			// last page while it says there are more) would otherwise be read without end.
			const repeated = page > 1 && fingerprint === pageBefore;
			for (const entry of repeated ? [] : entries) {
				if (wanted && !entry.name.toLowerCase().includes(wanted) && !entry.id.includes(wanted))
					continue;
				results.push({
					name: workspaces.length > 1 ? `${entry.name} (${workspace.name})` : entry.name,
					value: entry.id,
					description: entry.description || undefined,
					url: entry.url,
				});
			}
			const cut = repeated || (hasMore && page >= MAX_PAGES_PER_WORKSPACE);
			if (cut)
				results.push(
					listEnds(
						connection,
						catalog.subject.thing,
						workspace,
						workspaces.length > 1,
						repeated ? { repeatedPage: page } : { listed: page * catalog.pageSize },
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
		throw catalogError.call(this, error, catalog.subject, connection);
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

/** What tells one page of entries from another: their IDs, in order. */
function fingerprintOf(entries: CatalogEntry[]): string {
	return createHash('sha256')
		.update(entries.map((entry) => entry.id).join(','))
		.digest('base64url')
		.slice(0, 16);
}

/**
 * The last entry of a workspace's part of the list when the list stops before Coze says it ends.
 * n8n's list has no place for a notice (a list method returns entries and a pagination token, and
 * the editor shows only an entry's name), and an error would replace the entries already shown
 * with the error: an entry keeps them and says where and why the list stops. Its value is no
 * ID; chosen, the run says so (actions/workflow/parameters.ts readLocatorId).
 */
function listEnds(
	connection: CozeConnection,
	thing: string,
	workspace: CozeWorkspace,
	named: boolean,
	why: { repeatedPage: number } | { listed: number },
): INodeListSearchItems {
	const where = named ? `${workspace.name}: ` : '';
	const what =
		'repeatedPage' in why
			? `Coze sent page ${why.repeatedPage} again`
			: `after ${why.listed} ${thing}s`;
	return {
		name: redactorFor(connection).text(
			`⚠ ${where}the list ends here (${what}). Choose By URL or By ID for another ${thing}`,
		),
		value: `${LIST_END_NOTICE}${workspace.id}`,
		description:
			'repeatedPage' in why
				? `Coze said there were more ${thing}s but answered the same page again.`
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
