import type { IExecuteFunctions } from 'n8n-workflow';

import { readId } from '../workflow/parameters';

/** The Bot field's id (placeholder until the picker lands). */
export function readBotId(this: IExecuteFunctions, itemIndex: number): string {
	return readId.call(this, 'botId', 'Bot', itemIndex, 'Pick the bot to chat with.');
}
