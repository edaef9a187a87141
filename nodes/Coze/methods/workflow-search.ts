import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import type { CozeConnection } from '../transport/http';
import {
	listWorkflowsPage,
	WORKFLOW_PAGE_SIZE,
	type WorkflowMode,
} from '../transport/protocols/workflow-catalog';
import { editorSite, searchCatalog, type Catalog } from './catalog-search';

/** Run and Resume: the published workflows of every workspace the token has joined. */
export async function searchWorkflows(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return await searchCatalog.call(this, workflowCatalog('workflow'), filter, paginationToken);
}

/** Chat: the published chatflows. */
export async function searchChatflows(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return await searchCatalog.call(this, workflowCatalog('chatflow'), filter, paginationToken);
}

/** A workspace's published workflows or chatflows, a page at a time, each linked to its editor. */
function workflowCatalog(mode: WorkflowMode): Catalog {
	return {
		subject: {
			thing: 'workflow',
			permission: 'listWorkflow',
			withoutList: 'running a workflow does not need it',
		},
		pageSize: WORKFLOW_PAGE_SIZE,
		async readPage(connection, workspaceId, page) {
			const { workflows, hasMore } = await listWorkflowsPage(connection, {
				workspaceId,
				mode,
				page,
			});
			const entries = workflows.map((workflow) => ({
				id: workflow.workflow_id,
				name: workflow.workflow_name,
				description: workflow.description,
				url: editorUrl(connection, workspaceId, workflow.workflow_id, workflow.app_id),
			}));
			return { entries, hasMore };
		},
	};
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
	const site = editorSite(connection);
	if (!site) return undefined;
	const [space, workflow] = [encodeURIComponent(workspaceId), encodeURIComponent(workflowId)];
	if (appId && appId !== '0')
		return `${site}/space/${space}/project-ide/${encodeURIComponent(appId)}/workflow/${workflow}`;
	return `${site}/work_flow?space_id=${space}&workflow_id=${workflow}`;
}
