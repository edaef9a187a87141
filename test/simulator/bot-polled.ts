// A bot's chat without a stream, in the simulator: POST /v3/chat (or, on the cloud,
// /v3/chat/submit_tool_outputs) with `stream: false` answers at once with the chat, which then
// moves on: GET /v3/chat/retrieve tells how it is going, GET /v3/chat/message/list lists its
// messages. The chat's course is the one its stream would have had (bot-shapes.ts BotStream): its
// events are recorded here, and read back as the two servers answer.
//
// Evidence:
// - When the stream is sent: the cloud streams only for `stream: true` ("false：（默认）采用非流式响应",
//   coze-sdk-gen@5db2f95b docs/api-markdown/chat_v3.md); Coze Studio streams unless the body says
//   `"stream": false` (coze-studio@4f786d6a api/handler/coze/agent_run_service.go ChatV3).
// - The answer to the start. The cloud: {code 0, msg "", data: the chat, status in_progress}
//   (cozepy@6b0f4cdf tests/test_chat.py mock_chat_poll answers /v3/chat with {"data": chat
//   in_progress}; chat_submit_tool_outputs.md's non-streamed answer {code, data, msg, detail
//   {logid}}). Coze Studio: {"data": ChatV3ChatDetail, "code": 0, "msg": "", "BaseResp": null},
//   sent when the run's `created` chunk arrives, so its status is "created"
//   (application/conversation/openapi_agent_run.go OpenapiAgentRunSync; api/model/conversation/run
//   RetrieveChatOpenResponse's tags).
// - GET /v3/chat/retrieve?conversation_id=&chat_id= (retrieve_chat.md; coze-go uses GET): the same
//   wrappers, the chat as it is now. The cloud's chat object is the stream's (cozepy
//   chat_text_stream_resp.txt, chat_audio_stream_resp.txt), with last_error when it failed and
//   required_action when it waits for tool outputs (retrieve_chat.md's two examples). Studio's is
//   built from its run record (openapi_agent_run.go RetrieveRunRecord): no last_error, no
//   required_action, and its own spellings of the statuses (agentrun entity const.go:
//   "cancelled", "required_action"; Studio never stops a bot chat for tool outputs).
//   Studio's refusal is HTTP 500 with err.Error() as plain text (RetrieveChatOpen: c.String(500, …)),
//   errorx's "code=… message=…" and a stack (pkg/errorx/internal/status.go); errno/conversation.go
//   ErrRecordNotFound = 103200003 "record not found or nothing to update". The cloud's answer
//   for a chat it does not know: no evidence (4000 here).
// - GET /v3/chat/message/list?conversation_id=&chat_id=. The cloud: {code 0, data [messages], msg
//   "", detail {logid}}; every message of the chat but the user's query (list_chat_messages.md:
//   "查看指定对话中除 Query 以外的其他消息"); both of its examples list the answer last, after
//   function_call, tool_response and verbose (the order of follow_up among them: no evidence).
//   Coze Studio: {"Messages": [...], "code": 0, "msg": "", "BaseResp": null} (api/model/
//   conversation/message ListChatMessageApiResponse's generated tag, `omitempty`: an empty list is
//   no field), every message whose run is the chat, the user's question included
//   (agentrun/internal/message_event.go HandlerInput saves it with the run's id), oldest first
//   (message/internal/dal/message.go GetByRunIDs, created_at ASC), each with reasoning_content
//   "" when it has none (openapi_agent_run.go ListChatMessageApi: ptr.Of) and created_at.
// - A chat that fails while polled. The cloud: status "failed" with last_error {code, msg}
//   (cozepy chat_failed_resp.txt's chat object). An `error` event's failure seen by polling: no
//   evidence (failed, with its code and msg as last_error, here). Studio: status "failed" (its run
//   record), no reason.
// - A cancelled chat: status "canceled" on the cloud (retrieve_chat.md; cozepy ChatStatus),
//   "cancelled" on Studio (entity const.go). How a chat comes to be cancelled (another client's
//   /v3/chat/cancel) is not simulated: a script says it happens.
import type { ServerResponse } from 'node:http';

import type { BotChatIds } from './bot-shapes';
import type { SimEvent } from './event-stream';
import { nextLogId, sendJson, type Flavour } from './flavours';

type Unnumbered = Omit<SimEvent, 'id'>;
type Json = Record<string, unknown>;

/** How a polled chat goes, beyond what its events say. */
export interface PolledCourse {
	/** How many retrieves answer that the chat is still under way before it ends (default 1). */
	polls?: number;
	/** The chat ends cancelled (someone called /v3/chat/cancel) instead of as its events say. */
	canceled?: boolean;
	/** The server has lost the chat by the first retrieve (deleted, or never saved). */
	forgotten?: boolean;
	/** The user's message of this turn (Studio lists it with the chat's messages). */
	question?: string;
}

interface PolledChat {
	/** The chat while it is under way (its in_progress object). */
	underWay: Json;
	/** The chat once it has ended. */
	final: Json;
	pollsLeft: number;
	messages: Json[];
	forgotten: boolean;
}

/** Does this request body ask for no stream, as `flavour` reads it? */
export function asksNoStream(flavour: Flavour, body: Json): boolean {
	return flavour === 'studio' ? body.stream === false : body.stream !== true;
}

export class PolledChats {
	private readonly chats = new Map<string, PolledChat>();

