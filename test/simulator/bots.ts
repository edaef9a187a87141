// Coze bots (智能体) in the simulator: POST /v3/chat and POST /v3/chat/submit_tool_outputs, with
// the conversations they talk in. Stream shapes and their evidence: bot-shapes.ts. Requests as
// coze-sdk-gen@5db2f95b docs/api-markdown/chat_v3.md and chat_submit_tool_outputs.md describe
// them: conversation_id (and chat_id for a submit) in the query, the rest in the JSON body;
// bot_id and user_id required on both servers (coze-studio@4f786d6a api/model/conversation/run
// ChatV3Request tags them required). Without a stream (`stream: false`), the chat is followed by
// GET /v3/chat/retrieve and GET /v3/chat/message/list: bot-polled.ts.
import type { ServerResponse } from 'node:http';

import { asksNoStream, PolledChats, type PolledCourse } from './bot-polled';
import { BotStream, type SimToolCall } from './bot-shapes';
import type { StreamShape } from './event-stream';
import { sendJson, type Flavour } from './flavours';
import { PERMISSION_MSG } from './permissions';
import type { WorkflowAnswer } from './workflows';

/** What a bot is given for one turn: the user's message and what the conversation holds. */
export interface BotTurn {
	message: string;
	history: Array<{ role: 'user' | 'assistant'; content: string }>;
	conversationId: string;
	body: Record<string, unknown>;
}

/** How a bot answers a turn, or the rest of one after its tool calls were answered. */
export interface BotTurnScript {
	/** Answer messages, each in the pieces it streams in. */
	answers?: string[][];
	/** reasoning_content pieces of the first answer (a deep-thinking model). */
	reasoning?: string[];
	/** Whole messages of other types before the answers (tool_response, knowledge, …). */
	before?: Array<{ type: string; content: string }>;
	/** Audio pieces (base64) after the answers. */
	audio?: string[];
	followUps?: string[];
	/** The bot calls local plugins and waits for their outputs (the cloud only). */
	toolCalls?: Array<Omit<SimToolCall, 'id'> & { id?: string }>;
	/** The chat fails (chat.failed on the cloud, Studio's error event). */
	fails?: { code: number; msg: string };
	/** An `error` event ends the stream. */
	error?: { code: number; msg: string };
	/** The chat is cancelled part-way (bot-shapes.ts canceled()). */
	cancels?: boolean;
	shape?: StreamShape;
	/** Without a stream: how many retrieves say the chat is still going before it ends (default 1). */
	polls?: number;
	/** Without a stream: the chat ends cancelled (no evidence of a streamed cancel: a streamed chat cannot). */
	canceled?: boolean;
	/** Without a stream: the server has lost the chat by the first retrieve. */
	forgotten?: boolean;
}

export interface SimBot {
	/** Published to the API channel (default true); otherwise refused as Coze refuses it. */
	published?: boolean;
	chat: (turn: BotTurn) => BotTurnScript | WorkflowAnswer;
	/** The rest of the chat once its tool calls have outputs, given in the order of the calls. */
	afterTools?: (
		outputs: Array<{ tool_call_id: string; output: string }>,
		turn: BotTurn,
	) => BotTurnScript | WorkflowAnswer;
}

/** What the simulator host lends the bots: its conversations, ids and way of answering. */
export interface BotHost {
	flavour: () => Flavour;
	readonly conversations: Map<
		string,
		{ history: Array<{ role: 'user' | 'assistant'; content: string }> }
	>;
	newConversation(): string;
	nextId(): string;
	answer(res: ServerResponse, answer: WorkflowAnswer): Promise<void>;
}

/** A chat that waits for tool outputs. */
interface PendingChat {
	botId: string;
	calls: SimToolCall[];
	turn: BotTurn;
	autoSaveHistory: boolean;
}

export class SimBots {
	private readonly bots = new Map<string, SimBot>();
	/** Chats waiting for tool outputs, by conversation and chat id. */
	private readonly pending = new Map<string, PendingChat>();
	/** Chats whose tool outputs were taken: a second submit is refused. */
	private readonly answered = new Set<string>();
	/** Conversations with a chat streaming now: the cloud takes one chat at a time in a conversation. */
	private readonly answering = new Set<string>();
	private chatDenied = false;
	private toolCounter = 0;
	/** Every chat's course, for GET /v3/chat/retrieve and GET /v3/chat/message/list. */
	private readonly polled: PolledChats;

	constructor(private readonly host: BotHost) {
		this.polled = new PolledChats(host.flavour);
	}

	define(botId: string, bot: SimBot): void {
		this.bots.set(botId, bot);
	}

	/** The token lacks the `chat` permission from now on (the cloud's 4101). */
	denyChat(): void {
		this.chatDenied = true;
	}

	/** Forget a waiting chat, as if it expired. */
	expire(conversationId: string, chatId: string): void {
		this.pending.delete(key(conversationId, chatId));
	}

