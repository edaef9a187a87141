import { NodeConnectionTypes } from 'n8n-workflow';

/**
 * The node's outputs depend on the resource: a workflow's run has its messages and its
 * interrupts, an upload only its files. Output 0 is the same in both, so a saved workflow's
 * connections keep their place when an upload loses the interrupts output it never used.
 */
const WORKFLOW_OUTPUTS = [
	{ type: NodeConnectionTypes.Main, displayName: 'Messages' },
	{ type: NodeConnectionTypes.Main, displayName: 'Interrupts' },
];
const FILE_OUTPUTS = [{ type: NodeConnectionTypes.Main, displayName: 'File' }];

/** The description's `outputs`: an expression n8n evaluates against the node's parameters. */
export const outputsExpression: `={{${string}}}` = `={{ $parameter.resource === "file" ? ${JSON.stringify(FILE_OUTPUTS)} : ${JSON.stringify(WORKFLOW_OUTPUTS)} }}`;

/** How many outputs `execute()` returns for a resource. */
export function outputCount(resource: string): number {
	return resource === 'file' ? FILE_OUTPUTS.length : WORKFLOW_OUTPUTS.length;
}
