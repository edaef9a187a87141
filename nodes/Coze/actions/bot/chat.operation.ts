import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import { RawJson, redactorFor, stringifyJson, type CozeConnection } from '../../transport/http';
import { startBotChat } from '../../transport/protocols/bot-chat';
import { botLocator } from '../../shared/bot-locator';
import { attributedTo } from '../chat/chat-items';
import { ChatConversation, type ConversationChoice } from '../chat/chat-conversation';
import { conversationFields, messageField } from '../chat/conversation.description';
import {
	readConversationSetting,
	rememberConversation,
	type ConversationSetting,
} from '../chat/conversation-setting';
import { inTurn } from '../chat/conversation-turns';
import { readText } from '../chat/read-text';
import { LiveChat, withLiveChat } from '../live-chat';
import type { OperationResult } from '../types';
import { readBotId } from './bot-id';
import { botTurnResult } from './bot-items';
import { readJsonOption } from './bot-json-options';
import { botChatOptions } from './chat.options';
import { readBotPolling } from './bot-polling';
import { botTurn } from './bot-turn';

const show = { resource: ['bot'], operation: ['chat'] };

export const description: INodeProperties[] = [
	botLocator(['chat']),
	messageField(show),
	...conversationFields(show),
	botChatOptions,
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: CozeConnection,
	signal?: AbortSignal,
): Promise<OperationResult> {
	const botId = readBotId.call(this, itemIndex);
	const message = readText.call(
		this,
		'message',
		'Message',
		itemIndex,
		"Map the user's text here; n8n's Chat Trigger gives it as {{ $json.chatInput }}.",
	);
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const setting = readConversationSetting.call(this, itemIndex, connection, { botId });
	const fields = readBodyFields.call(this, options, itemIndex);
	const polling =
		options.responseMode === 'poll' ? readBotPolling.call(this, options, itemIndex) : undefined;
	if (polling && options.autoSaveHistory === false)
		// chat_v3.md: with stream false, auto_save_history must be true, "否则无法查看对话状态和模型回复".
		throw new NodeOperationError(this.getNode(), 'Poll Until Done needs Auto Save History on', {
			itemIndex,
			description:
				"Without a stream, Coze shows a chat's progress and answer only for a chat it keeps in the conversation's history. Turn Options → Auto Save History on, or set Response Mode → Stream.",
		});
	const chat =
		options.streamToChat === 'none' ? undefined : LiveChat.open(this, itemIndex, connection);
	return await attributedTo({ botId }, () =>
		withLiveChat(chat, async () => {
			const conversation =
				setting.mode === 'id'
					? undefined
					: new ChatConversation(connection, { setting, botId, forBot: true }, signal);
			const choice: ConversationChoice = conversation
				? await conversation.first()
				: { conversationId: setting.conversationId };
			const json = stringifyJson({
				bot_id: botId,
				user_id: userIdOf(options, setting),
				stream: !polling,
				additional_messages: withUserMessage(fields.additionalMessages, message),
				...fields.body,
			});
			const request = { json, conversationId: choice.conversationId };
			// One chat at a time in a conversation, as Coze takes them (conversation-turns.ts).
			const turn = await inTurn(connection.baseUrl, choice.conversationId, () =>
				botTurn(connection, chat, {
					stream: () => startBotChat(connection, request, signal),
					poll: polling && { polling, start: { path: '/v3/chat', ...request } },
					signal,
				}),
			);
			rememberConversation(setting, turn);
			return botTurnResult(turn, botId, choice.conversationId, redactorFor(connection), itemIndex);
		}),
	);
}

/**
 * user_id is required by both servers (chat_v3.md; coze-studio ChatV3Request): the one given, or
 * one per chat session that does not show the session id (the session's conversation name), or
 * "n8n" for every chat without sessions.
 */
function userIdOf(options: IDataObject, setting: ConversationSetting): string {
	const given = typeof options.userId === 'string' ? options.userId.trim() : '';
	if (given) return given;
	return setting.session ? setting.session.memory.conversationName(setting.session.id) : 'n8n';
}

/** The JSON options, each checked, as /v3/chat's body fields. */
function readBodyFields(
	this: IExecuteFunctions,
	options: IDataObject,
	itemIndex: number,
): { additionalMessages: RawJson | unknown[] | undefined; body: IDataObject } {
	const read = (name: string, label: string, shape: 'object' | 'array', example: string) =>
		readJsonOption.call(this, options[name], label, shape, example, itemIndex);
	const body: IDataObject = {};
	const customVariables = read(
		'customVariables',
		'Custom Variables',
		'object',
		'{"name": "Alice"}',
	);
	if (customVariables !== undefined) body.custom_variables = customVariables as IDataObject;
	const metaData = read('metaData', 'Meta Data', 'object', '{"order": "A-1001"}');
	if (metaData !== undefined) body.meta_data = metaData as IDataObject;
	const parameters = read('parameters', 'Parameters', 'object', '{"city": "Hangzhou"}');
	if (parameters !== undefined) body.parameters = parameters as IDataObject;
	if (options.autoSaveHistory !== undefined)
		body.auto_save_history = options.autoSaveHistory !== false;
	const additionalMessages = read(
		'additionalMessages',
		'Additional Messages',
		'array',
		'[{"role": "assistant", "content": "Hello!", "content_type": "text"}]',
	) as RawJson | unknown[] | undefined;
	return { additionalMessages, body };
}

/** The messages of the turn: the Additional Messages (typed JSON kept as typed), then the user's message. */
function withUserMessage(
	additional: RawJson | unknown[] | undefined,
	message: string,
): RawJson | unknown[] {
	const user = { role: 'user', content: message, content_type: 'text' };
	if (additional === undefined) return [user];
	if (!(additional instanceof RawJson)) return [...additional, user];
	const inner = additional.text.trim().slice(1, -1).trim();
	const userText = stringifyJson(user);
	return new RawJson(inner ? `[${inner},${userText}]` : `[${userText}]`);
}
