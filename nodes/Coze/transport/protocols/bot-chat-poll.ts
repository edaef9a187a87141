import { setTimeout as sleep } from 'node:timers/promises';

import { abortFailure } from '../http/abort';
import { requestCozeJson } from '../http/client';
import type { CozeConnection } from '../http/connection';
import { CozeError } from '../http/coze-error';
import type { CozeEnvelope } from '../http/envelope';
import { isJsonObject, textOfServerValue } from '../http/lossless-json';
import {
	BOT_MAY_HAVE_STARTED,
	botChatAdvice,
	explainBotRefusal,
	withoutStudioStack,
} from './bot-errors';
import {
	answerOf,
	ChatFailure,
	type CollectedChat,
	type CollectedChatMessage,
} from './chat-collector';
import type { ChatDetailData } from './chat-events';
import { errorCode } from './error-code';
import { MIN_POLL_INTERVAL_MS, type Polling } from './workflow-run';

// A bot's chat without a stream (Response Mode "Poll Until Done"): the chat is started with
// `stream: false`, asked for by GET /v3/chat/retrieve until it is no longer under way, and its
// messages read by GET /v3/chat/message/list (coze-sdk-gen@5db2f95b docs/api-markdown
// chat_v3.md, retrieve_chat.md, list_chat_messages.md; coze-go chats.go CreateAndPoll; cozepy
// create_and_poll). Coze Studio serves all three (coze-studio@4f786d6a api/router/coze/api.go),
// starting the chat with status "created" and listing messages under "Messages" rather than "data"
// (run.go ListChatMessageApiResponse's generated tag), the user's question among them
// (message_event.go HandlerInput saves it with the chat's id); it answers a retrieve it cannot
// serve with HTTP 500 and its Go error as plain text (agent_run_service.go RetrieveChatOpen).

/** Statuses of a chat that is still going (both spellings of each server). */
const UNDER_WAY = new Set(['created', 'in_progress']);
const WAITING = new Set(['requires_action', 'required_action']);
/** The cloud's "canceled" (retrieve_chat.md, cozepy ChatStatus), Studio's "cancelled" (agentrun entity const.go). */
const CANCELLED = new Set(['canceled', 'cancelled']);

/** What may be going on in Coze when following a chat failed. */
const STILL_ANSWERING = 'The bot may still be answering in Coze.';

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
			mayHaveStarted: BOT_MAY_HAVE_STARTED[request],
			signal,
		});
		chat = chatOf(answer.data);
	} catch (error) {
		throw explainBotRefusal(studioRefusal(error), request);
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
				`The Coze bot chat ${chatId} was still answering after Max Wait (${minutes(polling.maxWaitMs)})`,
				{
					kind: 'timeout',
					description: `Raise Max Wait in the node's options. ${STILL_ANSWERING} Until it has finished, Coze refuses another message in this conversation (error 4016).`,
				},
			);
		try {
			await sleep(intervalMs, undefined, { signal });
		} catch (error) {
			throw abortFailure(signal, error);
		}
		try {
			const answer = await requestCozeJson<CozeEnvelope & { data?: unknown }>(connection, {
				method: 'GET',
				path: '/v3/chat/retrieve',
				query: ids,
				kind: 'read',
				signal,
			});
			chat = chatOf(answer.data);
		} catch (error) {
			throw whileFollowing(error, `Coze could not say how the bot chat ${chatId} is going`);
		}
	}
	const status = String(chat.status);
	const listMessages = async () => {
		try {
			return await messagesOf(connection, ids, signal);
		} catch (error) {
			throw whileFollowing(error, `Coze could not list the messages of the bot chat ${chatId}`);
		}
	};
	if (status !== 'completed' && !WAITING.has(status)) {
		const failure = endedWithoutAnswer(chat, status);
		// What the bot had said before it failed goes out with the error (Continue on Fail).
		const messages = await listMessages().catch(() => []);
		throw new ChatFailure(failure, messages, conversationId);
	}
	const messages = await listMessages();
	return {
		answer: answerOf(messages),
		messages,
		conversationId,
		chatId,
		...(typeof chat.section_id === 'string' && chat.section_id
			? { sectionId: chat.section_id }
			: {}),
		...(typeof chat.bot_id === 'string' ? { botId: chat.bot_id } : {}),
		status: WAITING.has(status) ? 'requires_action' : 'completed',
		...(chat.required_action === undefined ? {} : { requiredAction: chat.required_action }),
		...(chat.usage ? { usage: chat.usage } : {}),
	};
}

