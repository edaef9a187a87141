/**
 * The Workflow and Bot fields (resource locators) as both the editor's lists
 * (methods/catalog-search.ts) and the run (actions/workflow/parameters.ts readLocatorId) read them.
 */

/**
 * The value of a list's last entry when the list stops before Coze's end (catalog-search.ts):
 * the entry says so, and is not a workflow or a bot if it is chosen.
 */
export const LIST_END_NOTICE = 'list-ends-here:';

/** A resource locator's value ({ mode, value }; n8n adds __rl when it saves one, a default may lack it). */
export function isLocator(value: unknown): value is { mode: string; value: unknown } {
	return value !== null && typeof value === 'object' && 'mode' in value && 'value' in value;
}
