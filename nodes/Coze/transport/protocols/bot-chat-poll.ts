import { setTimeout as sleep } from 'node:timers/promises';

import { abortFailure } from '../http/abort';
import { requestCozeJson } from '../http/client';
import type { CozeConnection } from '../http/connection';
import { CozeError } from '../http/coze-error';
import type { CozeEnvelope } from '../http/envelope';
import { isJsonObject, textOfServerValue } from '../http/lossless-json';
import { botChatAdvice, explainBotRefusal } from './bot-errors';
import type { CollectedChat, CollectedChatMessage } from './chat-collector';
import type { ChatDetailData } from './chat-events';
import { errorCode } from './error-code';
import { MIN_POLL_INTERVAL_MS, type Polling } from './workflow-run';

// A bot's chat without a stream (Response Mode "Poll Until Done"): the chat is started with
// `stream: false`, asked for by GET /v3/chat/retrieve until it is no longer under way, and its
// messages read by GET /v3/chat/message/list (coze-sdk-gen@5db2f95b docs/api-markdown
// chat_v3.md, retrieve_chat.md, list_chat_messages.md; coze-go chats.go CreateAndPoll; cozepy
// create_and_poll). Coze Studio serves all three (coze-studio@4f786d6a api/router/coze/api.go),
// starting the chat with status "created" and listing messages under "Messages" rather than "data"
// (run.go ListChatMessageApiResponse's generated tag).

/** Statuses of a chat that is still going (both spellings of each server). */
const UNDER_WAY = new Set(['created', 'in_progress']);
const WAITING = new Set(['requires_action', 'required_action']);

/** Starts a chat (or a submit, with its path and query) without a stream, and follows it to its end. */
export async function pollBotChat(
	connection: CozeConnection,
	start: {
		path: '/v3/chat' | '/v3/chat/submit_tool_outputs';
		json: string;
		conversationId?: string;
		chatId?: string;
	},
	polling: Polling,
	signal?: AbortSignal,
): Promise<CollectedChat> {
	const request = start.path === '/v3/chat' ? 'chat' : 'submit';
	const query: Record<string, string> = {};
	if (start.conversationId) query.conversation_id = start.conversationId;
	if (start.chatId) query.chat_id = start.chatId;
	let chat: ChatDetailData;
	try {
		const answer = await requestCozeJson<CozeEnvelope & { data?: unknown }>(connection, {
			method: 'POST',
			path: start.path,
			query,
			kind: 'startsRun',
			json: start.json,
			signal,
		});
		chat = chatOf(answer.data);
	} catch (error) {
		throw explainBotRefusal(error, request);
	}
	const conversationId = String(chat.conversation_id ?? start.conversationId ?? '');
	const chatId = String(chat.id ?? start.chatId ?? '');
	if (!conversationId || !chatId)
		throw new CozeError('Coze started the chat but did not say its conversation_id and id', {
			kind: 'protocol',
			description:
				"Without them the node cannot follow the chat. Check the credential's Base URL points at the Coze API, or use Response Mode → Stream.",
		});
	const ids = { conversation_id: conversationId, chat_id: chatId };
	const intervalMs = Math.max(MIN_POLL_INTERVAL_MS, polling.intervalMs);
	const deadline = Date.now() + polling.maxWaitMs;
	while (UNDER_WAY.has(String(chat.status))) {
		if (Date.now() + intervalMs > deadline)
			throw new CozeError(
				`The Coze bot chat ${chatId} was still answering after ${Math.round(polling.maxWaitMs / 60_000)} minutes`,
				{ kind: 'timeout', description: "Raise Max Wait in the node's options." },
			);
		try {
			await sleep(intervalMs, undefined, { signal });
		} catch (error) {
			throw abortFailure(signal, error);
		}
		const answer = await requestCozeJson<CozeEnvelope & { data?: unknown }>(connection, {
			method: 'GET',
			path: '/v3/chat/retrieve',
			query: ids,
			kind: 'read',
			signal,
		});
		chat = chatOf(answer.data);
	}
	const status = String(chat.status);
	if (status === 'failed') {
		const code = errorCode(chat.last_error?.code);
		throw new CozeError(
			`The Coze chat failed${code ? ` with error ${code}` : ''}: ${textOfServerValue(chat.last_error?.msg) || 'no message'}`,
			{ kind: 'api', cozeCode: code, description: botChatAdvice(code) },
		);
	}
	if (status !== 'completed' && !WAITING.has(status))
		throw new CozeError(`The Coze chat ended as "${status}" without an answer`, {
			kind: 'api',
			description:
				'Coze cancelled the chat or let it expire (a chat waiting for tool outputs expires after some minutes). Send the message again.',
		});
	const listed = await requestCozeJson<CozeEnvelope & { data?: unknown; Messages?: unknown }>(
		connection,
		{ method: 'GET', path: '/v3/chat/message/list', query: ids, kind: 'read', signal },
	);
	const messages = (
		Array.isArray(listed.data) ? listed.data : Array.isArray(listed.Messages) ? listed.Messages : []
	)
		.filter(isJsonObject)
		.map(messageOf);
	return {
		answer: messages
			.filter((message) => message.type === 'answer')
			.map((message) => message.content)
			.join('\n\n'),
		messages,
		conversationId,
		chatId,
		...(typeof chat.bot_id === 'string' ? { botId: chat.bot_id } : {}),
		status: WAITING.has(status) ? 'requires_action' : 'completed',
		...(chat.required_action === undefined ? {} : { requiredAction: chat.required_action }),
		...(chat.usage ? { usage: chat.usage } : {}),
	};
}

function chatOf(data: unknown): ChatDetailData {
	if (isJsonObject(data)) return data as ChatDetailData;
	throw new CozeError('Coze answered about the chat without the chat', {
		kind: 'protocol',
		description:
			"The answer had no data object. Check the credential's Base URL points at the Coze API, or use Response Mode → Stream.",
	});
}

function messageOf(data: Record<string, unknown>): CollectedChatMessage {
	return {
		...(typeof data.id === 'string' ? { id: data.id } : {}),
		type: typeof data.type === 'string' ? data.type : 'answer',
		role: typeof data.role === 'string' ? data.role : undefined,
		content: textOfServerValue(data.content),
		content_type: typeof data.content_type === 'string' ? data.content_type : undefined,
		...(data.reasoning_content !== undefined && data.reasoning_content !== ''
			? { reasoning_content: textOfServerValue(data.reasoning_content) }
			: {}),
	};
}
