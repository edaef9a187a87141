import { createHash } from 'node:crypto';

import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { processCache, type Redactor } from '../../transport/http';
import { conversationIdFault } from '../../transport/protocols/conversations';

/** The most chat sessions one node remembers; the least recently used is forgotten first. */
export const MAX_REMEMBERED_SESSIONS = 1000;

/** The most sessions (of every workflow and node) the process remembers, the least recently used going first. */
export const MAX_SESSIONS_IN_PROCESS = MAX_REMEMBERED_SESSIONS * 10;

/** Who a chat talks to: a chatflow or a bot (智能体). */
export type ChatPartner = { workflowId: string } | { botId: string };

/**
 * The partner's part of a session's key: a chatflow's id alone (the key sessions were saved under
 * before bots came, so they are found again), a bot's id marked as one.
 */
function partnerKey(partner: ChatPartner): string {
	return 'botId' in partner ? `bot:${partner.botId}` : partner.workflowId;
}

/** Manual executions (testing in the editor) do not save static data: the process remembers for them. */
const inProcess = processCache<string, string>('conversations', {
	maxEntries: MAX_SESSIONS_IN_PROCESS,
});

/** Conversation ids by session key, least recently used first (object keys keep insertion order). */
type Remembered = Record<string, string>;

/**
 * Conversations being created, so that two items or executions of one new session in this process
 * share one. Bounded by the requests under way: each leaves once Coze answers (or the request fails).
 */
const creating = new Map<string, Promise<string | undefined>>();

/**
 * Which Coze conversation each chat session talks in, for one Coze node. Kept in the workflow's
 * static data, which n8n saves after each production execution, in queue mode by the worker
 * that ran it, and loads at the start of the next: so a session keeps its conversation across
 * executions and processes. Sessions are stored by a hash of server, chatflow or bot, and session id (a
 * session id may be personal), bounded to MAX_REMEMBERED_SESSIONS.
 *
 * n8n writes static data whole at the end of an execution: when two executions of the workflow
 * run at once, the one that ends last wins, and a session first seen by the other is forgotten
 * (its next message starts a new conversation).
 *
 * Only ids a Coze server would send are remembered, and none that holds a secret of the
 * credential (`redact` knows them): static data is saved with the workflow, unredacted. What
 * passes is the protocol's rule for a conversation id (conversationIdFault).
 */
export class ConversationMemory {
	private readonly store: Remembered;

	constructor(
		private readonly context: IExecuteFunctions,
		private readonly scope: { baseUrl: string; partner: ChatPartner },
		private readonly redact: Redactor,
	) {
		const staticData = context.getWorkflowStaticData('node') as IDataObject;
		staticData.cozeConversations ??= {};
		this.store = staticData.cozeConversations as Remembered;
	}

	recall(sessionId: string): string | undefined {
		const key = this.key(sessionId);
		const remembered: unknown = this.store[key] ?? inProcess.get(this.processKey(key));
		if (!remembered) return undefined;
		// Saved before ids were checked (or changed by hand): forgotten, and the session starts anew.
		if (this.refusal(remembered)) {
			delete this.store[key];
			inProcess.delete(this.processKey(key));
			return undefined;
		}
		this.remember(sessionId, remembered as string);
		return remembered as string;
	}

	/** The session's conversation, or the one `create` makes (once, however many ask at the same time); `create` may make none. */
	async recallOrCreate(
		sessionId: string,
		create: () => Promise<string | undefined>,
	): Promise<string | undefined> {
		const remembered = this.recall(sessionId);
		if (remembered) return remembered;
		const processKey = this.processKey(this.key(sessionId));
		let pending = creating.get(processKey);
		if (!pending) {
			pending = create().finally(() => creating.delete(processKey));
			creating.set(processKey, pending);
		}
		const conversationId = await pending;
		if (conversationId) this.remember(sessionId, conversationId);
		return conversationId;
	}

	/** Remembers the session's conversation, or throws why Coze's id for it cannot be remembered. */
	remember(sessionId: string, conversationId: string): void {
		const refused = this.refusal(conversationId);
		if (refused) throw refused;
		const key = this.key(sessionId);
		// Re-inserted, so that insertion order is the order of use.
		delete this.store[key];
		this.store[key] = conversationId;
		const keys = Object.keys(this.store);
		for (const old of keys.slice(0, Math.max(0, keys.length - MAX_REMEMBERED_SESSIONS)))
			delete this.store[old];

		inProcess.set(this.processKey(key), conversationId);
	}

	/**
	 * The CONVERSATION_NAME of the session's conversation where the chatflow finds or makes it by
	 * name (Coze Studio): the session's key, so that the same session finds the same conversation
	 * even where its id was forgotten, and the name does not show the session id.
	 */
	conversationName(sessionId: string): string {
		return `n8n-${this.key(sessionId)}`;
	}

	/** Why `id` may not be remembered (conversations.ts: a secret, or not an id), or undefined. */
	private refusal(id: unknown): Error | undefined {
		return conversationIdFault(id, this.redact);
	}

	private key(sessionId: string): string {
		return createHash('sha256')
			.update(`${this.scope.baseUrl}\u0000${partnerKey(this.scope.partner)}\u0000${sessionId}`)
			.digest('base64url')
			.slice(0, 32);
	}

	/** In-process memory is shared by every workflow and node of this n8n process. */
	private processKey(key: string): string {
		return `${this.context.getWorkflow().id ?? ''}\u0000${this.context.getNode().name}\u0000${key}`;
	}
}

/** The most servers whose kind one process remembers, the least recently used going first. */
export const MAX_REMEMBERED_SERVERS = 100;

/**
 * Servers (by base URL) whose chatflows take only conversations a chatflow made, as Coze Studio's
 * do: learned from their refusal, so that this process makes later conversations there by name
 * at once instead of asking /v1/conversation/create first.
 */
const chatflowConversationsOnly = processCache<string, true>(
	'servers-taking-only-chatflow-conversations',
	{ maxEntries: MAX_REMEMBERED_SERVERS },
);

export function takesOnlyChatflowConversations(baseUrl: string): boolean {
	return chatflowConversationsOnly.get(baseUrl) === true;
}

export function learnTakesOnlyChatflowConversations(baseUrl: string): void {
	chatflowConversationsOnly.set(baseUrl, true);
}
