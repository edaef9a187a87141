import {
	NodeConnectionTypes,
	type ICredentialsDecrypted,
	type ICredentialTestFunctions,
	type IExecuteFunctions,
	type INodeCredentialTestResult,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import * as botChat from './actions/bot/chat.operation';
import * as submitToolOutputs from './actions/bot/submit-tool-outputs.operation';
import * as upload from './actions/file/upload.operation';
import * as chat from './actions/workflow/chat.operation';
import * as resume from './actions/workflow/resume.operation';
import * as run from './actions/workflow/run.operation';
import { outputsExpression } from './actions/outputs';
import { requestOptionsDescription } from './actions/request-options';
import { route } from './actions/router';
import { DEFAULT_VERSION, NODE_VERSIONS } from './actions/versions';
import { searchBots } from './methods/bot-search';
import { getChatflowInputs, getWorkflowInputs } from './methods/input-fields-method';
import { searchChatflows, searchWorkflows } from './methods/workflow-search';
import { checkCozeCredential } from './transport/http';

export class Coze implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Coze',
		name: 'coze',
		icon: { light: 'file:coze.svg', dark: 'file:coze.dark.svg' },
		group: ['transform'],
		version: NODE_VERSIONS,
		defaultVersion: DEFAULT_VERSION,
		subtitle:
			'={{ { run: "Run Workflow", resume: "Resume Workflow", chat: "Chat", submitToolOutputs: "Submit Tool Outputs", upload: "Upload File" }[$parameter["operation"]] }}',
		description:
			'Run Coze (扣子) workflows, chatflows and bots with live streamed output and human-in-the-loop interrupts, and upload files',
		defaults: { name: 'Coze' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: outputsExpression,
		credentials: [{ name: 'cozeApi', required: true, testedBy: 'cozeApiCredentialTest' }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Workflow', value: 'workflow' },
					{ name: 'Bot', value: 'bot' },
					{ name: 'File', value: 'file' },
				],
				default: 'workflow',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['workflow'] } },
				options: [
					{
						name: 'Run',
						value: 'run',
						action: 'Run a workflow',
						description:
							'Run a published workflow, streaming its messages; questions to a human leave by the Interrupts output',
					},
					{
						name: 'Resume',
						value: 'resume',
						action: 'Resume an interrupted workflow',
						description: "Answer a workflow's interrupt and stream the rest of the run",
					},
					{
						name: 'Chat',
						value: 'chat',
						action: 'Chat with a chatflow',
						description:
							'Send a message to a chatflow (对话流) in a conversation that remembers, and stream its answer',
					},
				],
				default: 'run',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['file'] } },
				options: [
					{
						name: 'Upload',
						value: 'upload',
						action: 'Upload a file',
						description: 'Upload a binary file to Coze and get its file ID for a workflow input',
					},
				],
				default: 'upload',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['bot'] } },
				options: [
					{
						name: 'Chat',
						value: 'chat',
						action: 'Chat with a bot',
						description:
							'Send a message to a published bot (智能体) and stream its answer; its local plugin calls leave by the Interrupts output',
					},
					{
						name: 'Submit Tool Outputs',
						value: 'submitToolOutputs',
						action: 'Submit tool outputs to a bot',
						description: "Answer a bot's local plugin calls and stream the rest of its answer",
					},
				],
				default: 'chat',
			},
			...run.description,
			...resume.description,
			...chat.description,
			...botChat.description,
			...submitToolOutputs.description,
			...upload.description,
			requestOptionsDescription,
		],
	};

	methods = {
		listSearch: { searchWorkflows, searchChatflows, searchBots },
		resourceMapping: { getWorkflowInputs, getChatflowInputs },
		credentialTest: {
			async cozeApiCredentialTest(
				this: ICredentialTestFunctions,
				credential: ICredentialsDecrypted,
			): Promise<INodeCredentialTestResult> {
				const check = await checkCozeCredential(credential.data ?? {});
				return { status: check.ok ? 'OK' : 'Error', message: check.message };
			},
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route.call(this);
	}
}
