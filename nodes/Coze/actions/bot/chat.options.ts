import type { INodeProperties } from 'n8n-workflow';

import { pollingOptions, streamToChatField } from '../workflow/options.description';
import type { PollingDefaults } from '../workflow/parameters';

const jsonOption = (
	displayName: string,
	name: string,
	description: string,
	placeholder: string,
): INodeProperties => ({
	displayName,
	name,
	type: 'json',
	default: '',
	placeholder,
	description,
});

/** Stream to Chat of Bot → Chat and Submit Tool Outputs: the bot's answer as it is written. */
export const botStreamToChatOption = streamToChatField('answer', [
	{ name: 'Answer', value: 'answer', description: "The bot's answer, piece by piece" },
	{ name: 'Nothing', value: 'none' },
]);

/** How the answer is waited for: streamed (the default), or asked for until it is ready (no stream through proxies that cut one). */
export const responseModeOption: INodeProperties = {
	displayName: 'Response Mode',
	name: 'responseMode',
	type: 'options',
	default: 'stream',
	options: [
		{
			name: 'Stream',
			value: 'stream',
			description: "Coze streams the answer as it is written (live in n8n's chat)",
		},
		{
			name: 'Poll Until Done',
			value: 'poll',
			description:
				'Coze answers without a stream; the node asks every Poll Interval until the chat is done. For networks that cut long streams.',
		},
	],
};

/** Poll Until Done asks every second, for up to 10 minutes, unless told otherwise. */
export const BOT_POLLING_DEFAULTS: PollingDefaults = { intervalSeconds: 1, maxWaitMinutes: 10 };

/** Poll Until Done's two settings, shown for that Response Mode. */
const botPolling = pollingOptions(
	'Poll Until Done',
	{ displayOptions: { show: { responseMode: ['poll'] } } },
	BOT_POLLING_DEFAULTS,
	{ waitedFor: 'the answer', finished: 'the chat is done' },
);
export const botPollingOptions: INodeProperties[] = [botPolling.maxWait, botPolling.pollInterval];

/** "Options" of Bot → Chat: the rest of /v3/chat's body (coze-sdk-gen docs/api-markdown/chat_v3.md). */
export const botChatOptions: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	displayOptions: { show: { resource: ['bot'], operation: ['chat'] } },
	options: [
		jsonOption(
			'Additional Messages',
			'additionalMessages',
			"Messages sent before the user's, as Coze's message objects (role, content, content_type), e.g. earlier turns or a file as object_string",
			'[{"role": "assistant", "content": "Hello!", "content_type": "text"}]',
		),
		{
			displayName: 'Auto Save History',
			name: 'autoSaveHistory',
			type: 'boolean',
			default: true,
			description:
				'Whether Coze keeps this chat in the conversation. Off, the bot forgets the turn, and its tool calls cannot be answered (Coze refuses Submit Tool Outputs).',
		},
		jsonOption(
			'Custom Variables',
			'customVariables',
			"Values for the bot's prompt variables ({{name}} in its persona), as a JSON object of strings",
			'{"name": "Alice"}',
		),
		jsonOption(
			'Meta Data',
			'metaData',
			'Your own key-value pairs kept with the chat, as a JSON object of strings',
			'{"order": "A-1001"}',
		),
		jsonOption(
			'Parameters',
			'parameters',
			"For a bot in chatflow mode: the chatflow's start-node inputs, as a JSON object",
			'{"city": "Hangzhou"}',
		),
		responseModeOption,
		...botPollingOptions,
		botStreamToChatOption,
		{
			displayName: 'User ID',
			name: 'userId',
			type: 'string',
			default: '',
			description:
				'Who is talking, for the bot\'s per-user data (variables, memory). Empty: one ID per chat session (n8n-… from the session), or "n8n" without sessions.',
		},
	],
};
