import { NodeOperationError, type INode } from 'n8n-workflow';

/**
 * An error for the editor's list or inputs mapper that n8n logs as one line. n8n hands such an
 * error to its ErrorReporter, which logs the error and then each of its causes, with a stack for
 * any that is not an n8n error of level "warning". A NodeOperationError made from a text keeps
 * that text once more as its cause: made from the text's fields instead, it has no cause, and
 * its level stays "warning" (an expected answer, not a fault of n8n or of this node).
 */
export function editorError(
	node: INode,
	message: string,
	description?: string,
): NodeOperationError {
	return new NodeOperationError(node, { message }, { message, description, level: 'warning' });
}
