import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { policyOf, redactorFor, stringifyJson, type CozeConnection } from '../../transport/http';
import { tapChatAnswer } from '../../transport/protocols/chat-answer-text';
import { collectChat } from '../../transport/protocols/chat-collector';
import type { ChatStreamEvent } from '../../transport/protocols/chat-events';
import { startChat } from '../../transport/protocols/chat-stream';
import { assertNoToolCalls } from '../../transport/protocols/chat-tool-calls';
import { LiveChat, withLiveChat } from '../live-chat';
import type { OperationResult } from '../types';
import { chatOptions } from './chat.options';
import { attributedTo, chatJson } from '../chat/chat-items';
import {
	ChatConversation,
	explainConversationRefusal,
	namesConversation,
	withConversationName,
	type ConversationChoice,
} from '../chat/chat-conversation';
import { readConversationSetting, rememberConversation } from '../chat/conversation-setting';
import { conversationFields, messageField } from '../chat/conversation.description';
import { readText } from '../chat/read-text';
import { parametersWithFiles } from './files-from-binary';
import { workflowIdField, workflowLocator } from './workflow-id.description';
import { inputsDescription, parametersField } from './inputs.description';
import { readInputs } from './typed-inputs';
import { versions } from '../versions';
import { readRunOptions, readWorkflowId } from './parameters';
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
	messageField(show),
	...conversationFields(show),
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
	const setting = readConversationSetting.call(this, itemIndex, connection, { workflowId });

	const chat = streamToChat === 'none' ? undefined : LiveChat.open(this, itemIndex, connection);
	return await explainingAppBesideBot(app, () =>
		attributedTo({ workflowId }, () =>
			withLiveChat(chat, async () => {
				// Files first: an upload that fails then leaves no new conversation behind in Coze.
				const sent = await parametersWithFiles.call(
					this,
					itemIndex,
					parameters,
					connection,
					signal,
				);
				const conversation =
					setting.mode === 'id'
						? undefined
						: new ChatConversation(
								connection,
								{
									setting,
									botId: options.bot_id as string | undefined,
									connectorId: options.connector_id as string | undefined,
									namedByUser: namesConversation(parameters),
								},
								signal,
							);
				let choice: ConversationChoice = conversation
					? await conversation.first()
					: { conversationId: setting.conversationId };
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
				rememberConversation(setting, turn);
				assertNoToolCalls(turn, redactorFor(connection));
				return {
					main: [
						{
							json: chatJson(turn, { workflowId }, choice.conversationId),
							pairedItem: { item: itemIndex },
						},
					],
				};
			}),
		),
	);
}
