// Active workflows that stream a Coze node's text to whoever called them: a Webhook in Streaming
// response mode and n8n's Chat Trigger (public, hosted, streaming). The end-to-end test and
// bench/first-chunk import them into a real n8n.
import { SANDBOX_CREDENTIAL } from './sandbox';

/** Webhook paths and the Chat Trigger's webhook id: `/webhook/<path>`, `/webhook/<id>/chat`. */
export const LIVE_PATHS = {
	streaming: 'coze-live',
	whole: 'coze-whole',
	chatWebhookId: '3f1c6a52-8d4e-4b7a-9c1e-5a2b7d9e0f11',
};

const cozeNode = (parameters: Record<string, unknown>) => ({
	id: 'c0c0c0c0-0000-4000-8000-000000000002',
	name: 'Coze',
	type: 'n8n-nodes-coze-workflow.coze',
	typeVersion: 1,
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

/** Chat Trigger (public hosted chat, streaming) → Coze Chat of the chatflow `chatflowId`, memory per session. */
function chatTriggerChat(chatflowId: string) {
	return {
		id: 'cozeLiveChat001',
		name: 'Live: Chat Trigger → Coze Chat',
		active: true,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: 'c0c0c0c0-0000-4000-8000-000000000001',
				name: 'When chat message received',
				type: '@n8n/n8n-nodes-langchain.chatTrigger',
				typeVersion: 1.3,
				position: [0, 0],
				webhookId: LIVE_PATHS.chatWebhookId,
				parameters: {
					public: true,
					mode: 'hostedChat',
					authentication: 'none',
					options: { responseMode: 'streaming' },
				},
			},
			cozeNode({ resource: 'workflow', operation: 'chat', workflowId: chatflowId }),
		],
		connections: toCoze('When chat message received'),
	};
}

/** What n8n must have registered before the live workflows can be called. */
export const LIVE_WEBHOOK_PATHS = [
	LIVE_PATHS.streaming,
	LIVE_PATHS.whole,
	`${LIVE_PATHS.chatWebhookId}/chat`,
];

export function liveWorkflows(chatflowId: string) {
	return [
		webhookRun('cozeLiveHook001', LIVE_PATHS.streaming, 'streaming'),
		webhookRun('cozeLiveWhole01', LIVE_PATHS.whole, 'lastNode'),
		chatTriggerChat(chatflowId),
	];
}
