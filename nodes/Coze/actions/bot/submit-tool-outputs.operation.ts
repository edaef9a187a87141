import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import {
	isJsonObject,
	redactorFor,
	stringifyJson,
	type CozeConnection,
} from '../../transport/http';
import { submitToolOutputs } from '../../transport/protocols/bot-chat';
import { attributedTo } from '../chat/chat-items';
import { LiveChat, withLiveChat } from '../live-chat';
import type { OperationResult } from '../types';
import { readId } from '../workflow/parameters';
import { botTurnResult } from './bot-items';
import { readBotPolling } from './bot-polling';
import { botTurn } from './bot-turn';
import { botPollingOptions, botStreamToChatOption, responseModeOption } from './chat.options';

const show = { resource: ['bot'], operation: ['submitToolOutputs'] };

// Each default reads the item of Bot → Chat's Interrupts output, so that
// Interrupts → (a node that adds "tool_outputs") → Submit Tool Outputs needs no typing.
export const description: INodeProperties[] = [
	{
		displayName: 'Conversation ID',
		name: 'conversationId',
		type: 'string',
		default: '={{ $json.conversation_id }}',
		required: true,
		description: 'The conversation of the chat that waits; from the interrupt item',
		displayOptions: { show },
	},
	{
		displayName: 'Chat ID',
		name: 'chatId',
		type: 'string',
		default: '={{ $json.chat_id }}',
		required: true,
		description: 'The chat that waits for its tool calls; from the interrupt item',
		displayOptions: { show },
	},
	{
		displayName: 'Tool Outputs',
		name: 'toolOutputs',
		type: 'json',
		default: '={{ $json.tool_outputs }}',
		required: true,
		description:
			'One output per tool call of the interrupt item: [{"tool_call_id": "…", "output": "…"}], or an object of outputs by tool call ID. An output that is not text is sent as JSON text.',
		displayOptions: { show },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show },
		options: [responseModeOption, ...botPollingOptions, botStreamToChatOption],
	},
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: CozeConnection,
	signal?: AbortSignal,
): Promise<OperationResult> {
	const fromItem = 'Wire this node from the Interrupts output of Bot → Chat, whose item has it.';
	const conversationId = readId.call(
		this,
		'conversationId',
		'Conversation ID',
		itemIndex,
		fromItem,
	);
	const chatId = readId.call(this, 'chatId', 'Chat ID', itemIndex, fromItem);
	const toolOutputs = readToolOutputs.call(this, itemIndex);
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const polling =
		options.responseMode === 'poll' ? readBotPolling.call(this, options, itemIndex) : undefined;
	const chat =
		options.streamToChat === 'none' ? undefined : LiveChat.open(this, itemIndex, connection);
	const json = stringifyJson({ tool_outputs: toolOutputs, stream: !polling });
	// Only to name the bot in a failed turn's item; the chat's own events name it otherwise.
	const inputBotId = this.getInputData()[itemIndex]?.json?.bot_id;
	const botId = typeof inputBotId === 'string' ? inputBotId : '';
	return await attributedTo({ botId }, () =>
		withLiveChat(chat, async () => {
			const ids = { conversationId, chatId };
			const turn = await botTurn(connection, chat, {
				stream: () => submitToolOutputs(connection, { json, ...ids }, signal),
				poll: polling && {
					polling,
					start: { path: '/v3/chat/submit_tool_outputs', json, ...ids },
				},
				signal,
			});
			return botTurnResult(
				{
					...turn,
					conversationId: turn.conversationId ?? conversationId,
					chatId: turn.chatId ?? chatId,
				},
				botId,
				conversationId,
				redactorFor(connection),
				itemIndex,
			);
		}),
	);
}

/**
 * Tool Outputs as Coze takes them: [{tool_call_id, output (text)}]. From a list of such entries,
 * or an object of outputs by call id (the id is data: any name). Each entry is checked, naming it.
 */
function readToolOutputs(
	this: IExecuteFunctions,
	itemIndex: number,
): Array<{ tool_call_id: string; output: string }> {
	let value = this.getNodeParameter('toolOutputs', itemIndex, '') as unknown;
	const fail = (message: string) =>
		new NodeOperationError(this.getNode(), message, {
			itemIndex,
			description:
				'Give one output per tool call of the interrupt item, e.g. with an Edit Fields node that sets "tool_outputs" to {{ $json.tool_calls.map(call => ({ tool_call_id: call.id, output: "…" })) }}',
		});
	if (typeof value === 'string') {
		if (value.trim() === '') throw fail('Tool Outputs is empty');
		try {
			value = JSON.parse(value);
		} catch {
			throw fail('Tool Outputs is not valid JSON');
		}
	}
	if (value === undefined || value === null) throw fail('Tool Outputs is empty');
	const entries: Array<[unknown, unknown]> = Array.isArray(value)
		? value.map((entry: unknown, i) => {
				if (!isJsonObject(entry) || !Object.hasOwn(entry, 'tool_call_id'))
					throw fail(`Tool Outputs[${i}] has no tool_call_id`);
				return [entry.tool_call_id, Object.hasOwn(entry, 'output') ? entry.output : undefined];
			})
		: isJsonObject(value)
			? Object.entries(value)
			: [];
	if (entries.length === 0) throw fail('Tool Outputs has no output');
	return entries.map(([id, output], i) => {
		if (typeof id !== 'string' || id.trim() === '')
			throw fail(`Tool Outputs[${i}]: tool_call_id must be the call's id (text)`);
		if (output === undefined || output === null)
			throw fail(`Tool Outputs[${i}] (${id}) has no output`);
		return {
			tool_call_id: id,
			output: typeof output === 'string' ? output : stringifyJson(output),
		};
	});
}
