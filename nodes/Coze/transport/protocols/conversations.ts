import { requestCozeJson } from '../http/client';
import type { CozeConnection } from '../http/connection';
import { CozeError } from '../http/coze-error';
import type { CozeEnvelope } from '../http/envelope';

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
		if (error instanceof CozeError && error.kind === 'api' && error.httpStatus === 404) return undefined;
		throw error;
	}
	const id = answer.data?.id;
	if ((typeof id === 'string' && id.trim() !== '') || (typeof id === 'number' && Number.isSafeInteger(id))) return String(id);
	throw new CozeError('Coze created a conversation but sent no id for it', {
		kind: 'protocol',
		description: 'The answer of /v1/conversation/create had no data.id. Check the Base URL points at the Coze API, or give a Conversation ID.',
	});
}
