import type { IExecuteFunctions } from 'n8n-workflow';

import { redactorFor, type CozeConnection } from '../../transport/http';
import { ChatFailure, type CollectedChat } from '../../transport/protocols/chat-collector';
import { readId } from '../workflow/parameters';
import { ConversationMemory, type ChatPartner } from './conversation-memory';
import { readText } from './read-text';

export type ConversationMode = 'session' | 'id' | 'new';

/** An item's Conversation fields (conversation.description.ts), read and checked. */
export interface ConversationSetting {
	mode: ConversationMode;
	/** Remember per Chat Session: the session, and where its conversation is remembered. */
	session?: { id: string; memory: ConversationMemory };
	/** Use Conversation ID: the id the user gave. */
	conversationId?: string;
}

export function readConversationSetting(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: CozeConnection,
	partner: ChatPartner,
): ConversationSetting {
	const mode = this.getNodeParameter('conversation', itemIndex, 'session') as ConversationMode;
	if (mode === 'id')
		return {
			mode,
			conversationId: readId.call(
				this,
				'conversationId',
				'Conversation ID',
				itemIndex,
				'Use the conversation_id of an earlier Chat item, or choose Remember per Chat Session.',
			),
		};
	if (mode !== 'session') return { mode: 'new' };
	const id = readText.call(
		this,
		'sessionId',
		'Session ID',
		itemIndex,
		"n8n's Chat Trigger gives it as {{ $json.sessionId }}. Without sessions, choose Conversation → New Each Time.",
	);
	const memory = new ConversationMemory(
		this,
		{ baseUrl: connection.baseUrl, partner },
		redactorFor(connection),
	);
	return { mode, session: { id, memory } };
}

/**
 * Remembers the conversation a turn talked in for its session (Remember per Chat Session). An id
 * that may not be kept fails the item, its answer going out with the refusal (Continue on Fail),
 * not its conversation id.
 */
export function rememberConversation(setting: ConversationSetting, turn: CollectedChat): void {
	if (!setting.session || !turn.conversationId) return;
	try {
		setting.session.memory.remember(setting.session.id, turn.conversationId);
	} catch (refused) {
		// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- the router turns a ChatFailure into n8n's error and keeps its messages (router.ts)
		throw new ChatFailure(refused, turn.messages, undefined);
	}
}