	constructor(private readonly flavour: () => Flavour) {}

	/**
	 * Keeps what a turn of the chat `ids` did (its events, as its stream has them or would have),
	 * so that retrieve and message/list can tell. A turn after tool outputs adds to the chat.
	 */
	record(ids: BotChatIds, events: Unnumbered[], course: PolledCourse = {}): void {
		const flavour = this.flavour();
		const chatEvents = events.filter((event) => event.event.startsWith('conversation.chat.'));
		const underWay = {
			...((chatEvents.find((event) => event.event === 'conversation.chat.in_progress')
				?.data as Json) ?? {}),
			status: 'in_progress',
		};
		const last = chatEvents[chatEvents.length - 1]?.data as Json | undefined;
		const failure = events.find((event) => event.event === 'error')?.data as Json | undefined;
		let final: Json;
		if (course.canceled)
			final = { ...underWay, status: flavour === 'studio' ? 'cancelled' : 'canceled' };
		else if (failure)
			final = {
				...underWay,
				status: 'failed',
				failed_at: now(),
				...(flavour === 'cloud' ? { last_error: { code: failure.code, msg: failure.msg } } : {}),
			};
		else
			final = last && last.status !== 'in_progress' ? last : { ...underWay, status: 'completed' };
		const key = chatKey(ids.conversationId, ids.chatId);
		const before = this.chats.get(key);
		const messages = events
			.filter((event) => event.event === 'conversation.message.completed')
			.map((event) => event.data as Json);
		if (flavour === 'studio' && course.question !== undefined)
			messages.unshift({
				id: `${ids.chatId}0`,
				conversation_id: ids.conversationId,
				bot_id: ids.botId,
				role: 'user',
				type: 'question',
				content: course.question,
				content_type: 'text',
				chat_id: ids.chatId,
				section_id: ids.conversationId,
			});
		this.chats.set(key, {
			underWay: flavour === 'studio' ? studioChat(underWay) : underWay,
			final: flavour === 'studio' ? studioChat(final) : final,
			pollsLeft: course.polls ?? 1,
			messages: [...(before?.messages ?? []), ...messages],
			forgotten: course.forgotten === true,
		});
	}

	/** The answer to a start with `stream: false`: the chat as it has just begun. */
	answerStart(res: ServerResponse, ids: BotChatIds): void {
		const chat = this.chats.get(chatKey(ids.conversationId, ids.chatId))!;
		if (this.flavour() === 'studio')
			return sendJson(res, 'studio', 200, {
				data: { ...chat.underWay, status: 'created' },
				code: 0,
				msg: '',
				BaseResp: null,
			});
		sendJson(res, 'cloud', 200, {
			code: 0,
			msg: '',
			data: chat.underWay,
			detail: { logid: nextLogId() },
		});
	}

	/** GET /v3/chat/retrieve. */
	retrieve(res: ServerResponse, url: URL): void {
		const flavour = this.flavour();
		const chat = this.find(url);
		if (!chat) {
			if (flavour === 'studio') {
				res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
				res.end(
					'code=103200003 message=record not found or nothing to update\nstack=goroutine 1 [running]:\nopenapi_agent_run.go:441',
				);
				return;
			}
			// The cloud's answer for a chat it does not know: no evidence.
			return sendJson(res, 'cloud', 200, { code: 4000, msg: 'chat not found' });
		}
		let now = chat.final;
		if (chat.pollsLeft > 0) {
			chat.pollsLeft -= 1;
			now = chat.underWay;
		}
		if (flavour === 'studio')
			return sendJson(res, 'studio', 200, { data: now, code: 0, msg: '', BaseResp: null });
		sendJson(res, 'cloud', 200, { code: 0, data: now, msg: '', detail: { logid: nextLogId() } });
	}

	/** GET /v3/chat/message/list. */
	list(res: ServerResponse, url: URL): void {
		const chat = this.find(url);
		const messages = chat?.messages ?? [];
		if (this.flavour() === 'studio') {
			const listed = messages.map((message) => ({
				reasoning_content: '',
				created_at: now(),
				...message,
			}));
			return sendJson(res, 'studio', 200, {
				...(listed.length > 0 ? { Messages: listed } : {}),
				code: 0,
				msg: '',
				BaseResp: null,
			});
		}
		const listed = [
			...messages.filter((message) => message.type !== 'answer'),
			...messages.filter((message) => message.type === 'answer'),
		];
		sendJson(res, 'cloud', 200, {
			code: 0,
			data: listed,
			msg: '',
			detail: { logid: nextLogId() },
		});
	}

	private find(url: URL): PolledChat | undefined {
		const chat = this.chats.get(
			chatKey(url.searchParams.get('conversation_id') ?? '', url.searchParams.get('chat_id') ?? ''),
		);
		return chat && !chat.forgotten ? chat : undefined;
	}
}

/** Studio's ChatV3ChatDetail from its run record: no last_error, no required_action, its own spelling of waiting. */
function studioChat(chat: Json): Json {
	// eslint-disable-next-line @typescript-eslint/no-unused-vars -- dropped, as Studio's record never fills them
	const { last_error, required_action, ...rest } = chat;
	return rest.status === 'requires_action' ? { ...rest, status: 'required_action' } : rest;
}

function chatKey(conversationId: string, chatId: string): string {
	return `${conversationId}\u0000${chatId}`;
}

function now(): number {
	return Math.floor(Date.now() / 1000);
}
