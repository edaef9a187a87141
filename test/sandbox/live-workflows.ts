// Active workflows that stream a Coze node's text to whoever called them: a Webhook in Streaming
// response mode and n8n's Chat Trigger (public, hosted, streaming), each to a workflow's run or
// chat and to a bot's chat, and the bot example (examples/bot-tool-calls.json) made public. The
// end-to-end test and bench/first-chunk import them into a real n8n.
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { root } from '../n8n/n8n';
import { SANDBOX_CREDENTIAL } from './sandbox';

/** Webhook paths and the Chat Triggers' webhook ids: `/webhook/<path>`, `/webhook/<id>/chat`. */
export const LIVE_PATHS = {
	streaming: 'coze-live',
	whole: 'coze-whole',
	botStreaming: 'coze-bot-live',
	botWhole: 'coze-bot-whole',
	chatWebhookId: '3f1c6a52-8d4e-4b7a-9c1e-5a2b7d9e0f11',
	botChatWebhookId: '3f1c6a52-8d4e-4b7a-9c1e-5a2b7d9e0f12',
	toolCallsWebhookId: '3f1c6a52-8d4e-4b7a-9c1e-5a2b7d9e0f13',
};

/** The Coze node of a live workflow: version 1 for the workflow's Run and Chat (as saved before version 2), 2 for a bot's. */
const cozeNode = (parameters: Record<string, unknown>, typeVersion = 1) => ({
	id: 'c0c0c0c0-0000-4000-8000-000000000002',
	name: 'Coze',
	type: 'n8n-nodes-coze-workflow.coze',
	typeVersion,
	position: [240, 0],
	parameters,
	credentials: { cozeApi: SANDBOX_CREDENTIAL },
});

const toCoze = (from: string) => ({
	[from]: { main: [[{ node: 'Coze', type: 'main', index: 0 }]] },
});

/** Webhook (POST /webhook/<path>) → Coze Run of the workflow named in the body's workflow_id. */
function webhookRun(id: string, path: string, responseMode: 'streaming' | 'lastNode') {
	return {
		id,
		name: `Live: webhook (${responseMode}) → Coze Run`,
		active: true,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: `${id.slice(0, 8)}-0000-4000-8000-000000000001`,
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				// Streaming response mode came with 2.1.
				typeVersion: 2.1,
				position: [0, 0],
				webhookId: `${id.slice(0, 8)}-1111-4000-8000-000000000001`,
				parameters: { httpMethod: 'POST', path, responseMode, options: {} },
			},
			cozeNode({
				resource: 'workflow',
				operation: 'run',
				workflowId: '={{ $json.body.workflow_id }}',
				parameters: '{}',
				options: { outputMode: 'lastMessage' },
			}),
		],
		connections: toCoze('Webhook'),
	};
}

/**
 * Webhook (POST /webhook/<path>) → Coze Bot → Chat with the bot named in the body's bot_id,
 * saying its message, each call a new conversation.
 */
function webhookBotChat(id: string, path: string, responseMode: 'streaming' | 'lastNode') {
	const workflow = webhookRun(id, path, responseMode);
	return {
		...workflow,
		name: `Live: webhook (${responseMode}) → Coze Bot Chat`,
		nodes: [
			workflow.nodes[0],
			cozeNode(
				{
					resource: 'bot',
					operation: 'chat',
					botId: { __rl: true, mode: 'id', value: '={{ $json.body.bot_id }}' },
					message: '={{ $json.body.message }}',
					conversation: 'new',
					options: {},
				},
				2,
			),
		],
	};
}

/** n8n's Chat Trigger, its chat public and hosted by n8n, answering as the workflow streams. */
const publicChatTrigger = (webhookId: string) => ({
	id: 'c0c0c0c0-0000-4000-8000-000000000001',
	name: 'When chat message received',
	type: '@n8n/n8n-nodes-langchain.chatTrigger',
	typeVersion: 1.3,
	position: [0, 0],
	webhookId,
	parameters: {
		public: true,
		mode: 'hostedChat',
		authentication: 'none',
		options: { responseMode: 'streaming' },
	},
});

