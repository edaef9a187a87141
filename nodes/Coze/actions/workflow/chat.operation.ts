import { NodeOperationError, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { policyOf, redactorFor, stringifyJson, type CozeConnection } from '../../transport/http';
import { tapChatAnswer } from '../../transport/protocols/chat-answer-text';
import { ChatFailure, collectChat } from '../../transport/protocols/chat-collector';
import type { ChatStreamEvent } from '../../transport/protocols/chat-events';
import { startChat } from '../../transport/protocols/chat-stream';
import { assertNoToolCalls } from '../../transport/protocols/chat-tool-calls';
import { LiveChat, withLiveChat } from '../live-chat';
import type { OperationResult } from '../types';
import { chatOptions } from './chat.options';
import { chatJson } from './chat-items';
import {
	ChatConversation,
	explainConversationRefusal,
	withConversationName,
	type ConversationChoice,
} from './chat-conversation';
import { ConversationMemory } from './conversation-memory';
import { parametersWithFiles } from './files-from-binary';
import { workflowIdField, workflowLocator } from './workflow-id.description';
import { inputsDescription, parametersField } from './inputs.description';
import { readInputs } from './typed-inputs';
import { versions } from '../versions';
import { readId, readRunOptions, readWorkflowId } from './parameters';
import { explainingAppBesideBot, withWorkflowApp } from './workflow-app';

const show = { resource: ['workflow'], operation: ['chat'] };

export const description: INodeProperties[] = [
	workflowIdField(
		'chat',
		'The published chatflow (对话流) to talk to: the number after workflow_id= in its address in Coze',
	),
	workflowLocator({
		operation: 'chat',
		description: 'The published chatflow (对话流) to talk to',
		searchListMethod: 'searchChatflows',
	}),
	{
		displayName: 'Message',
		name: 'message',
		type: 'string',
		default: '={{ $json.chatInput }}',
		required: true,
		typeOptions: { rows: 2 },
		description: "What the user says; by default the message of n8n's Chat Trigger",
		displayOptions: { show },
	},
	{
		displayName: 'Conversation',
		name: 'conversation',
		type: 'options',
		default: 'session',
		description: "Which Coze conversation carries the chat's history",
		options: [
			{
				name: 'Remember per Chat Session',
				value: 'session',
				description:
					'Each session gets its own Coze conversation, made on its first message and remembered by the workflow',
			},
			{
				name: 'Use Conversation ID',
				value: 'id',
				description: 'A Coze conversation you already have',
			},
			{
				name: 'New Each Time',
				value: 'new',
				description: 'A new conversation for every message: no memory',
			},
		],
		displayOptions: { show },
	},
	{
		displayName: 'Session ID',
		name: 'sessionId',
		type: 'string',
		default: '={{ $json.sessionId }}',
		required: true,
		description: "What tells chat sessions apart; by default the session of n8n's Chat Trigger",
		displayOptions: { show: { ...show, conversation: ['session'] } },
	},
	{
		displayName: 'Conversation ID',
		name: 'conversationId',
		type: 'string',
		default: '={{ $json.conversation_id }}',
		required: true,
		description:
			'The Coze conversation to talk in, e.g. the conversation_id of an earlier Chat item',
		displayOptions: { show: { ...show, conversation: ['id'] } },
	},
	parametersField('chat', { ...show, '@version': versions.first }),
	...inputsDescription('chat'),
	chatOptions,
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: CozeConnection,
	signal?: AbortSignal,
): Promise<OperationResult> {
	const workflowId = readWorkflowId.call(this, itemIndex);
	const message = readText.call(
		this,
		'message',
		'Message',
		itemIndex,
		"Map the user's text here; n8n's Chat Trigger gives it as {{ $json.chatInput }}.",
	);
	const parameters = await readInputs.call(this, itemIndex, connection, signal);
	const app = await withWorkflowApp.call(
		this,
		itemIndex,
		workflowId,
		readRunOptions.call(this, itemIndex),
		connection,
		signal,
	);
	const options = app.fields;
	const { streamToChat } = this.getNodeParameter('options', itemIndex, {}) as {
		streamToChat?: 'answer' | 'none';
	};
	const mode = this.getNodeParameter('conversation', itemIndex, 'session') as
		'session' | 'id' | 'new';
	const sessionId =
		mode === 'session'
			? readText.call(
					this,
					'sessionId',
					'Session ID',
					itemIndex,
					"n8n's Chat Trigger gives it as {{ $json.sessionId }}. Without sessions, choose Conversation → New Each Time.",
				)
			: undefined;
	const memory =
		sessionId === undefined
			? undefined
			: new ConversationMemory(
					this,
					{ baseUrl: connection.baseUrl, workflowId },
					redactorFor(connection),
				);

	const chat = streamToChat === 'none' ? undefined : LiveChat.open(this, itemIndex, connection);
	return await explainingAppBesideBot(app, () =>
		withLiveChat(chat, async () => {
			// Files first: an upload that fails then leaves no new conversation behind in Coze.
			const sent = await parametersWithFiles.call(this, itemIndex, parameters, connection, signal);
			const conversation =
				mode === 'id'
					? undefined
					: new ChatConversation(
							connection,
							{
								mode,
								memory,
								sessionId,
								botId: options.bot_id as string | undefined,
								connectorId: options.connector_id as string | undefined,
							},
							parameters,
							signal,
						);
			let choice: ConversationChoice = conversation
				? await conversation.first()
				: {
						conversationId: readId.call(
							this,
							'conversationId',
							'Conversation ID',
							itemIndex,
							'Use the conversation_id of an earlier Chat item, or choose Remember per Chat Session.',
						),
					};
			const start = async ({ conversationId, name }: ConversationChoice) => {
				const body = {
					workflow_id: workflowId,
					additional_messages: [{ role: 'user', content: message, content_type: 'text' }],
					parameters: withConversationName(sent, name),
					...(conversationId ? { conversation_id: conversationId } : {}),
					...options,
				};
				return await startChat(connection, stringifyJson(body), signal);
			};
			let events: AsyncGenerator<ChatStreamEvent[]>;
			try {
				events = await start(choice);
			} catch (error) {
				const retry = conversation?.afterRefusal(choice, error);
				if (!retry) throw conversation ? error : explainConversationRefusal(error);
				choice = retry;
				events = await start(choice);
			}
			if (chat) events = tapChatAnswer(events, chat.text);
			const turn = await collectChat(events, policyOf(connection).maxOutputBytes);
			if (memory && turn.conversationId) {
				try {
					memory.remember(sessionId!, turn.conversationId);
				} catch (refused) {
					// The turn happened: its answer goes out with the refusal (Continue on Fail), not its conversation id.
					// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- the router turns a ChatFailure into n8n's error and keeps its messages (router.ts)
					throw new ChatFailure(refused, turn.messages, undefined);
				}
			}
			assertNoToolCalls(turn, redactorFor(connection));
			return {
				main: [
					{
						json: chatJson(turn, workflowId, choice.conversationId),
						pairedItem: { item: itemIndex },
					},
				],
			};
		}),
	);
}

function readText(
	this: IExecuteFunctions,
	name: string,
	label: string,
	itemIndex: number,
	hint: string,
): string {
	const value = this.getNodeParameter(name, itemIndex, '') as unknown;
	const text =
		typeof value === 'string'
			? value
			: value === undefined || value === null
				? ''
				: typeof value === 'object'
					? JSON.stringify(value)
					: String(value);
	if (text.trim() !== '') return text;
	throw new NodeOperationError(this.getNode(), `${label} is empty`, {
		itemIndex,
		description: hint,
	});
}
