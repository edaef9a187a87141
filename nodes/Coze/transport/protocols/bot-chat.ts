import type { CozeConnection } from '../http/connection';
import { CozeError } from '../http/coze-error';
import { streamEvents } from '../http/stream-request';
import { BOT_MAY_HAVE_STARTED, explainBotRefusal } from './bot-errors';
import { decodeChatEvent, type ChatStreamEvent } from './chat-events';
import { started } from './chat-stream';

// A bot's (智能体's) chat: POST /v3/chat, and POST /v3/chat/submit_tool_outputs to answer the
// local plugin calls a chat stopped for. Both stream the same chat events (chat-events.ts).
// The conversation goes in the query string, everything else in the JSON body: coze-js
// resources/chat/chat.ts, cozepy chat/__init__.py, coze-go chats.go, and coze-sdk-gen@5db2f95b
// docs/api-markdown/chat_v3.md and chat_submit_tool_outputs.md (both ids required there).

const EMPTY_ANSWER = new CozeError('Coze answered the bot chat with an empty body', {
	kind: 'protocol',
	description: 'Check that the Bot is published to the API channel, and the Base URL.',
});

/** What may be going on in Coze when a chat's or a submit's stream broke part-way. */
const MAY_STILL_ANSWER =
	'The bot may still be answering in Coze: check the conversation there before sending the message again.';

/** The request of a bot chat's turn: its JSON body (lossless-json's stringifyJson), and the conversation when there is one. */
export interface BotChatRequest {
	json: string;
	conversationId?: string;
}

/**
 * Starts a bot chat (`stream: true` in its body) and waits for its first events, so that Coze's
 * refusal (its JSON error in place of the stream) is thrown here, explained. Never sent twice once
 * Coze may have taken it (the run request policy: stream-request.ts).
 */
export async function startBotChat(
	connection: CozeConnection,
	request: BotChatRequest,
	signal?: AbortSignal,
): Promise<AsyncGenerator<ChatStreamEvent[]>> {
	const query = request.conversationId ? { conversation_id: request.conversationId } : undefined;
	return await opened(
		streamEvents(
			connection,
			{
				path: '/v3/chat',
				query,
				json: request.json,
				decode: decodeChatEvent,
				emptyAnswer: EMPTY_ANSWER,
				runName: 'bot chat',
				mayHaveStarted: BOT_MAY_HAVE_STARTED.chat,
				mayStillRun: MAY_STILL_ANSWER,
			},
			signal,
		),
		'chat',
	);
}

/** Sends the outputs of a chat's tool calls (`stream: true` in the body) and streams the rest of the chat. */
export async function submitToolOutputs(
	connection: CozeConnection,
	request: { json: string; conversationId: string; chatId: string },
	signal?: AbortSignal,
): Promise<AsyncGenerator<ChatStreamEvent[]>> {
	return await opened(
		streamEvents(
			connection,
			{
				path: '/v3/chat/submit_tool_outputs',
				query: { conversation_id: request.conversationId, chat_id: request.chatId },
				json: request.json,
				decode: decodeChatEvent,
				emptyAnswer: EMPTY_ANSWER,
				runName: 'bot chat',
				mayHaveStarted: BOT_MAY_HAVE_STARTED.submit,
				mayStillRun: MAY_STILL_ANSWER,
			},
			signal,
		),
		'submit',
	);
}

async function opened(
	events: AsyncGenerator<ChatStreamEvent[]>,
	request: 'chat' | 'submit',
): Promise<AsyncGenerator<ChatStreamEvent[]>> {
	try {
		return await started(events);
	} catch (error) {
		throw explainBotRefusal(error, request);
	}
}
