// The events each real server sends for a bot's (智能体's) chat: POST /v3/chat and, on the cloud,
// POST /v3/chat/submit_tool_outputs. One builder per flavour; every shape names its evidence, and
// a field sent without evidence says so.
//
// Evidence read:
// - cozepy@6b0f4cdf tests/testdata/chat_text_stream_resp.txt: the cloud's recorded bot chat (also
//   the example of coze-sdk-gen@5db2f95b docs/api-markdown/chat_v3.md). No id lines; chat objects
//   {id, conversation_id, bot_id, completed_at, last_error {code 0, msg ""}, status, usage};
//   messages {id, conversation_id, bot_id, role "assistant", type "answer", content (a delta's
//   piece; completed: the whole), content_type "text", chat_id}; `done` with data "[DONE]" (quoted).
// - cozepy chat_audio_stream_resp.txt (its first events): chat objects also carry created_at,
//   section_id and an empty required_action {type "", submit_tool_outputs {tool_calls []}}; a
//   verbose "generate_answer_finish" message before chat.completed.
// - cozepy chat_failed_resp.txt: conversation.chat.failed {…, failed_at, last_error {code 5000,
//   msg "event interval error"}, status "failed"} and no done after it.
// - chat_v3.md 流式响应示例: function_call messages (content a JSON text {name, arguments,
//   plugin_id, api_id, plugin_type}), tool_response, follow_up (one completed message each).
// - required_action: {type "submit_tool_outputs", submit_tool_outputs {tool_calls [{id, type
//   "function", function {name, arguments (JSON text)}}]}}, status "requires_action": chat_v3.md's
//   and chat_submit_tool_outputs.md's non-streamed example, cozepy ChatRequiredAction, coze-go
//   ChatToolCall. No recorded stream holds conversation.chat.requires_action: its data here is
//   that chat object, followed by done (no evidence for the order in a stream).
// - After submit_tool_outputs: coze-go chats_test.go mocks a stream that begins with
//   conversation.chat.in_progress; no recording of a real one (no evidence beyond that).
// - reasoning_content on answer messages: coze-js ChatV3Message and chat_v3.md name it (deep
//   thinking models); no fixture holds one (no evidence for where it streams: here, on deltas).
// - Coze Studio (coze-studio@4f786d6a application/conversation/openapi_agent_run.go pullStream,
//   build_chunk_event.go, api/model/conversation/run ChatV3ChatDetail / ChatV3MessageDetail):
//   no id lines; chat objects {id, conversation_id, bot_id, created_at, completed_at, failed_at,
//   status, usage, section_id} (no last_error, no required_action); messages {id,
//   conversation_id, bot_id, role, type, content, content_type, chat_id, reasoning_content,
//   created_at, section_id}; the end is `conversation.stream.done` with empty data, never `done`;
//   it never sends requires_action; a failure is `error` {"code": 103100001, "msg": "code=… message=…\nstack=…"}.
import type { SimEvent } from './event-stream';
import type { Flavour } from './flavours';

export interface BotChatIds {
	botId: string;
	conversationId: string;
	chatId: string;
}

export interface SimToolCall {
	id: string;
	name: string;
	/** Sent as given when text, as JSON text otherwise. */
	arguments: unknown;
	type?: string;
}

type Unnumbered = Omit<SimEvent, 'id'>;

let messageCounter = 0;
const nextMessageId = () => `7460000000000${String(++messageCounter).padStart(6, '0')}`;

/** Builds one bot chat's events as `flavour` sends them. */
export class BotStream {
	readonly events: Unnumbered[] = [];

	constructor(
		readonly flavour: Flavour,
		readonly ids: BotChatIds,
	) {}

	/** The chat begins: chat.created, then chat.in_progress. */
	started(): this {
		this.events.push({ event: 'conversation.chat.created', data: this.chat('created') });
		return this.inProgress();
	}

	inProgress(): this {
		this.events.push({ event: 'conversation.chat.in_progress', data: this.chat('in_progress') });
		return this;
	}

	/** One message in pieces (a delta each), then message.completed whole; reasoning pieces ride on the first deltas. */
	answer(pieces: string[], type = 'answer', reasoning: string[] = []): this {
		const id = nextMessageId();
		const count = Math.max(pieces.length, reasoning.length);
		for (let i = 0; i < count; i++)
			this.events.push({
				event: 'conversation.message.delta',
				data: {
					...this.message(id, type, pieces[i] ?? ''),
					...(reasoning[i] !== undefined ? { reasoning_content: reasoning[i] } : {}),
				},
			});
		this.events.push({
			event: 'conversation.message.completed',
			data: {
				...this.message(id, type, pieces.join('')),
				...(reasoning.length > 0 ? { reasoning_content: reasoning.join('') } : {}),
			},
		});
		return this;
	}

	/** A whole message that comes only completed (function_call, tool_response, follow_up, verbose). */
	whole(type: string, content: string): this {
		this.events.push({
			event: 'conversation.message.completed',
			data: this.message(nextMessageId(), type, content),
		});
		return this;
	}

