import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { Polling } from '../../transport/protocols/workflow-run';
import { readPolling } from '../workflow/parameters';
import { BOT_POLLING_DEFAULTS } from './chat.options';

/** Poll Until Done's settings, BOT_POLLING_DEFAULTS where not set (the fields show the same). */
export function readBotPolling(
	this: IExecuteFunctions,
	options: IDataObject,
	itemIndex: number,
): Polling {
	return readPolling.call(this, options, itemIndex, BOT_POLLING_DEFAULTS);
}