	/** POST /v3/chat. */
	async chat(res: ServerResponse, url: URL, body: Record<string, unknown>): Promise<void> {
		const flavour = this.host.flavour();
		if (this.chatDenied && flavour === 'cloud')
			return sendJson(res, flavour, 403, { code: 4101, msg: PERMISSION_MSG });
		const botId = typeof body.bot_id === 'string' ? body.bot_id : '';
		const bot = this.bots.get(botId);
		if (typeof body.user_id !== 'string' || body.user_id === '')
			// chat_v3.md: user_id 必选; the cloud's answer to its absence is in no fixture (no evidence): 4000.
			return this.refuse(res, 4000, 'user_id is required');
		const noStream = asksNoStream(flavour, body);
		if (!bot || bot.published === false) {
			const refusal = `invalid parameter : agent not published, agentID=${botId} connectorID=1024`;
			if (flavour === 'studio' && noStream)
				// OpenapiAgentRunSync's error → invalidParamRequestResponse: HTTP 400 {code 400, msg err.Error()}
				// (agent_run_service.go, httputil/error_resp.go BadRequest), errorx's text with its stack.
				return sendJson(res, 'studio', 400, {
					code: 400,
					msg: `code=100000000 message=${refusal}\nstack=goroutine 1 [running]:\nopenapi_agent_run.go:537`,
				});
			if (flavour === 'studio') {
				// Studio answered 200 with a stream already; the refusal is its error event (openapi_agent_run.go, single_agent_impl.go).
				const stream = new BotStream(flavour, { botId, conversationId: '0', chatId: '0' }).fails(
					100000000,
					refusal,
				);
				return this.host.answer(res, { stream: stream.events });
			}
			// 4015 and its text: coze-js chat-sdk mini-chat-error.ts, and a third-party README's quote.
			// An unknown bot's answer on the cloud is in no fixture (no evidence): the same.
			return this.refuse(
				res,
				4015,
				'The bot_id has not been published to the channel Agent As API',
			);
		}
		const messages = Array.isArray(body.additional_messages)
			? (body.additional_messages as Array<{ role?: string; content?: unknown }>)
			: [];
		const given = url.searchParams.get('conversation_id');
		if (given && !this.host.conversations.has(given))
			// Neither server's answer to an unknown conversation on /v3/chat is in a fixture (no evidence).
			return this.refuse(res, 4000, 'conversation not found');
		if (given && flavour === 'cloud' && this.answering.has(given))
			// chat_v3.md: "一个会话中，只能有一个进行中的对话，否则调用此接口时会报错 4016"; its msg
			// text is in no fixture (no evidence). Studio's rule for this: no evidence (none here).
			return this.refuse(res, 4016, 'there is already a chat in progress in this conversation');
		const conversationId = given ?? this.host.newConversation();
		const conversation = this.host.conversations.get(conversationId)!;
		const last = messages[messages.length - 1];
		const message = typeof last?.content === 'string' ? last.content : '';
		const turn: BotTurn = {
			message,
			history: [...conversation.history],
			conversationId,
			body,
		};
		const script = bot.chat(turn);
		if (!isTurnScript(script)) return this.host.answer(res, script);
		// auto_save_history false keeps the turn out of the conversation (chat_v3.md).
		const autoSave = body.auto_save_history !== false;
		if (autoSave) conversation.history.push({ role: 'user', content: message });
		const stream = new BotStream(flavour, { botId, conversationId, chatId: this.host.nextId() });
		stream.started();
		await this.play(res, stream, script, { botId, turn, autoSave, noStream });
	}

	/** POST /v3/chat/submit_tool_outputs (the cloud only: Studio has no such route). */
	async submit(res: ServerResponse, url: URL, body: Record<string, unknown>): Promise<void> {
		const conversationId = url.searchParams.get('conversation_id') ?? '';
		const chatId = url.searchParams.get('chat_id') ?? '';
		if (!conversationId || !chatId)
			// chat_submit_tool_outputs.md: both 必选; the answer to their absence: no evidence.
			return this.refuse(res, 4000, 'conversation_id and chat_id are required');
		const chatKey = key(conversationId, chatId);
		const waiting = this.pending.get(chatKey);
		if (!waiting)
			// A chat answered already, expired, or never waiting: no fixture shows these answers (no evidence).
			return this.refuse(
				res,
				4000,
				this.answered.has(chatKey)
					? 'chat is not in requires_action status'
					: 'chat not found or expired',
			);
		if (!waiting.autoSaveHistory)
			// chat_v3.md: a chat started without auto_save_history gets 5000 here.
			return this.refuse(res, 5000, 'auto_save_history is false');
		const outputs = Array.isArray(body.tool_outputs)
			? (body.tool_outputs as Array<{ tool_call_id?: unknown; output?: unknown }>)
			: [];
		const byId = new Map(outputs.map((entry) => [entry.tool_call_id, entry.output]));
		const missing = waiting.calls.filter((call) => typeof byId.get(call.id) !== 'string');
		if (missing.length > 0 || outputs.length !== waiting.calls.length)
			// Outputs not matching the calls: no fixture shows the answer (no evidence).
			return this.refuse(res, 4000, 'tool_outputs do not match the tool calls');
		this.pending.delete(chatKey);
		this.answered.add(chatKey);
		const bot = this.bots.get(waiting.botId);
		const ordered = waiting.calls.map((call) => ({
			tool_call_id: call.id,
			output: byId.get(call.id) as string,
		}));
		const script = bot?.afterTools?.(ordered, waiting.turn) ?? { answers: [['(no afterTools)']] };
		if (!isTurnScript(script)) return this.host.answer(res, script);
		const stream = new BotStream(this.host.flavour(), {
			botId: waiting.botId,
			conversationId,
			chatId,
		}).inProgress();
		await this.play(res, stream, script, {
			...waiting,
			autoSave: true,
			noStream: asksNoStream('cloud', body),
		});
	}

