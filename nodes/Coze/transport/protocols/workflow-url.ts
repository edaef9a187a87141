import { COZE_ID, parseAddress } from './coze-address';

/** A Coze workflow id: a decimal number (it becomes part of request paths, so nothing else may pass). */
export const WORKFLOW_ID = COZE_ID;

/**
 * The workflow ID in the address of a workflow's page in Coze. The editor's address carries it
 * as a query parameter (https://www.coze.cn/work_flow?space_id=…&workflow_id=…, the same page as a
 * run's debug_url: coze-api.md), and so does Coze Studio's; a workflow inside an app has it as a
 * path segment after "workflow" (…/project-ide/<app id>/workflow/<workflow id>).
 */
export function workflowIdFromUrl(address: string): string | undefined {
	const url = parseAddress(address);
	if (!url) return undefined;
	const fromQuery = url.searchParams.get('workflow_id')?.trim();
	if (fromQuery && WORKFLOW_ID.test(fromQuery)) return fromQuery;
	const segments = url.pathname.split('/').filter(Boolean);
	for (let i = 0; i < segments.length - 1; i++) {
		if (/^workflows?$/i.test(segments[i]) && WORKFLOW_ID.test(segments[i + 1]))
			return segments[i + 1];
	}
	return undefined;
}

/**
 * The Coze app (a "project" in Coze Studio) in whose editor the address opens a workflow:
 * …/space/<space>/project-ide/<app id>/workflow/<workflow id> (Coze's API pages name the app ID
 * as the number after project-ide, workflow_run.md; Coze Studio's app editor puts its workflows
 * below that path, frontend use-ide-navigate.ts). Undefined for any other address: the editor of
 * a workflow outside an app is work_flow?space_id=…&workflow_id=….
 */
export function appIdFromUrl(address: string): string | undefined {
	const segments = parseAddress(address)?.pathname.split('/').filter(Boolean) ?? [];
	const at = segments.findIndex((segment) => segment.toLowerCase() === 'project-ide');
	const appId = at >= 0 ? segments[at + 1] : undefined;
	return appId !== undefined && WORKFLOW_ID.test(appId) ? appId : undefined;
}
