import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

/**
 * Whether the node runs as a tool of n8n's AI Agent. n8n makes `<package>.cozeTool` of a node
 * with `usableAsTool` and runs the same class under that type (n8n tool-generation/ai-tools.js,
 * node-types.js); `isToolExecution()` says so only under Agent 2.x (supply-data-context.js).
 */
export function runsAsTool(context: IExecuteFunctions): boolean {
	const isToolExecution = (context as { isToolExecution?: () => boolean }).isToolExecution;
	return context.getNode().type.endsWith('Tool') || (typeof isToolExecution === 'function' && isToolExecution.call(context) === true);
}

/** Whether the user set this option in the node (not left to its default). */
export function optionIsSet(context: IExecuteFunctions, name: string): boolean {
	return ((context.getNode().parameters.options ?? {}) as IDataObject)[name] !== undefined;
}

/** What an agent is told to do with an interrupt: only the tool's first output reaches it. */
export const INTERRUPT_NEXT_STEP =
	'Coze is waiting for an answer to this question. Ask the user, then resume the run with this event_id, interrupt_type and their answer (a Coze tool with the Resume operation does it).';