	/** The cloud's verbose "generate_answer_finish" (the audio fixture); Studio sends none. */
	verbose(): this {
		if (this.flavour === 'studio') return this;
		return this.whole(
			'verbose',
			JSON.stringify({
				msg_type: 'generate_answer_finish',
				data: JSON.stringify({ finish_reason: 0, FinData: '' }),
				from_module: null,
				from_unit: null,
			}),
		);
	}

	/** Audio pieces (base64), as conversation.audio.delta messages (the audio fixture: content_type audio, per cozepy get_audio). */
	audio(base64Pieces: string[]): this {
		const id = nextMessageId();
		for (const piece of base64Pieces)
			this.events.push({
				event: 'conversation.audio.delta',
				data: { ...this.message(id, 'answer', piece), content_type: 'audio' },
			});
		return this;
	}

	/** The bot calls local plugins: a function_call message per call, then requires_action, then done. */
	requiresAction(calls: SimToolCall[]): this {
		if (this.flavour === 'studio')
			throw new Error('Coze Studio never sends requires_action on /v3/chat (openapi_agent_run.go)');
		for (const call of calls)
			this.whole(
				'function_call',
				JSON.stringify({ name: call.name, arguments: argumentsObject(call.arguments) }),
			);
		this.events.push({
			event: 'conversation.chat.requires_action',
			data: {
				...this.chat('requires_action'),
				required_action: {
					type: 'submit_tool_outputs',
					submit_tool_outputs: {
						tool_calls: calls.map((call) => ({
							id: call.id,
							type: call.type ?? 'function',
							function: {
								name: call.name,
								arguments:
									typeof call.arguments === 'string'
										? call.arguments
										: JSON.stringify(call.arguments),
							},
						})),
					},
				},
			},
		});
		return this.done();
	}

	completed(usage = { input_count: 614, output_count: 19 }): this {
		this.events.push({
			event: 'conversation.chat.completed',
			data: {
				...this.chat('completed'),
				completed_at: now(),
				usage: { token_count: usage.input_count + usage.output_count, ...usage },
			},
		});
		return this.done();
	}

	/** The chat fails: the cloud's chat.failed with last_error and no done; Studio's error event, its Go error text and a stack. */
	fails(code: number, msg: string): this {
		if (this.flavour === 'studio') {
			this.events.push({
				event: 'error',
				data: {
					code: 103100001,
					msg: `code=${code} message=${msg}\nstack=goroutine 1 [running]:\nagent_run.go:42`,
				},
			});
			return this;
		}
		this.events.push({
			event: 'conversation.chat.failed',
			data: { ...this.chat('failed'), failed_at: now(), last_error: { code, msg } },
		});
		return this;
	}

	/**
	 * The chat is cancelled (someone called /v3/chat/cancel). Coze Studio writes
	 * `conversation.chat.cancelled`, two l's (coze-studio@4f786d6a agentrun entity const.go), with
	 * its chat object and no done after it (no evidence for what follows). The cloud's status is
	 * `canceled` (cozepy ChatStatus, coze-js ChatStatus), but no SDK lists a
	 * `conversation.chat.canceled` event and no fixture holds one (no evidence): sent here as the
	 * status names it.
	 */
	canceled(): this {
		const status = this.flavour === 'studio' ? 'cancelled' : 'canceled';
		this.events.push({ event: `conversation.chat.${status}`, data: this.chat(status) });
		return this;
	}

	/** The cloud's `error` event {code, msg} (coze-js's type; cozepy chat_error_resp.txt sends {}). */
	error(code: number, msg: string): this {
		this.events.push({ event: 'error', data: { code, msg } });
		return this;
	}

	done(): this {
		this.events.push(
			this.flavour === 'studio'
				? { event: 'conversation.stream.done', data: '' }
				: { event: 'done', data: '"[DONE]"' },
		);
		return this;
	}

	private chat(status: string): Record<string, unknown> {
		const { chatId: id, conversationId: conversation_id, botId: bot_id } = this.ids;
		const base = { id, conversation_id, bot_id, created_at: now() };
		if (this.flavour === 'studio')
			return {
				...base,
				completed_at: 0,
				failed_at: 0,
				status,
				usage: { token_count: 0, output_count: 0, input_count: 0 },
				section_id: conversation_id,
			};
		return {
			...base,
			last_error: { code: 0, msg: '' },
			status,
			usage: { token_count: 0, output_count: 0, input_count: 0 },
			required_action: { type: '', submit_tool_outputs: { tool_calls: [] } },
			section_id: conversation_id,
		};
	}

	private message(id: string, type: string, content: string): Record<string, unknown> {
		const { chatId: chat_id, conversationId: conversation_id, botId: bot_id } = this.ids;
		const base = {
			id,
			conversation_id,
			bot_id,
			role: 'assistant',
			type,
			content,
			content_type: 'text',
			chat_id,
			section_id: conversation_id,
		};
		return this.flavour === 'studio' ? { ...base, created_at: now() } : base;
	}
}

function argumentsObject(value: unknown): unknown {
	if (typeof value !== 'string') return value;
	try {
		return JSON.parse(value) as unknown;
	} catch {
		return value;
	}
}

function now(): number {
	return Math.floor(Date.now() / 1000);
}