/** The chat's messages but the user's own (Studio lists the question with them; the stream never sends it). */
async function messagesOf(
	connection: CozeConnection,
	ids: { conversation_id: string; chat_id: string },
	signal?: AbortSignal,
): Promise<CollectedChatMessage[]> {
	const listed = await requestCozeJson<CozeEnvelope & { data?: unknown; Messages?: unknown }>(
		connection,
		{ method: 'GET', path: '/v3/chat/message/list', query: ids, kind: 'read', signal },
	);
	const list = Array.isArray(listed.data)
		? listed.data
		: Array.isArray(listed.Messages)
			? listed.Messages
			: [];
	return list
		.filter(isJsonObject)
		.filter((message) => message.role !== 'user' && message.type !== 'question')
		.map(messageOf);
}

/** Why a chat that is over has no answer: it failed, was cancelled, or ended otherwise (Studio's "expired"). */
function endedWithoutAnswer(chat: ChatDetailData, status: string): CozeError {
	if (status === 'failed') {
		const code = errorCode(chat.last_error?.code);
		const reason = textOfServerValue(chat.last_error?.msg).trim();
		if (!code && !reason)
			return new CozeError('The Coze chat failed, and Coze gave no reason', {
				kind: 'api',
				description:
					'Coze reported the chat as failed without saying why (Coze Studio does not, asked without a stream). Send the message with Response Mode → Stream to see the reason, or look at the bot in Coze.',
			});
		return new CozeError(
			`The Coze chat failed${code ? ` with error ${code}` : ''}: ${reason || 'no message'}`,
			{
				kind: 'api',
				cozeCode: code || undefined,
				description: `Coze reported the chat as failed (status "failed" on /v3/chat/retrieve). ${botChatAdvice(code || undefined)}`,
			},
		);
	}
	if (CANCELLED.has(status))
		return new CozeError('The Coze chat was cancelled before it finished', {
			kind: 'api',
			description:
				'Someone or something cancelled this chat in Coze (/v3/chat/cancel) while the bot was answering. Send the message again.',
		});
	return new CozeError(`The Coze chat ended as "${status}" without an answer`, {
		kind: 'api',
		description:
			'Coze let the chat expire or ended it otherwise (a chat waiting for tool outputs does not wait for ever). Send the message again.',
	});
}

/**
 * Coze Studio's refusal of a chat without a stream: HTTP 400 {"code": 400, "msg": err.Error()}
 * (agent_run_service.go ChatV3 → httputil BadRequest), the text of its Go error, "code=…
 * message=…" and a stack trace (pkg/errorx/internal/status.go). The trace tells a user nothing
 * and names the server's files: it is left out. "agent not published" gets the advice the
 * streamed refusal gets (bot-errors.ts, 103100001).
 */
function studioRefusal(error: unknown): unknown {
	if (!(error instanceof CozeError)) return error;
	const message = withoutStudioStack(error.message);
	if (message === error.message) return error;
	return error.with({
		message,
		...(/agent not (published|exists)/.test(message)
			? { description: botChatAdvice(103100001) }
			: {}),
	});
}

/**
 * A failed request while following a started chat, saying so. Coze Studio's HTTP 500 is its Go
 * error as plain text ("code=… message=…" and a stack trace, pkg/errorx/internal/status.go): what
 * it said is the message, without the stack; it is no sign of a wrong Base URL.
 */
function whileFollowing(error: unknown, doing: string): unknown {
	if (!(error instanceof CozeError) || error.kind === 'cancelled') return error;
	const said =
		error.httpStatus !== undefined && error.httpStatus >= 500 && error.cozeCode === undefined
			? error.bodyText
			: undefined;
	// Studio's errorx text; a gateway's error page is not one.
	if (said !== undefined && /^code=\d+ message=/.test(said)) {
		const text = withoutStudioStack(said);
		return error.with({
			message: `${doing}: ${text}`,
			description: `Coze answered HTTP ${error.httpStatus}: it could not find the chat, or it belongs to another user. ${STILL_ANSWERING}`,
		});
	}
	return error.with({
		message: `${doing}: ${error.message}`,
		description: [error.description, STILL_ANSWERING].filter(Boolean).join(' '),
	});
}

/** Max Wait in words: "1 minute", "10 minutes", "0.5 minutes". */
function minutes(ms: number): string {
	const count = Math.round((ms / 60_000) * 10) / 10;
	return `${count} minute${count === 1 ? '' : 's'}`;
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
