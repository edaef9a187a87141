import type { IExecuteFunctions } from 'n8n-workflow';

import { botIdFromUrl } from '../../transport/protocols/bot-url';
import { readLocatorId, type LocatorField } from '../workflow/parameters';

const BOT_FIELD: LocatorField = {
	name: 'botId',
	label: 'Bot',
	idLabel: 'Bot',
	thing: 'bot',
	idFromUrl: botIdFromUrl,
	urlHelp:
		'Open the bot in Coze and paste the address from the browser: it has /space/…/bot/ in it, e.g. https://www.coze.cn/space/…/bot/7404830425073352713. Or choose By ID.',
	emptyHint:
		"Choose a bot from the list, or give its ID: the number after /bot/ in the address of the bot's page in Coze.",
	idHelp:
		"A bot ID is a number, e.g. 7404830425073352713: the digits after /bot/ in the address of the bot's page in Coze.",
};

/**
 * Reads the Bot field: the resource locator (picked from the list, the address of the bot's page
 * in Coze, or its ID), or the bot ID an expression gave. Digits only, exactly as given.
 */
export function readBotId(this: IExecuteFunctions, itemIndex: number): string {
	return readLocatorId.call(this, itemIndex, BOT_FIELD);
}
