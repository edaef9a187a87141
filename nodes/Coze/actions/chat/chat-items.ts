import type { IDataObject } from 'n8n-workflow';

import { setOwn } from '../../transport/http';
import type { CollectedChat, CollectedChatMessage } from '../../transport/protocols/chat-collector';

/** The messages of a turn grouped by type (answer, follow_up, verbose, tool_output, …), each in arrival order. */
function messagesByType(messages: CollectedChatMessage[]): IDataObject {
	// A type is the server's word: "constructor" or "__proto__" is a group like any other.
	const byType = new Map<string, IDataObject[]>();
	for (const { type, ...message } of messages)
		byType.set(type, [...(byType.get(type) ?? []), message as IDataObject]);
	const json: IDataObject = {};
	for (const [type, group] of byType) setOwn(json, type, group);
	return json;
}

/**
 * One chat turn as an item: the answer text, the ids to continue the conversation, the turn's
 * other messages by type (follow_up suggestions first among them), usage and the debug URL.
 * `status` is "requires_action" when a question or input node asked: the answer is its question.
 */
export function chatJson(
	turn: CollectedChat,
	workflowId: string,
	sentConversationId: string | undefined,
): IDataObject {
	const json: IDataObject = {
		answer: turn.answer,
		conversation_id: turn.conversationId ?? sentConversationId,
		chat_id: turn.chatId,
		status: turn.status,
		follow_ups: turn.messages
			.filter((message) => message.type === 'follow_up')
			.map((message) => message.content),
		messages: messagesByType(turn.messages),
		workflow_id: workflowId,
	};
	if (turn.sectionId) json.section_id = turn.sectionId;
	if (turn.usage) json.usage = turn.usage as IDataObject;
	if (turn.debugUrl) json.debug_url = turn.debugUrl;
	return json;
}

/** What a failed turn had answered before it failed, so that nothing is lost with "Continue on Fail". */
export function partialChatJson(
	messages: CollectedChatMessage[],
	conversationId: string | undefined,
	workflowId: string,
): IDataObject {
	return {
		answer: messages
			.filter((message) => message.type === 'answer')
			.map((message) => message.content)
			.join('\n\n'),
		conversation_id: conversationId,
		status: 'failed',
		messages: messagesByType(messages),
		workflow_id: workflowId,
	};
}
