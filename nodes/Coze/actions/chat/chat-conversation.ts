import { randomUUID } from 'node:crypto';

import type { IDataObject } from 'n8n-workflow';

import { CozeError, RawJson, type CozeConnection } from '../../transport/http';
import { createConversation } from '../../transport/protocols/conversations';
import {
	learnTakesOnlyChatflowConversations,
	takesOnlyChatflowConversations,
} from './conversation-memory';
import type { ConversationSetting } from './conversation-setting';

/** The start-node input by which a chatflow finds or makes its conversation when no conversation_id is sent. */
const CONVERSATION_NAME = 'CONVERSATION_NAME';

/**
 * Coze Studio's ErrWorkflowOperationFail (types/errno/workflow.go), "Workflow operation failure:
 * {cause}": how its chatflow endpoint refuses a turn before it runs, among others a conversation
 * that is not one of its chatflows' own (application/workflow/chatflow.go, "conversation not found").
 */
export const STUDIO_WORKFLOW_OPERATION_FAIL = 777777775;

/** Which conversation a turn is sent in: an id, or (no id) the CONVERSATION_NAME to add to the parameters, if any. */
export interface ConversationChoice {
	conversationId?: string;
	name?: string;
	/** The id came from the node (made by /v1/conversation/create, or remembered), not from the user. */
	chosenByNode?: boolean;
}

/**
 * The conversation of a chat turn in the modes where the node chooses it (Remember per Chat
 * Session, New Each Time).
 *
 * The cloud's way comes first: a conversation made by POST /v1/conversation/create, its id sent
 * with the turn (cozepy's examples/workflow_chat_stream.py). Coze Studio's chatflows refuse such a
 * conversation (an agent conversation) unless a Bot ID is given; they take one they made
 * themselves, found or made by CONVERSATION_NAME when no id is sent, whose id the turn's events
 * report (coze-studio application/workflow/chatflow.go OpenAPIChatFlowRun; coze-studio issue
 * 2486). The node goes by what the server answers rather than by the credential's Region
 * (Custom may be any Coze-compatible address): Studio's refusal, code 777777775 before anything
 * ran, makes the node send the turn again by name, and remember for this process that the server
 * wants names. The name of a session's conversation is fixed (conversation-memory.ts), so a
 * session whose remembered id was lost finds its conversation again. A name is never sent to the
 * cloud unasked: there an unknown name fails the chat (workflow_chat.md, 720702204 "会话名不存在").
 */
export class ChatConversation {
	constructor(
		private readonly connection: CozeConnection,
		private readonly options: {
			setting: ConversationSetting;
			/** The bot the conversation is made for: a bot's chat, or a chatflow that runs as an agent. */
			botId?: string;
			connectorId?: string;
			/** A chatflow's Parameters give its CONVERSATION_NAME themselves (namesConversation). */
			namedByUser?: boolean;
			/**
			 * A bot's chat (/v3/chat): it makes a new conversation itself when none is sent (New Each
			 * Time sends none), and takes one made by /v1/conversation/create on every server, Coze
			 * Studio's included (its agent conversations: application/conversation/conversation.go).
			 */
			forBot?: boolean;
		},
		private readonly signal?: AbortSignal,
	) {}

	/** The conversation of the turn's first try. */
	async first(): Promise<ConversationChoice> {
		const { session } = this.options.setting;
		const remembered = session?.memory.recall(session.id);
		if (remembered) return { conversationId: remembered, chosenByNode: true };
		// A CONVERSATION_NAME of the user's own is Coze's to find; the id it reports is remembered after the turn.
		if (this.options.namedByUser) return {};
		if (!session && this.options.forBot) return {};
		if (!this.options.forBot && takesOnlyChatflowConversations(this.connection.baseUrl))
			return { name: this.nodeName() };
		const create = () =>
			createConversation(
				this.connection,
				{ botId: this.options.botId, connectorId: this.options.connectorId },
				this.signal,
			);
		const conversationId = session
			? await session.memory.recallOrCreate(session.id, create)
			: await create();
		return conversationId ? { conversationId, chosenByNode: true } : {};
	}

	/**
	 * The conversation to try once more after `error` refused `tried`, or undefined when another
	 * try would not help: Coze Studio's refusal (777777775) of a conversation the node chose.
	 */
	afterRefusal(tried: ConversationChoice, error: unknown): ConversationChoice | undefined {
		if (!tried.chosenByNode || !isStudioRefusal(error)) return undefined;
		learnTakesOnlyChatflowConversations(this.connection.baseUrl);
		return this.options.namedByUser ? {} : { name: this.nodeName() };
	}

	private nodeName(): string {
		const { session } = this.options.setting;
		return session ? session.memory.conversationName(session.id) : `n8n-${randomUUID()}`;
	}
}

/** Coze Studio refused to start a chatflow turn (HTTP 200 with its code, before any event). */
export function isStudioRefusal(error: unknown): error is CozeError {
	return (
		error instanceof CozeError &&
		error.kind === 'api' &&
		error.cozeCode === STUDIO_WORKFLOW_OPERATION_FAIL
	);
}

/** Studio's refusal of a Conversation ID the user gave, with what it takes instead. */
export function explainConversationRefusal(error: unknown): unknown {
	if (!isStudioRefusal(error)) return error;
	return error.with({
		description: [
			'Coze Studio could not start the chatflow with this request: see its message.',
			'If it says "conversation not found", the Conversation ID is not one Studio\'s chatflows take: without a Bot ID, a chatflow takes only a conversation made by a chatflow (the conversation_id of an earlier Chat item), not one made by /v1/conversation/create.',
			'Choose Conversation → Remember per Chat Session or New Each Time and the node gets such a conversation itself.',
			error.description,
		]
			.filter(Boolean)
			.join(' '),
	});
}

/** The parameters with the CONVERSATION_NAME to send (typed JSON keeps every digit: the name is written in before its closing brace). */
export function withConversationName(
	parameters: RawJson | IDataObject,
	name: string | undefined,
): RawJson | IDataObject {
	if (name === undefined) return parameters;
	if (!(parameters instanceof RawJson)) return { ...parameters, [CONVERSATION_NAME]: name };
	const text = parameters.text.trim();
	const added = `${JSON.stringify(CONVERSATION_NAME)}:${JSON.stringify(name)}`;
	return new RawJson(
		/^\{\s*\}$/.test(text) ? `{${added}}` : `${text.slice(0, -1).trimEnd()},${added}}`,
	);
}

/** Whether the Parameters (typed JSON or an object from an expression) name the conversation themselves. */
export function namesConversation(parameters: RawJson | IDataObject): boolean {
	const value =
		parameters instanceof RawJson ? (JSON.parse(parameters.text) as IDataObject) : parameters;
	const name = Object.hasOwn(value, CONVERSATION_NAME) ? value[CONVERSATION_NAME] : undefined;
	return typeof name === 'string' && name.trim() !== '';
}
