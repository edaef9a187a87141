import type { IDataObject } from 'n8n-workflow';

import { setOwn } from '../../transport/http';
import {
	answerOf,
	ChatFailure,
	type CollectedChat,
	type CollectedChatMessage,
} from '../../transport/protocols/chat-collector';
import type { ChatPartner } from './conversation-memory';

/** Who answered, as the item names it: workflow_id for a chatflow, bot_id for a bot. */
export function partnerJson(partner: ChatPartner): IDataObject {
	return 'botId' in partner ? { bot_id: partner.botId } : { workflow_id: partner.workflowId };
}

/** The answers' reasoning (a deep-thinking model's reasoning_content), joined as the answers are; undefined when none came. */
function reasoningOf(messages: CollectedChatMessage[]): string | undefined {
	const parts = messages
		.filter((message) => message.type === 'answer' && message.reasoning_content)
		.map((message) => message.reasoning_content as string);
	return parts.length > 0 ? parts.join('\n\n') : undefined;
}

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
	partner: ChatPartner,
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
		...partnerJson(partner),
	};
	const reasoning = reasoningOf(turn.messages);
	if (reasoning !== undefined) json.reasoning_content = reasoning;
	if (turn.sectionId) json.section_id = turn.sectionId;
	if (turn.usage) json.usage = turn.usage as IDataObject;
	if (turn.debugUrl) json.debug_url = turn.debugUrl;
	return json;
}

/** What a failed turn had answered before it failed, so that nothing is lost with "Continue on Fail". */
export function partialChatJson(
	messages: CollectedChatMessage[],
	conversationId: string | undefined,
	about: IDataObject,
): IDataObject {
	return {
		answer: answerOf(messages),
		conversation_id: conversationId,
		status: 'failed',
		messages: messagesByType(messages),
		...about,
	};
}

/** Runs a chat, a failure part-way naming who was answering, for its partial item (router.ts). */
export async function attributedTo<T>(partner: ChatPartner, chat: () => Promise<T>): Promise<T> {
	try {
		return await chat();
	} catch (error) {
		// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- the router turns every failure into n8n's error, with its item index (node-error.ts)
		if (!(error instanceof ChatFailure)) throw error;
		const about = partnerJson(partner) as Record<string, string>;
		// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- the router turns a ChatFailure into n8n's error and keeps its messages (router.ts)
		throw new ChatFailure(error.failure, error.messages, error.conversationId, about);
	}
}
