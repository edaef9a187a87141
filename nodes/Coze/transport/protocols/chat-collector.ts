import { CozeError } from '../http/coze-error';
import { DEFAULT_POLICY, megabytes } from '../http/policy';
import type { ChatDetailData, ChatMessageData, ChatStreamEvent } from './chat-events';
import { botChatAdvice } from './bot-errors';
import { errorCode } from './error-code';

/** One message of the turn, its pieces joined (or as `message.completed` gave it whole). */
export interface CollectedChatMessage {
	id?: string;
	/** answer, follow_up, verbose, tool_output, … */
	type: string;
	role?: string;
	content: string;
	content_type?: string;
	reasoning_content?: string;
}

export interface CollectedChat {
	/** The answer messages' text, joined by a blank line (a chatflow with two Output nodes answers twice). */
	answer: string;
	/** Every message of the turn, answers included, in the order they began. */
	messages: CollectedChatMessage[];
	conversationId?: string;
	chatId?: string;
	sectionId?: string;
	/** The bot that answered, as the chat's events name it (a bot's chat; Studio's chatflows send "0"). */
	botId?: string;
	/**
	 * `completed`, or `requires_action`: the chatflow waits, either for the user (a question or
	 * input node asks by answering, and the next message in the conversation answers it) or, on
	 * the cloud, for tool outputs (`requiredAction`).
	 */
	status: 'completed' | 'requires_action';
	requiredAction?: unknown;
	usage?: ChatDetailData['usage'];
	debugUrl?: string;
}

/** The answer messages' text of a turn, joined by a blank line (a chatflow with two Output nodes answers twice). */
export function answerOf(messages: CollectedChatMessage[]): string {
	return messages
		.filter((message) => message.type === 'answer')
		.map((message) => message.content)
		.join('\n\n');
}

/** A chat that failed part-way: the messages that had arrived, so none is lost. */
export class ChatFailure extends Error {
	constructor(
		readonly failure: unknown,
		readonly messages: CollectedChatMessage[],
		readonly conversationId: string | undefined,
		/** Who was answering, as the failed item names it ({workflow_id} or {bot_id}): the operation's to say. */
		readonly about: Record<string, string> = {},
	) {
		super(failure instanceof Error ? failure.message : String(failure));
		this.name = 'ChatFailure';
	}
}

/**
 * Reads a chat turn's events to its end: `done`, or a chat that completed or requires action
 * (what follows those is only the debug URL). `error`, `conversation.chat.failed`, or a stream
 * that stops before the chat ended are failures.
 */
export async function collectChat(
	batches: AsyncIterable<ChatStreamEvent[]>,
	maxOutputBytes = DEFAULT_POLICY.maxOutputBytes,
	/** Who answers, for the messages: a chatflow (/v1/workflows/chat) or a bot (/v3/chat). */
	partner: 'chatflow' | 'bot' = 'chatflow',
): Promise<CollectedChat> {
	const turn = new ChatTurn(maxOutputBytes, partner);
	try {
		for await (const batch of batches) {
			for (const event of batch) if (turn.take(event)) return turn.result();
		}
	} catch (error) {
		throw new ChatFailure(error, turn.messages(), turn.conversationId);
	}
	if (turn.status) return turn.result();
	const arrived = turn.messages();
	throw new ChatFailure(
		new CozeError(
			`The Coze chat stream ended before the chat finished: no done or conversation.chat.completed event came, after ${arrived.length} message${arrived.length === 1 ? '' : 's'}`,
			{
				kind: 'protocol',
				description: `The connection was closed early (a proxy or load balancer timeout, or Coze itself). The ${partner} may still be answering in Coze.`,
			},
		),
		arrived,
		turn.conversationId,
	);
}

/**
 * Why a chat failed, from either shape: `last_error` {code, msg} (cozepy's recorded stream; its
 * code 0 and msg "" mean none) or {code, msg} at the top of the data (Coze's chatflow page).
 */
function failedReason(data: ChatDetailData): { code?: number; msg?: string } {
	const lastError = data.last_error ?? {};
	const code = [lastError.code, data.code]
		.map(errorCode)
		.find((candidate) => candidate !== undefined && candidate !== 0);
	const msg = [lastError.msg, data.msg].find(
		(candidate): candidate is string => typeof candidate === 'string' && candidate.trim() !== '',
	);
	return { code, msg };
}

class ChatTurn {
	private readonly byKey = new Map<string, CollectedChatMessage>();
	private readonly completed = new Set<string>();
	private unnamed = 0;
	private bytes = 0;
	conversationId?: string;
	private chatId?: string;
	private sectionId?: string;
	private botId?: string;
	status?: CollectedChat['status'];
	private requiredAction?: unknown;
	private usage?: ChatDetailData['usage'];
	private debugUrl?: string;

