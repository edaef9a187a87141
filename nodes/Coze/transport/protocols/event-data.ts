import type { EventSourceMessage } from 'eventsource-parser';

import { CozeError } from '../http/coze-error';
import { eventTooDeep } from '../http/event-stream';
import { isJsonObject, JsonTooDeep, parseJsonKeepingLongIntegers } from '../http/lossless-json';
import type { Redactor } from '../http/redaction';

/**
 * An event's data read as JSON (every digit kept), or undefined where it is not JSON (an error
 * event's data may be plain text). JSON nested deeper than the node reads is refused, naming the event.
 */
export function eventJson(event: EventSourceMessage): unknown {
	try {
		return parseJsonKeepingLongIntegers(event.data);
	} catch (error) {
		if (error instanceof JsonTooDeep) throw eventTooDeep(event.event);
		return undefined;
	}
}

/**
 * An event's data as the JSON object Coze sends, or the protocol error that says what came
 * instead. `data` is the event's data already read (eventJson); `redact` cleans what the error
 * quotes of it before it is cut short.
 */
export function eventObject(
	event: EventSourceMessage,
	redact: Redactor,
	data: unknown = eventJson(event),
): Record<string, unknown> {
	if (data === undefined) {
		throw new CozeError(`Coze sent a ${event.event} event whose data is not JSON`, {
			kind: 'protocol',
			description: `It began: "${redact.snippet(event.data, 120)}". Check the Base URL points at the Coze API.`,
		});
	}
	if (!isJsonObject(data))
		throw new CozeError(`Coze sent a ${event.event} event whose data is not a JSON object`, {
			kind: 'protocol',
		});
	return data;
}
