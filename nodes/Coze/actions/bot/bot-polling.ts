import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { Polling } from '../../transport/protocols/workflow-run';
import { readPolling } from '../workflow/parameters';

/** Poll Until Done's settings (chat.options.ts botPollingOptions: 1 s, 10 minutes by default). */
export function readBotPolling(
	this: IExecuteFunctions,
	options: IDataObject,
	itemIndex: number,
): Polling {
	return readPolling.call(this, options, itemIndex, { intervalSeconds: 1, maxWaitMinutes: 10 });
}
