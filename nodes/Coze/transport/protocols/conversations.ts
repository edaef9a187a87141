import { requestCozeJson } from '../http/client';
import type { CozeConnection } from '../http/connection';
import { CozeError } from '../http/coze-error';
import type { CozeEnvelope } from '../http/envelope';
import type { Redactor } from '../http/redaction';

/**
 * Creates an empty Coze conversation and returns its id, or undefined where the server has no
 * such endpoint (HTTP 404): a chat sent without a conversation_id then makes one, whose id the
 * chat's events report. Returns the id exactly as sent (a string: coze-studio's
 * conversation model tags it `json:"id,string"`; cozepy's Conversation.id is str).
 * `POST /v1/conversation/create` takes `bot_id`, `meta_data` and `connector_id` on both servers
 * (coze-studio idl/conversation/conversation_service.thrift; cozepy conversations.create, which
 * cozepy's examples/workflow_chat_stream.py calls before a chatflow's first turn).
 */
export async function createConversation(
	connection: CozeConnection,
	options: { botId?: string; connectorId?: string; metaData?: Record<string, string> },
	signal?: AbortSignal,
): Promise<string | undefined> {
	const body: Record<string, unknown> = {};
	if (options.botId) body.bot_id = options.botId;
	if (options.connectorId) body.connector_id = options.connectorId;
	if (options.metaData) body.meta_data = options.metaData;
	let answer: CozeEnvelope & { data?: { id?: unknown } };
	try {
		answer = await requestCozeJson(connection, {
			method: 'POST',
			path: '/v1/conversation/create',
			// Asking again after a broken connection leaves at worst one empty, unused conversation.
			kind: 'read',
			json: JSON.stringify(body),
			signal,
		});
	} catch (error) {
		if (error instanceof CozeError && error.kind === 'api' && error.httpStatus === 404)
			return undefined;
		throw error;
	}
	const id = answer.data?.id;
	if (
		(typeof id === 'string' && id.trim() !== '') ||
		(typeof id === 'number' && Number.isSafeInteger(id))
	)
		return String(id);
	throw new CozeError('Coze created a conversation but sent no id for it', {
		kind: 'protocol',
		description:
			'The answer of /v1/conversation/create had no data.id. Check the Base URL points at the Coze API, or give a Conversation ID.',
	});
}

/**
 * What a conversation id may be to be kept: Coze's are decimal numbers of 19 digits (an int64
 * on Coze Studio, sent as a string). Any short run of visible ASCII passes, so that a server with
 * ids of another form still works; nothing larger or invisible does, since a kept id is saved
 * with the workflow, once per session.
 */
const KEEPABLE_ID = /^[\x21-\x7e]{1,128}$/;

/**
 * Why a conversation id Coze sent may not be kept (in a workflow's saved data), or undefined: it
 * holds a secret of the credential (`redact` knows them), or it is not an id. The error never
 * quotes the id.
 */
export function conversationIdFault(id: unknown, redact: Redactor): CozeError | undefined {
	if (typeof id === 'string' && redact.finds(id)) {
		return new CozeError('Coze sent a conversation id that holds a secret of the credential', {
			kind: 'protocol',
			description:
				"It is not remembered: the workflow's saved data (and this item) must never hold the token or key. Coze does not do this: check that the credential's Base URL points at the Coze API, or choose Conversation → New Each Time.",
		});
	}
	if (typeof id !== 'string' || !KEEPABLE_ID.test(id)) {
		const what =
			typeof id === 'string'
				? `It is ${id.length} characters long${/[^\x21-\x7e]/.test(id) ? ', with invisible or non-ASCII characters' : ''}`
				: `It is a ${typeof id}`;
		return new CozeError(
			'Coze sent a conversation id that is not one: a Coze conversation id is at most 128 visible ASCII characters',
			{
				kind: 'protocol',
				description: `${what}. It is not remembered, so that the workflow's saved data stays small and readable. Check that the credential's Base URL points at the Coze API, or choose Conversation → New Each Time.`,
			},
		);
	}
	return undefined;
}
