// The chat events each real server sends for a chatflow turn (POST /v1/workflows/chat), one
// builder per flavour. Every shape names its evidence; a field sent without evidence says so.
//
// Evidence read:
// - cozepy tests/testdata/workflows_chat_stream_resp.txt (6b0f4cdf): the cloud's recorded
//   chatflow turn. `conversation.chat.created` {id, conversation_id, created_at, last_error
//   {code 0, msg ""}, status "created", usage zeros, section_id}; `conversation.message.delta`
//   {id, conversation_id, role "assistant", type "answer", content (the next piece only),
//   content_type "text", chat_id, section_id}; `conversation.message.completed` the same with the
//   whole content and created_at; a `verbose` completed message {"msg_type":
//   "generate_answer_finish",…}; `conversation.chat.completed` with completed_at and usage;
//   `done` {"debug_url":…}. No id lines.
// - cozepy tests/testdata/chat_failed_resp.txt: `conversation.chat.failed` with last_error
//   {code 5000, msg}.
// - coze-studio backend/application/workflow/chatflow.go (4f786d6a, convertToChatFlowRunResponseList)
//   and api/handler/coze/workflow_service.go (sendChatFlowStreamRunSSE): Studio numbers events
//   from 1; created/in_progress {id, conversation_id, status, execute_id, section_id}; messages
//   {id, chat_id, conversation_id, bot_id ("0" without an app or bot), role, type, content,
//   content_type, section_id}, only `answer` ones; the last delta, then message.completed whole;
//   chat.completed with usage whose token_count is output_count twice (a Studio bug);
//   done {debug_url}. A question or input node: its question as an answer message (delta only
//   for text, then completed), then `conversation.chat.requires_action` {…, status
//   "requires_action"} and done; the next user message in the conversation answers it. A failed
//   run: `event: error` {"code": "<string>", "msg", "debug_url"} and nothing after it.
import type { SimEvent } from './event-stream';
import type { Flavour } from './flavours';

export interface ChatIds {
	conversationId: string;
	chatId: string;
	sectionId: string;
	executeId: string;
	debugUrl: string;
}

type Unnumbered = Omit<SimEvent, 'id'>;

let messageCounter = 0;
const nextMessageId = () => `7450000000000${String(++messageCounter).padStart(6, '0')}`;

/** Builds one chat turn's events as `flavour` sends them. */
export class ChatStream {
	readonly events: Unnumbered[] = [];

	constructor(
		readonly flavour: Flavour,
		readonly ids: ChatIds,
	) {}

	/** The turn begins: chat.created, then chat.in_progress. */
	started(): this {
		this.events.push({ event: 'conversation.chat.created', data: this.chat('created') });
		this.events.push({ event: 'conversation.chat.in_progress', data: this.chat('in_progress') });
		return this;
	}

	/** One answer message, in pieces: a delta per piece, then message.completed with the whole text. */
	answer(pieces: string[], type = 'answer'): this {
		const id = nextMessageId();
		for (const piece of pieces)
			this.events.push({
				event: 'conversation.message.delta',
				data: this.message(id, type, piece),
			});
		this.events.push({
			event: 'conversation.message.completed',
			data: {
				...this.message(id, type, pieces.join('')),
				...(this.flavour === 'cloud' ? { created_at: now() } : {}),
			},
		});
		return this;
	}

	/** Follow-up suggestions: completed messages of type follow_up (Studio sends them only when asked for with suggest_reply_info). */
	followUps(texts: string[]): this {
		for (const text of texts)
			this.events.push({
				event: 'conversation.message.completed',
				data: this.message(nextMessageId(), 'follow_up', text),
			});
		return this;
	}

	/** The cloud's verbose "generate_answer_finish" message (cozepy fixture); Studio sends none. */
	verbose(): this {
		if (this.flavour === 'cloud') {
			const content = JSON.stringify({
				msg_type: 'generate_answer_finish',
				data: JSON.stringify({ finish_reason: 0, FinData: '' }),
				from_module: null,
				from_unit: null,
			});
			this.events.push({
				event: 'conversation.message.completed',
				data: this.message(nextMessageId(), 'verbose', content),
			});
		}
		return this;
	}

	/** The chat completed, with usage, then done. */
	completed(usage = { input_count: 21, output_count: 11 }): this {
		const studioUsage = {
			token_count: usage.output_count + usage.output_count,
			output_count: usage.output_count,
			input_count: usage.input_count,
		};
		const cloudUsage = { token_count: usage.input_count + usage.output_count, ...usage };
		this.events.push({
			event: 'conversation.chat.completed',
			data:
				this.flavour === 'cloud'
					? { ...this.chat('completed'), completed_at: now(), usage: cloudUsage }
					: { ...this.chat('completed'), usage: studioUsage },
		});
		return this.done();
	}

	/**
	 * A question node asks: its question as an answer message, then requires_action and done
	 * (Studio's chatflow.go). The cloud's shape for this is in no fixture (no evidence): the same.
	 */
	asks(question: string): this {
		this.answer([question]);
		this.events.push({
			event: 'conversation.chat.requires_action',
			data: this.chat('requires_action'),
		});
		return this.done();
	}

	/**
	 * The chatflow fails: Studio's `error` with a string code and nothing after; the cloud's
	 * chat.failed then done, its reason in `last_error` (cozepy's chat_failed_resp.txt) or, as
	 * Coze's chatflow page shows it (`documented`), as the whole data: {"code":"<string>","msg":…}
	 * (coze-sdk-gen docs/api-markdown/workflow_chat.md, 执行失败: {"code": "720702204","msg": "会话名不存在"}).
	 */
	fails(code: number, msg: string, shape: 'last_error' | 'documented' = 'last_error'): this {
		if (this.flavour === 'studio') {
			this.events.push({
				event: 'error',
				data: { code: String(code), msg, debug_url: this.ids.debugUrl },
			});
			return this;
		}
		const data =
			shape === 'documented'
				? { code: String(code), msg }
				: { ...this.chat('failed'), last_error: { code, msg } };
		this.events.push({ event: 'conversation.chat.failed', data });
		return this.done();
	}

	done(): this {
		this.events.push({ event: 'done', data: { debug_url: this.ids.debugUrl } });
		return this;
	}

	/** Numbered as the server numbers them: Studio from 1, the cloud not at all. */
	numbered(): SimEvent[] {
		return this.flavour === 'studio'
			? this.events.map((event, i) => ({ ...event, id: i + 1 }))
			: this.events;
	}

	private chat(status: string): Record<string, unknown> {
		const {
			chatId: id,
			conversationId: conversation_id,
			sectionId: section_id,
			executeId,
		} = this.ids;
		if (this.flavour === 'studio')
			return { id, conversation_id, status, execute_id: executeId, section_id };
		return {
			id,
			conversation_id,
			created_at: now(),
			last_error: { code: 0, msg: '' },
			status,
			usage: { token_count: 0, output_count: 0, input_count: 0 },
			section_id,
		};
	}

	private message(id: string, type: string, content: string): Record<string, unknown> {
		const { chatId: chat_id, conversationId: conversation_id, sectionId: section_id } = this.ids;
		const base = {
			id,
			conversation_id,
			role: 'assistant',
			type,
			content,
			content_type: 'text',
			chat_id,
			section_id,
		};
		return this.flavour === 'studio' ? { ...base, bot_id: '0' } : base;
	}
}

function now(): number {
	return Math.floor(Date.now() / 1000);
}
