import type { IDataObject } from 'n8n-workflow';

import type { Redactor } from '../../transport/http';
import { ChatFailure, type CollectedChat } from '../../transport/protocols/chat-collector';
import { toolCallsOf } from '../../transport/protocols/tool-calls';
import { chatJson } from '../chat/chat-items';
import type { OperationResult } from '../types';

/**
 * A bot chat's turn as the node's outputs: its answer on Messages, or, when the bot waits for
 * local plugins, one item on Interrupts with each tool call (its id, function name and parsed
 * arguments) and the chat's ids, which Submit Tool Outputs reads by default.
 */
export function botTurnResult(
	turn: CollectedChat,
	botId: string,
	sentConversationId: string | undefined,
	redact: Redactor,
	itemIndex: number,
): OperationResult {
	const json = chatJson(turn, { botId: turn.botId ?? botId }, sentConversationId);
	let toolCalls: ReturnType<typeof toolCallsOf>;
	try {
		toolCalls =
			turn.status === 'requires_action' ? toolCallsOf(turn.requiredAction, redact) : undefined;
	} catch (error) {
		// The answer so far goes out with the error (Continue on Fail): nothing is lost.
		// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- the router turns a ChatFailure into n8n's error and keeps its messages (router.ts)
		throw new ChatFailure(error, turn.messages, turn.conversationId, {
			bot_id: turn.botId ?? botId,
		});
	}
	if (!toolCalls) return { main: [{ json, pairedItem: { item: itemIndex } }] };
	return {
		main: [],
		interrupts: [
			{
				json: { ...json, tool_calls: toolCalls as unknown as IDataObject[] },
				pairedItem: { item: itemIndex },
			},
		],
	};
}
