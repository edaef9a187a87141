import type { INodeProperties } from 'n8n-workflow';

import { locatorModes } from './locator-modes';

/**
 * The Bot field (a resource locator) of the Bot resource's operations: picked from the bots
 * published to the API channel in the token's workspaces (methods/bot-search.ts), pasted as the
 * address of the bot's page in Coze, or given by ID. The run reads it with readBotId
 * (actions/bot/bot-id.ts).
 */
export const botLocator = (operations: string[]): INodeProperties => ({
	displayName: 'Bot',
	name: 'botId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description:
		'The bot (智能体) to talk to. It must be published to the API channel (Agent as API) in Coze.',
	displayOptions: { show: { resource: ['bot'], operation: operations } },
	...locatorModes({
		thing: 'bot',
		searchListMethod: 'searchBots',
		listPlaceholder: 'Select a bot…',
		urlPlaceholder: 'https://www.coze.cn/space/…/bot/7404830425073352713',
		urlHint: "The address of the bot's page in Coze (its editor)",
		// What the node reads By URL: transport/protocols/bot-url.ts.
		urlPattern: '.*/space/\\d+/bot/\\d+.*',
	}),
});
