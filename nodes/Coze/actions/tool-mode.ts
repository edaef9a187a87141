import { NodeHelpers, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

/** Which node types are tools: n8n's rule where it has one. */
export type ToolTypeRule = (nodeType: string) => boolean;

/**
 * Whether the node runs as a tool of n8n's AI Agent, as n8n says it. n8n makes
 * `<package>.cozeTool` of a node with `usableAsTool` and runs the same class under that type
 * (n8n tool-generation/ai-tools.js, node-types.js). An agent that calls the tool itself runs it
 * in a supply-data context, whose isToolExecution() is true (n8n-core supply-data-context.js);
 * an agent that asks the engine to run its tools (an engine request) runs it in an ordinary
 * execute context, whose isToolExecution() is false (execute-context.js, requests-response.js):
 * there only the type says it, by n8n's own rule for tool types.
 */
export function runsAsTool(
	context: IExecuteFunctions,
	isToolType: ToolTypeRule = n8nToolTypeRule(),
): boolean {
	const isToolExecution = (context as { isToolExecution?: () => boolean }).isToolExecution;
	if (typeof isToolExecution === 'function' && isToolExecution.call(context) === true) return true;
	return isToolType(context.getNode().type);
}

/** n8n's NodeHelpers.isToolType, or, in an n8n without it, the name check it stands for (typeNameEndsInTool). */
export function n8nToolTypeRule(helpers: { isToolType?: unknown } = NodeHelpers): ToolTypeRule {
	return typeof helpers.isToolType === 'function'
		? (helpers.isToolType as ToolTypeRule)
		: typeNameEndsInTool;
}

/** Fallback for an n8n without NodeHelpers.isToolType: n8n names the tool it makes of a node `<name>Tool`. */
export function typeNameEndsInTool(nodeType: string): boolean {
	return nodeType.endsWith('Tool');
}

/** Whether the user set this option in the node (not left to its default). */
export function optionIsSet(context: IExecuteFunctions, name: string): boolean {
	return ((context.getNode().parameters.options ?? {}) as IDataObject)[name] !== undefined;
}

/** What an agent is told to do with an interrupt: only the tool's first output reaches it. */
export const INTERRUPT_NEXT_STEP =
	'Coze is waiting for an answer to this question. Ask the user, then resume the run with this event_id, interrupt_type and their answer (a Coze tool with the Resume operation does it).';

/** What an agent is told to do with a bot's tool calls. */
export const TOOL_CALLS_NEXT_STEP =
	"The Coze bot is waiting for the outputs of these tool calls. Work out each call's output from its function name and arguments, then send them with this conversation_id and chat_id as tool_outputs [{tool_call_id, output}] (a Coze tool with the Bot → Submit Tool Outputs operation does it).";

/** The next step of an interrupt, by the resource whose operation gave it. */
export function nextStepOfInterrupt(resource: string): string {
	return resource === 'bot' ? TOOL_CALLS_NEXT_STEP : INTERRUPT_NEXT_STEP;
}
