// n8n's AI Agent with the Coze node as its tool (`n8n-nodes-coze-workflow.cozeTool`, the tool
// n8n makes of a node with `usableAsTool`), its model n8n's OpenAI Chat Model pointed at a
// scripted OpenAI-compatible server (test/openai-sim). The agent end-to-end test imports these
// into a real n8n with `startAgentN8n`.
import { readFileSync } from 'node:fs';
import path from 'node:path';

import type { CozeSimulator } from '../simulator/server';
import { startLiveN8n, type LiveN8n } from '../n8n/live-n8n';
import { root } from '../n8n/n8n';
import { SANDBOX_CREDENTIAL } from './sandbox';

/** The Webhook's path (`/webhook/<path>`) and the Chat Trigger's webhook id (`/webhook/<id>/chat`). */
export const AGENT_PATHS = {
	webhook: 'coze-agent',
	webhookAgentV2: 'coze-agent-v2',
	chatWebhookId: '6b0f3c1d-2e4a-4f5b-8c6d-7e8f9a0b1c22',
};

/** What n8n must have registered before the agent workflows can be called. */
export const AGENT_WEBHOOK_PATHS = [
	AGENT_PATHS.webhook,
	AGENT_PATHS.webhookAgentV2,
	`${AGENT_PATHS.chatWebhookId}/chat`,
];

export const OPENAI_CREDENTIAL = { id: 'openai-sim', name: 'OpenAI (local simulator)' };

/** The tool node's name: n8n names the tool after it (nodeNameToToolName: "Coze" stays "Coze"). */
export const COZE_TOOL_NODE = 'Coze';

/** The model's instructions: call the tool for anything about the weather, then answer with what it said. */
const SYSTEM_MESSAGE =
	'You are a helpful assistant. For weather questions, run the Coze tool and answer with what it returned.';

/**
 * The Coze node as the agent's tool: Run of the workflow `workflowId`, whose inputs the model
 * fills in as one `$fromAI` key of type json (n8n-workflow's generateZodSchema: a non-empty
 * object or array). The JSON schema the model is sent gives that key a description but no type.
 */
function cozeTool(workflowId: string, id: string) {
	return {
		id,
		name: COZE_TOOL_NODE,
		type: 'n8n-nodes-coze-workflow.cozeTool',
		typeVersion: 1,
		position: [420, 220],
		parameters: {
			descriptionType: 'manual',
			toolDescription: 'Runs the Coze weather workflow for a city and returns its answer.',
			resource: 'workflow',
			operation: 'run',
			workflowId,
			parameters: `={{ $fromAI('parameters', 'The workflow inputs as a JSON object, e.g. {"city":"Hangzhou"}', 'json') }}`,
		},
		credentials: { cozeApi: SANDBOX_CREDENTIAL },
	};
}

/** n8n's OpenAI Chat Model on the Chat Completions API (1.3 uses the Responses API unless told not to). */
function openAiModel(id: string) {
	return {
		id,
		name: 'OpenAI Chat Model',
		type: '@n8n/n8n-nodes-langchain.lmChatOpenAi',
		typeVersion: 1.3,
		position: [200, 220],
		parameters: {
			model: { __rl: true, mode: 'id', value: 'gpt-4o-mini' },
			responsesApiEnabled: false,
			options: {},
		},
		credentials: { openAiApi: OPENAI_CREDENTIAL },
	};
}

/**
 * The AI Agent. 3.1, the newest in 2.40 (V3), has the engine run its tools as nodes (engine
 * requests); 2.2 (V2) runs them itself, inside LangChain's agent executor.
 */
function agent(id: string, parameters: Record<string, unknown>, typeVersion: 3.1 | 2.2 = 3.1) {
	return {
		id,
		name: 'AI Agent',
		type: '@n8n/n8n-nodes-langchain.agent',
		typeVersion,
		position: [240, 0],
		parameters,
	};
}

const agentConnections = (trigger: string) => ({
	[trigger]: { main: [[{ node: 'AI Agent', type: 'main', index: 0 }]] },
	'OpenAI Chat Model': {
		ai_languageModel: [[{ node: 'AI Agent', type: 'ai_languageModel', index: 0 }]],
	},
	[COZE_TOOL_NODE]: { ai_tool: [[{ node: 'AI Agent', type: 'ai_tool', index: 0 }]] },
});

/**
 * Webhook (POST `/webhook/coze-agent`, {message}) → AI Agent, answering with the agent's item
 * ({output}) once the execution ends (Response Mode "When Last Node Finishes"). With
 * `agentVersion` 2.2, the same at `/webhook/coze-agent-v2`.
 */