	/** GET /v3/chat/retrieve: how a chat is going (bot-polled.ts). */
	retrieve(res: ServerResponse, url: URL): void {
		this.polled.retrieve(res, url);
	}

	/** GET /v3/chat/message/list: a chat's messages (bot-polled.ts). */
	listMessages(res: ServerResponse, url: URL): void {
		this.polled.list(res, url);
	}

	private async play(
		res: ServerResponse,
		stream: BotStream,
		script: BotTurnScript,
		context: { botId: string; turn: BotTurn; autoSave: boolean; noStream: boolean },
	): Promise<void> {
		const conversation = this.host.conversations.get(stream.ids.conversationId)!;
		for (const message of script.before ?? []) stream.whole(message.type, message.content);
		for (const [i, pieces] of (script.answers ?? []).entries()) {
			stream.answer(pieces, 'answer', i === 0 ? script.reasoning : undefined);
			if (context.autoSave)
				conversation.history.push({ role: 'assistant', content: pieces.join('') });
		}
		if (script.audio) stream.audio(script.audio);
		if (script.canceled && !context.noStream)
			throw new Error(
				'No evidence of a streamed bot chat that is cancelled: script canceled for Poll Until Done only',
			);
		if (script.canceled) {
			// Cancelled part-way: the stream would have gone on (bot-polled.ts ends it as cancelled).
		} else if (script.error) stream.error(script.error.code, script.error.msg);
		else if (script.cancels) stream.canceled();
		else if (script.fails) stream.fails(script.fails.code, script.fails.msg);
		else if (script.toolCalls) {
			const calls = script.toolCalls.map((call) => ({
				...call,
				id: call.id ?? `call_${++this.toolCounter}`,
			}));
			this.pending.set(key(stream.ids.conversationId, stream.ids.chatId), {
				botId: context.botId,
				calls,
				turn: context.turn,
				autoSaveHistory: context.autoSave,
			});
			stream.requiresAction(calls);
		} else {
			for (const text of script.followUps ?? []) stream.whole('follow_up', text);
			stream.verbose().completed();
		}
		const course: PolledCourse = {
			polls: context.noStream ? script.polls : 0,
			canceled: script.canceled,
			// Without a stream, a chat kept out of the history cannot be looked at ("非流式响应下（stream=false），
			// 此参数必须设置为 true …否则无法查看对话状态和模型回复", chat_v3.md); how the cloud says so: no evidence.
			forgotten: script.forgotten || (context.noStream && !context.autoSave),
			// A submit's turn has no new question.
			question:
				stream.events[0]?.event === 'conversation.chat.created' ? context.turn.message : undefined,
		};
		this.polled.record(stream.ids, stream.events, course);
		if (context.noStream) return this.polled.answerStart(res, stream.ids);
		const conversationId = stream.ids.conversationId;
		this.answering.add(conversationId);
		try {
			await this.host.answer(res, { stream: stream.events, shape: script.shape });
		} finally {
			this.answering.delete(conversationId);
		}
	}

	private refuse(res: ServerResponse, code: number, msg: string): void {
		// Studio's refusals of a bad request are HTTP 400 {"code":400,…} (handler/coze/base.go); the cloud's carry the code on HTTP 200.
		if (this.host.flavour() === 'studio') return sendJson(res, 'studio', 400, { code: 400, msg });
		sendJson(res, 'cloud', 200, { code, msg });
	}
}

function key(conversationId: string, chatId: string): string {
	return `${conversationId}\u0000${chatId}`;
}

function isTurnScript(script: BotTurnScript | WorkflowAnswer): script is BotTurnScript {
	return !('stream' in script || 'json' in script || 'encodedStream' in script);
}
