/**
 * The Workflow field (a resource locator) as both the editor's list (methods/workflow-search.ts)
 * and the run (actions/workflow/parameters.ts) read it.
 */

/**
 * The value of the list's last entry when the list stops before Coze's end (workflow-search.ts):
 * the entry says so, and is not a workflow if it is chosen.
 */
export const LIST_END_NOTICE = 'list-ends-here:';

/** A resource locator's value ({ mode, value }; n8n adds __rl when it saves one, a default may lack it). */
export function isLocator(value: unknown): value is { mode: string; value: unknown } {
	return value !== null && typeof value === 'object' && 'mode' in value && 'value' in value;
}
