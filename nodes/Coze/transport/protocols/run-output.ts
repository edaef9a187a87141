import { parseJsonObject, textOfServerValue } from '../http/lossless-json';
import type { CollectedMessage } from './run-collector';

/** A message of a run's one-shot output; `is_finish` false where Coze says its node had not finished. */
export type OutputMessage = CollectedMessage & { is_finish?: boolean };

/** The End node's message of a one-shot answer: a synchronous run's `data`, or a history's whole output. */
export function endMessage(output: unknown): OutputMessage {
	return { content: answerText(output), node_title: 'End' };
}

/**
 * The cloud's run history output (workflow_history.md): a JSON object whose key `Output` holds
 * the End node's output and each other key an Output node's, by the node's name. Each becomes
 * one message, the Output nodes first in the record's order and the End last, as a stream sends
 * them; the End's is the message a synchronous run gives. Undefined when the output is not of
 * that shape (Coze Studio's history holds the End's output as it is).
 */
export function cloudHistoryMessages(output: unknown): OutputMessage[] | undefined {
	const record = typeof output === 'string' ? parseJsonObject(output) : undefined;
	if (!record || !Object.hasOwn(record, 'Output')) return undefined;
	const messages: OutputMessage[] = [];
	for (const [name, value] of Object.entries(record))
		if (name !== 'Output') messages.push({ content: answerText(value), node_title: name });
	messages.push(endMessage(record.Output));
	return messages;
}

/**
 * An output as text. An End node in answer mode has its text wrapped as
 * {"content_type":1,"data":…,"type_for_model":2}: in Coze Studio's synchronous answer
 * (coze-studio application/workflow/workflow.go OpenAPIRun) and in each key of the cloud's run
 * history output (workflow_history.md's example adds "original_result"); the wrapped data is
 * the answer. In variables mode the output is the variables' JSON, kept as it is.
 */
export function answerText(output: unknown): string {
	const text = textOfServerValue(output);
	const wrapped = text.includes('"content_type"') ? parseJsonObject(text) : undefined;
	if (wrapped && typeof wrapped.content_type === 'number' && Object.hasOwn(wrapped, 'data')) {
		return typeof wrapped.data === 'string' ? wrapped.data : JSON.stringify(wrapped.data);
	}
	return text;
}

/**
 * Marks the messages of nodes that node_execute_status (keyed by node name, workflow_history.md)
 * says had not finished: their output is partial, and the item says so.
 */
export function withFinishState(
	messages: OutputMessage[],
	status: Record<string, { is_finish?: boolean } | undefined> | undefined,
): OutputMessage[] {
	if (!status || typeof status !== 'object') return messages;
	return messages.map((message) => {
		const name = message.node_title;
		const node = name !== undefined && Object.hasOwn(status, name) ? status[name] : undefined;
		return typeof node?.is_finish === 'boolean'
			? { ...message, is_finish: node.is_finish }
			: message;
	});
}
