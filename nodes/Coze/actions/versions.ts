/**
 * The node's versions. Version 1 keeps the parameters saved workflows have (Workflow ID and
 * Parameters as typed text); version 2, the default for new nodes, picks the workflow from a
 * list and maps its inputs as typed fields.
 */
export const NODE_VERSIONS = [1, 2];
export const DEFAULT_VERSION = 2;

/** displayOptions values for '@version'. */
export const versions = {
	first: [1],
	fromSecond: [{ _cnd: { gte: 2 } }],
};