	constructor(
		private readonly maxOutputBytes: number,
		private readonly partner: 'chatflow' | 'bot',
	) {}

	/** Takes in one event; true once the turn is over. */
	take(event: ChatStreamEvent): boolean {
		switch (event.type) {
			case 'message.delta':
			case 'message.completed':
				this.note(event.data.conversation_id, event.data.chat_id, event.data.section_id);
				this.message(event.data, event.type === 'message.completed');
				return false;
			case 'chat.created':
			case 'chat.in_progress':
				this.note(event.data.conversation_id, event.data.id, event.data.section_id);
				if (typeof event.data.bot_id === 'string') this.botId ??= event.data.bot_id;
				return false;
			case 'chat.completed':
			case 'chat.requires_action':
				this.note(event.data.conversation_id, event.data.id, event.data.section_id);
				this.status = event.type === 'chat.completed' ? 'completed' : 'requires_action';
				this.usage = event.data.usage ?? this.usage;
				this.requiredAction = event.data.required_action;
				return false;
			case 'chat.failed': {
				const { code, msg } = failedReason(event.data);
				throw new CozeError(
					`The Coze chat failed${code ? ` with error ${code}` : ''}: ${msg || 'no message'}`,
					{
						kind: 'api',
						cozeCode: code,
						description:
							this.partner === 'bot'
								? `Coze reported the chat as failed (conversation.chat.failed). ${botChatAdvice(code)}`
								: 'Coze reported the chat as failed (conversation.chat.failed). Check the chatflow in Coze.',
					},
				);
			}
			case 'chat.canceled':
				throw new CozeError('The Coze chat was cancelled before it finished', {
					kind: 'api',
					description: `Someone or something cancelled this chat in Coze (/v3/chat/cancel) while the ${this.partner} was answering. Send the message again.`,
				});
			case 'error': {
				const { code, msg, debug_url: debugUrl } = event.data;
				throw new CozeError(
					`The Coze ${this.partner} failed${code === undefined ? '' : ` with error ${code}`}: ${msg}`,
					{
						kind: 'api',
						cozeCode: code,
						debugUrl,
						description: debugUrl
							? `See the run in Coze: ${debugUrl}`
							: this.partner === 'bot'
								? botChatAdvice(code)
								: "See the chatflow's run history in Coze.",
					},
				);
			}
			case 'done':
				this.debugUrl = event.data.debug_url;
				this.status ??= 'completed';
				return true;
		}
	}

	result(): CollectedChat {
		const messages = this.messages();
		return {
			answer: answerOf(messages),
			messages,
			conversationId: this.conversationId,
			chatId: this.chatId,
			sectionId: this.sectionId,
			...(this.botId ? { botId: this.botId } : {}),
			status: this.status ?? 'completed',
			...(this.requiredAction === undefined ? {} : { requiredAction: this.requiredAction }),
			...(this.usage ? { usage: this.usage } : {}),
			...(this.debugUrl ? { debugUrl: this.debugUrl } : {}),
		};
	}

	messages(): CollectedChatMessage[] {
		return [...this.byKey.values()];
	}

	private note(conversationId?: string, chatId?: string, sectionId?: string): void {
		this.conversationId ??= conversationId;
		this.chatId ??= chatId;
		this.sectionId ??= sectionId;
	}

	private message(data: ChatMessageData, whole: boolean): void {
		const type = data.type ?? 'answer';
		// A message without an id (none is known) stands alone.
		const key = data.id ? `${type}\u0000${data.id}` : `\u0000${this.unnamed++}`;
		const content = data.content ?? '';
		let message = this.byKey.get(key);
		if (!message) {
			message = {
				...(data.id ? { id: data.id } : {}),
				type,
				role: data.role,
				content: '',
				content_type: data.content_type,
			};
			this.byKey.set(key, message);
		}
		if (this.completed.has(key)) return;
		if (whole) {
			// The whole text is what the pieces add up to (coze-studio chatflow.go, cozepy's fixture); it is the one kept.
			this.count(
				content.length > message.content.length ? content.slice(message.content.length) : '',
			);
			message.content = content;
			this.completed.add(key);
		} else {
			this.count(content);
			message.content += content;
		}
		if (data.reasoning_content !== undefined)
			message.reasoning_content = whole
				? data.reasoning_content
				: (message.reasoning_content ?? '') + data.reasoning_content;
		message.content_type ??= data.content_type;
	}

	/** Counts text against Max Output Size before it is kept. */
	private count(text: string): void {
		this.bytes += Buffer.byteLength(text, 'utf8');
		if (this.bytes <= this.maxOutputBytes) return;
		throw new CozeError(
			`The Coze chat sent more than Max Output Size (${megabytes(this.maxOutputBytes)}) of messages`,
			{
				kind: 'protocol',
				description:
					"Raise Max Output Size in the node's Request Options if n8n has the memory for it.",
			},
		);
	}
}