/** Chat Trigger (public hosted chat, streaming) → Coze Chat of the chatflow `chatflowId`, memory per session. */
function chatTriggerChat(chatflowId: string) {
	return {
		id: 'cozeLiveChat001',
		name: 'Live: Chat Trigger → Coze Chat',
		active: true,
		settings: { executionOrder: 'v1' },
		nodes: [
			publicChatTrigger(LIVE_PATHS.chatWebhookId),
			cozeNode({ resource: 'workflow', operation: 'chat', workflowId: chatflowId }),
		],
		connections: toCoze('When chat message received'),
	};
}

/** Chat Trigger (public hosted chat, streaming) → Coze Bot → Chat with `botId`, picked From List, memory per session. */
function chatTriggerBotChat(botId: string) {
	return {
		id: 'cozeLiveBotChat',
		name: 'Live: Chat Trigger → Coze Bot Chat',
		active: true,
		settings: { executionOrder: 'v1' },
		nodes: [
			publicChatTrigger(LIVE_PATHS.botChatWebhookId),
			cozeNode(
				{
					resource: 'bot',
					operation: 'chat',
					botId: { __rl: true, mode: 'list', value: botId, cachedResultName: 'live bot' },
					options: {},
				},
				2,
			),
		],
		connections: toCoze('When chat message received'),
	};
}

/**
 * examples/bot-tool-calls.json as it is, but its chat public (as a user publishes it): Chat
 * Trigger → the sandbox's weather_bot, whose get_weather call n8n answers with Edit Fields and
 * Submit Tool Outputs.
 */
function toolCallsExample() {
	const example = JSON.parse(
		readFileSync(path.join(root, 'examples', 'bot-tool-calls.json'), 'utf8'),
	) as { nodes: Array<{ type: string }> };
	const { webhookId, parameters } = publicChatTrigger(LIVE_PATHS.toolCallsWebhookId);
	return {
		...example,
		id: 'cozeLiveToolCall',
		active: true,
		nodes: example.nodes.map((node) =>
			node.type === '@n8n/n8n-nodes-langchain.chatTrigger'
				? { ...node, webhookId, parameters }
				: node,
		),
	};
}

/** The live workflows, by name: a caller imports the ones it calls (each costs n8n a publish, about 3 s). */
export type LiveWorkflowName =
	| 'runStreaming'
	| 'runWhole'
	| 'botStreaming'
	| 'botWhole'
	| 'chatflowChat'
	| 'botChat'
	| 'toolCallsExample';

/**
 * The named live workflows, and the webhook paths n8n must have registered before they can be
 * called. The webhooks take the workflow or bot to call in their body; the chats talk to
 * `chat.chatflowId` and `chat.botId`; the bot example needs the sandbox's bots (defineSandboxBots).
 */
export function liveWorkflows(
	names: LiveWorkflowName[],
	chat: { chatflowId?: string; botId?: string } = {},
): { workflows: Array<{ id: string }>; webhookPaths: string[] } {
	const all: Record<LiveWorkflowName, () => [{ id: string }, string]> = {
		runStreaming: () => [
			webhookRun('cozeLiveHook001', LIVE_PATHS.streaming, 'streaming'),
			LIVE_PATHS.streaming,
		],
		runWhole: () => [webhookRun('cozeLiveWhole01', LIVE_PATHS.whole, 'lastNode'), LIVE_PATHS.whole],
		botStreaming: () => [
			webhookBotChat('cozeLiveBotHook', LIVE_PATHS.botStreaming, 'streaming'),
			LIVE_PATHS.botStreaming,
		],
		botWhole: () => [
			webhookBotChat('cozeLiveBotWhole', LIVE_PATHS.botWhole, 'lastNode'),
			LIVE_PATHS.botWhole,
		],
		chatflowChat: () => [
			chatTriggerChat(chat.chatflowId ?? '0'),
			`${LIVE_PATHS.chatWebhookId}/chat`,
		],
		botChat: () => [chatTriggerBotChat(chat.botId ?? '0'), `${LIVE_PATHS.botChatWebhookId}/chat`],
		toolCallsExample: () => [toolCallsExample(), `${LIVE_PATHS.toolCallsWebhookId}/chat`],
	};
	const chosen = names.map((name) => all[name]());
	return {
		workflows: chosen.map(([workflow]) => workflow),
		webhookPaths: chosen.map(([, webhookPath]) => webhookPath),
	};
}