export function agentWebhookWorkflow(workflowId: string, agentVersion: 3.1 | 2.2 = 3.1) {
	const v2 = agentVersion === 2.2;
	const nodeId = (n: number) => `a9e00000-0000-4000-8000-0000000000${v2 ? 2 : 0}${n}`;
	return {
		id: v2 ? 'cozeAgentHookV2' : 'cozeAgentHook01',
		name: `Agent: webhook → AI Agent ${agentVersion} with the Coze tool`,
		active: true,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: nodeId(1),
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2.1,
				position: [0, 0],
				webhookId: `a9e00000-1111-4000-8000-0000000000${v2 ? 2 : 0}1`,
				parameters: {
					httpMethod: 'POST',
					path: v2 ? AGENT_PATHS.webhookAgentV2 : AGENT_PATHS.webhook,
					responseMode: 'lastNode',
					options: {},
				},
			},
			agent(
				nodeId(2),
				{
					promptType: 'define',
					text: '={{ $json.body.message }}',
					options: { systemMessage: SYSTEM_MESSAGE },
				},
				agentVersion,
			),
			openAiModel(nodeId(3)),
			cozeTool(workflowId, nodeId(4)),
		],
		connections: agentConnections('Webhook'),
	};
}

/** n8n's public Chat Trigger in streaming mode → AI Agent (streaming, the default) with the same tool. */
export function agentChatWorkflow(workflowId: string) {
	return {
		id: 'cozeAgentChat01',
		name: 'Agent: Chat Trigger (streaming) → AI Agent with the Coze tool',
		active: true,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: 'a9e00000-0000-4000-8000-000000000011',
				name: 'When chat message received',
				type: '@n8n/n8n-nodes-langchain.chatTrigger',
				typeVersion: 1.3,
				position: [0, 0],
				webhookId: AGENT_PATHS.chatWebhookId,
				parameters: {
					public: true,
					mode: 'hostedChat',
					authentication: 'none',
					options: { responseMode: 'streaming' },
				},
			},
			agent('a9e00000-0000-4000-8000-000000000012', {
				promptType: 'auto',
				options: { systemMessage: SYSTEM_MESSAGE },
			}),
			openAiModel('a9e00000-0000-4000-8000-000000000013'),
			cozeTool(workflowId, 'a9e00000-0000-4000-8000-000000000014'),
		],
		connections: agentConnections('When chat message received'),
	};
}

/**
 * examples/ai-agent-tool.json as shipped, made callable without n8n's editor: its Chat Trigger
 * public (hosted chat, no login) at `/webhook/<its webhookId>/chat`, and its OpenAI Chat Model
 * given the credential (the example leaves that to the user).
 */
export function agentExampleWorkflow() {
	const example = JSON.parse(
		readFileSync(path.join(root, 'examples', 'ai-agent-tool.json'), 'utf8'),
	) as {
		id: string;
		nodes: Array<{
			type: string;
			webhookId?: string;
			parameters: Record<string, unknown>;
			credentials?: Record<string, unknown>;
		}>;
	};
	let chatPath = '';
	for (const node of example.nodes) {
		if (node.type === '@n8n/n8n-nodes-langchain.chatTrigger') {
			node.parameters = {
				...node.parameters,
				public: true,
				mode: 'hostedChat',
				authentication: 'none',
			};
			chatPath = `${node.webhookId}/chat`;
		}
		if (node.type === '@n8n/n8n-nodes-langchain.lmChatOpenAi')
			node.credentials = { openAiApi: OPENAI_CREDENTIAL };
	}
	return { workflow: { ...example, active: true }, chatPath };
}

/** The OpenAI credential as `n8n import:credentials` takes it: its Base URL is the simulator's. */
export function openAiCredential(baseUrl: string, apiKey: string): object {
	return { ...OPENAI_CREDENTIAL, type: 'openAiApi', data: { apiKey, url: baseUrl, header: false } };
}

/** startLiveN8n (test/n8n/live-n8n.ts) with the OpenAI credential besides the Coze one. */
export async function startAgentN8n(
	coze: CozeSimulator,
	openAi: { baseUrl: string; apiKey: string },
	workflows: Array<{ id: string }>,
	webhookPaths: string[],
): Promise<LiveN8n> {
	return await startLiveN8n(coze, workflows, webhookPaths, [
		openAiCredential(openAi.baseUrl, openAi.apiKey),
	]);
}
