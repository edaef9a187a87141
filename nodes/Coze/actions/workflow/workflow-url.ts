/** A Coze workflow id: a decimal number (it becomes part of request paths, so nothing else may pass). */
export const WORKFLOW_ID = /^\d{1,30}$/;

/** A resource locator's value ({ mode, value }; n8n adds __rl when it saves one, a default may lack it). */
export function isLocator(value: unknown): value is { mode: string; value: unknown } {
	return value !== null && typeof value === 'object' && 'mode' in value && 'value' in value;
}

/**
 * The workflow ID in the address of a workflow's page in Coze. The editor's address carries it
 * as a query parameter (https://www.coze.cn/work_flow?space_id=…&workflow_id=…, the same page as a
 * run's debug_url: coze-api.md), and so does Coze Studio's; a workflow inside an app has it as a
 * path segment after "workflow" (…/project-ide/<app id>/workflow/<workflow id>).
 */
export function workflowIdFromUrl(address: string): string | undefined {
	const text = address.trim();
	let url: URL;
	try {
		url = new URL(/^[a-z][a-z\d+.-]*:\/\//i.test(text) ? text : `https://${text}`);
	} catch {
		return undefined;
	}
	const fromQuery = url.searchParams.get('workflow_id')?.trim();
	if (fromQuery && WORKFLOW_ID.test(fromQuery)) return fromQuery;
	const segments = url.pathname.split('/').filter(Boolean);
	for (let i = 0; i < segments.length - 1; i++) {
		if (/^workflows?$/i.test(segments[i]) && WORKFLOW_ID.test(segments[i + 1])) return segments[i + 1];
	}
	return undefined;
}
