import type { EventSourceMessage } from 'eventsource-parser';

import { isJsonObject, textOfServerValue } from '../http/lossless-json';
import type { Redactor } from '../http/redaction';
import { withoutStudioStack } from './bot-errors';
import { errorCode } from './error-code';
import { eventJson, eventObject } from './event-data';

// The events of a chat stream (a chatflow's /v1/workflows/chat, a bot's /v3/chat and
// /v3/chat/submit_tool_outputs), as Coze names them: coze-js resources/chat/chat.ts (ChatEventType,
// ChatV3Message, CreateChatData), cozepy chat/__init__.py, coze-studio
// backend/domain/workflow/entity/vo/chatflow.go and application/workflow/chatflow.go; for a bot on
// Coze Studio, application/conversation/openapi_agent_run.go and build_chunk_event.go (4f786d6a).

/** A message of the chat, whole (`conversation.message.completed`) or a piece of one (`…delta`). */
export interface ChatMessageData {
	id?: string;
	conversation_id?: string;
	chat_id?: string;
	bot_id?: string;
	section_id?: string;
	role?: string;
	/** answer, follow_up, verbose, function_call, tool_output, tool_response, question. */
	type?: string;
	/** In a delta, the next piece only; in a completed message, the whole text. */
	content?: string;
	/** text, object_string, card. */
	content_type?: string;
	reasoning_content?: string;
	created_at?: number;
}

/** The chat itself (`conversation.chat.*`): its status, and with the last one its usage. */
export interface ChatDetailData {
	id?: string;
	conversation_id?: string;
	bot_id?: string;
	section_id?: string;
	execute_id?: string;
	status?: string;
	usage?: { token_count?: number; output_count?: number; input_count?: number };
	last_error?: { code?: number; msg?: string };
	/**
	 * A failed chat's reason as Coze's chatflow page shows `conversation.chat.failed`: the whole
	 * data is {"code":"720702204","msg":"会话名不存在"}, the code a string (coze-sdk-gen
	 * docs/api-markdown/workflow_chat.md). cozepy's recorded stream puts it in last_error instead.
	 */
	code?: unknown;
	msg?: unknown;
	/** What the chat waits for when it requires action (the cloud's tool calls). */
	required_action?: unknown;
}

export interface ChatErrorData {
	/** A number on the cloud (coze-js's type), a string on Coze Studio (vo.ErrorDetail). */
	code?: number;
	msg: string;
	debug_url?: string;
}

export type ChatStreamEvent =
	| { type: 'message.delta' | 'message.completed'; data: ChatMessageData }
	| {
			type:
				| 'chat.created'
				| 'chat.in_progress'
				| 'chat.completed'
				| 'chat.failed'
				| 'chat.requires_action';
			data: ChatDetailData;
	  }
	/** The chat was cancelled: the cloud spells it `canceled` (cozepy ChatStatus), Coze Studio `cancelled` (agentrun entity const.go). */
	| { type: 'chat.canceled'; data: ChatDetailData }
	| { type: 'error'; data: ChatErrorData }
	| { type: 'done'; data: { debug_url?: string } };

const CHAT_EVENTS = new Set([
	'chat.created',
	'chat.in_progress',
	'chat.completed',
	'chat.failed',
	'chat.requires_action',
]);
const MESSAGE_EVENTS = new Set(['message.delta', 'message.completed']);
const CANCELED_EVENTS = new Set(['chat.canceled', 'chat.cancelled']);
/**
 * The stream's end: `done` (the cloud: data "[DONE]" on /v3/chat, {debug_url} on a chatflow), or
 * Coze Studio's bot chat, which ends with `conversation.stream.done` and empty data and never
 * sends `done` (coze-studio openapi_agent_run.go buildDoneEvent, entity RunEventStreamDone).
 */
const DONE_EVENTS = new Set(['done', 'stream.done']);

/**
 * Types one event of a chat stream, or skips it (audio, PING, anything the node does not know:
 * cozepy maps an unknown event, its chat_invalid_resp.txt `event:invalid`, to UNKNOWN and goes on).
 * `redact` cleans what an error quotes of the event before it is cut short.
 *
 * `conversation.audio.delta` (a voice bot's reply as base64 audio pieces, content_type audio:
 * cozepy chat_audio_stream_resp.txt, Message.get_audio) is left out of the item on purpose: the
 * same reply comes as text in the answer's own deltas, an n8n item is JSON that n8n keeps with
 * every execution (seconds of base64 audio would weigh more than the rest of the run), and a
 * reader cannot tell where one clip ends without the audio format, which no event names.
 */
export function decodeChatEvent(
	event: EventSourceMessage,
	redact: Redactor,
): ChatStreamEvent | undefined {
	const name = event.event?.startsWith('conversation.')
		? event.event.slice('conversation.'.length)
		: event.event;
	if (name === undefined) return undefined;
	if (MESSAGE_EVENTS.has(name))
		return { type: name, data: messageData(eventObject(event, redact)) } as ChatStreamEvent;
	if (CHAT_EVENTS.has(name))
		return { type: name, data: eventObject(event, redact) } as ChatStreamEvent;
	if (CANCELED_EVENTS.has(name)) return { type: 'chat.canceled', data: eventObject(event, redact) };
	if (name === 'error') return { type: 'error', data: errorData(event) };
	if (DONE_EVENTS.has(name)) return { type: 'done', data: doneData(event.data) };
	return undefined;
}

/** A message's texts as text, whatever type the server used (see textOfServerValue); reasoning stays absent when absent. */
function messageData(data: Record<string, unknown>): ChatMessageData {
	const message: ChatMessageData = { ...data, content: textOfServerValue(data.content) };
	if (data.reasoning_content !== undefined)
		message.reasoning_content = textOfServerValue(data.reasoning_content);
	return message;
}

/**
 * `{"code":…,"msg":…}` (the cloud; Coze Studio sends the code as a string and adds debug_url),
 * or plain text (Studio, when the stream itself fails: workflow_service.go).
 */
function errorData(event: EventSourceMessage): ChatErrorData {
	const text = event.data;
	const parsed = eventJson(event);
	if (!isJsonObject(parsed)) return { msg: text.trim() || 'unknown error' };
	const { code, msg, debug_url: debugUrl } = parsed;
	return {
		code: errorCode(code),
		msg:
			msg !== undefined && msg !== null
				? withoutStudioStack(textOfServerValue(msg))
				: Object.keys(parsed).length === 0
					? NO_REASON
					: text.trim(),
		debug_url: typeof debugUrl === 'string' ? debugUrl : undefined,
	};
}

/** An error event whose data is `{}`, as cozepy's chat_error_resp.txt has it: no reason to quote. */
const NO_REASON = 'Coze sent an error event without a code or message';

/** `{"debug_url":…}` (Coze Studio, the cloud's chatflow fixture), or `"[DONE]"` / `[DONE]` (the SDKs' chat fixtures). */
function doneData(text: string): { debug_url?: string } {
	try {
		const parsed = JSON.parse(text) as unknown;
		if (
			parsed &&
			typeof parsed === 'object' &&
			typeof (parsed as { debug_url?: unknown }).debug_url === 'string'
		) {
			return { debug_url: (parsed as { debug_url: string }).debug_url };
		}
	} catch {
		// "[DONE]" without quotes: nothing more to read.
	}
	return {};
}
