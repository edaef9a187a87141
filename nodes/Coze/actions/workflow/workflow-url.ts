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
	if (fromQuery && /^\d{1,30}$/.test(fromQuery)) return fromQuery;
	const segments = url.pathname.split('/').filter(Boolean);
	for (let i = 0; i < segments.length - 1; i++) {
		if (/^workflows?$/i.test(segments[i]) && /^\d{1,30}$/.test(segments[i + 1])) return segments[i + 1];
	}
	return undefined;
}
