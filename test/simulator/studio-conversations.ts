// Which conversation Coze Studio's chatflow endpoint (POST /v1/workflows/chat) talks in, and what it
// refuses. Evidence: coze-studio@4f786d6a
// - backend/application/workflow/chatflow.go, OpenAPIChatFlowRun:
//   * app_id and bot_id together are refused ("project_id and bot_id cannot be set at the same time");
//     the conversation's owner ("biz id") is the app, else the bot, else none (0);
//   * conversation_id without bot_id: the id must name one of the chatflows' own conversations of that
//     owner and connector (GetConversationNameByID over app_static_/app_dynamic_conversation_*),
//     else "conversation not found". A conversation made by POST /v1/conversation/create is an
//     agent conversation (application/conversation/conversation.go, Scene_SceneOpenApi) and is
//     never one of those: coze-studio issue 2486 shows exactly this refusal;
//   * conversation_id with bot_id: any conversation, under the name "Default";
//   * no conversation_id: parameters.CONVERSATION_NAME is required ("conversation name is requried",
//     Studio's spelling) and the conversation of that name, per owner, connector and user, is
//     found or made (domain/workflow/service/conversation_impl.go GetOrCreateConversation).
// - Every refusal leaves OpenAPIChatFlowRun wrapped as ErrWorkflowOperationFail, 777777775, whose
//   message types/errno/workflow.go registers as "Workflow operation failure: {cause}"; the handler
//   (api/handler/coze/workflow_service.go → api/internal/httputil/error_resp.go InternalError)
//   answers it with HTTP 200 {"code":777777775,"msg":"Workflow operation failure: <cause>"},
//   the body issue 2486 quotes.
// The simulator has one user; the connector is the request's connector_id, or the API's (1024).

/** Coze Studio's ErrWorkflowOperationFail. */
export const STUDIO_WORKFLOW_OPERATION_FAIL = 777777775;

/** What the simulator knows of a conversation: who made it, for Studio's check. */
export interface ConversationOrigin {
	/** Made by a chatflow by name, for this owner and connector; absent for /v1/conversation/create's agent conversations. */
	workflowScope?: string;
}

export type StudioConversation =
	{ conversationId: string } | { refusal: { code: number; msg: string } };

/** Studio's refusal of a chat, as its handler writes it. */
export function studioRefusal(cause: string): { code: number; msg: string } {
	return { code: STUDIO_WORKFLOW_OPERATION_FAIL, msg: `Workflow operation failure: ${cause}` };
}

/**
 * The conversation a Studio chat turn talks in, or Studio's refusal. `origins` holds every
 * conversation the simulator knows; `byName` the chatflows' named ones, by scope and name;
 * `create` makes a new conversation id (and registers it).
 */
export function studioConversation(
	body: Record<string, unknown>,
	origins: Map<string, ConversationOrigin>,
	byName: Map<string, string>,
	create: (origin: ConversationOrigin) => string,
): StudioConversation {
	const appId = idOf(body.app_id);
	const botId = idOf(body.bot_id);
	if (appId && botId)
		return { refusal: studioRefusal('project_id and bot_id cannot be set at the same time') };
	const scope = `${appId ?? botId ?? '0'}\u0000${idOf(body.connector_id) ?? '1024'}`;
	const conversationId = idOf(body.conversation_id);
	if (conversationId) {
		const origin = origins.get(conversationId);
		if (!origin || (!botId && origin.workflowScope !== scope))
			return { refusal: studioRefusal('conversation not found') };
		return { conversationId };
	}
	const name = (body.parameters as Record<string, unknown> | undefined)?.CONVERSATION_NAME;
	if (typeof name !== 'string') return { refusal: studioRefusal('conversation name is requried') };
	const key = `${scope}\u0000${name}`;
	let named = byName.get(key);
	if (!named) {
		named = create({ workflowScope: scope });
		byName.set(key, named);
	}
	return { conversationId: named };
}

function idOf(value: unknown): string | undefined {
	return typeof value === 'string' && value !== ''
		? value
		: typeof value === 'number'
			? String(value)
			: undefined;
}
