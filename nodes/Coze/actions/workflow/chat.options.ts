import type { INodeProperties } from 'n8n-workflow';

import { filesFromBinaryOptions } from './files-from-binary';
import { extOption, idOption, streamToChatField } from './options.description';

/** "Options" of Chat: what Coze's chatflow endpoint accepts of Run's options, and what streams. */
export const chatOptions: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	displayOptions: { show: { resource: ['workflow'], operation: ['chat'] } },
	options: [
		idOption(
			'App ID',
			'appId',
			"For a chatflow inside a Coze app: the app's ID. Left empty, node version 2 sends the chosen chatflow's app itself. Not together with Bot ID.",
		),
		idOption(
			'Bot ID',
			'botId',
			"For a chatflow that runs as an agent: the agent's ID. Not together with App ID: when set, no app ID is sent.",
		),
		idOption(
			'Connector ID',
			'connectorId',
			'The channel the chat is attributed to; Coze uses 1024 (API) when empty',
		),
		extOption('chatflow'),
		...filesFromBinaryOptions,
		streamToChatField('answer', [
			{ name: 'Answer', value: 'answer', description: "The chatflow's answer, piece by piece" },
			{ name: 'Nothing', value: 'none' },
		]),
	],
};
