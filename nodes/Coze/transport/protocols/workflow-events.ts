import type { EventSourceMessage } from 'eventsource-parser';

import { textOfServerValue } from '../http/lossless-json';
import type { Redactor } from '../http/redaction';
import { errorCode } from './error-code';
import { eventJson, eventObject } from './event-data';

// The events of a workflow run's stream (/v1/workflow/stream_run, stream_resume), as Coze names them.

/** One chunk of a node's message (`Message` event). Names and types as Coze sends them. */
export interface CozeMessageData {
	content?: string;
	content_type?: string;
	node_title?: string;
	node_id?: string;
	node_type?: string;
	/** One execution of a node (the cloud; Coze Studio never sends it). */
	node_execute_uuid?: string;
	/** Where the cloud has no node_execute_uuid, these tell a node's executions apart. */
	sub_execute_id?: string;
	batch_index?: number | string;
	loop_index?: number | string;
	/**
	 * Position of this chunk: within its node's message on the cloud ("0", "1", …); on Coze Studio
	 * one counter per node_id for the whole stream.
	 */
	node_seq_id?: string;
	/** True on the last chunk of the node's message. */
	node_is_finish?: boolean;
	usage?: { token_count?: number; input_count?: number; output_count?: number };
	/** Coze Studio's (and the cloud End node's) token count, in place of usage. */
	token?: number | string;
	cost?: string;
	ext?: Record<string, string>;
}

export interface CozeInterruptData {
	/** As the server sent it: collectedInterrupt checks each field. */
	interrupt_data?: {
		event_id?: unknown;
		type?: unknown;
		data?: unknown;
		required_parameters?: unknown;
	};
	node_title?: string;
	/** Coze Studio sends it here; the cloud only in Done, which an interrupted run never sends. */
	debug_url?: string;
}

export interface CozeErrorEventData {
	error_code?: number;
	error_message?: string;
	debug_url?: string;
}

export type CozeStreamEvent =
	| { type: 'Message'; data: CozeMessageData }
	| { type: 'Interrupt'; data: CozeInterruptData }
	| { type: 'Error'; data: CozeErrorEventData }
	| { type: 'Done'; data: { debug_url?: string } };

/**
 * Types one event of a workflow run's stream, or skips it (undefined). `redact` cleans what an
 * error quotes of the event before it is cut short.
 */
export function decodeWorkflowEvent(
	event: EventSourceMessage,
	redact: Redactor,
): CozeStreamEvent | undefined {
	switch (event.event) {
		case 'Message':
			return { type: 'Message', data: messageData(eventObject(event, redact)) };
		case 'Interrupt':
			return { type: 'Interrupt', data: eventObject(event, redact) as CozeInterruptData };
		case 'Done':
			return {
				type: 'Done',
				data:
					event.data.trim() === '' ? {} : (eventObject(event, redact) as { debug_url?: string }),
			};
		case 'Error': {
			// Its data may be plain text where JSON is expected: the error's words all the same.
			const data = eventJson(event);
			return {
				type: 'Error',
				data:
					data === undefined
						? plainTextError(event.data)
						: errorData(eventObject(event, redact, data)),
			};
		}
		case 'error':
			// Coze Studio, failing mid-stream, sends a lower-case "error" whose data is plain text.
			return { type: 'Error', data: plainTextError(event.data) };
		default:
			// PING (heartbeat) and any event this node does not know.
			return undefined;
	}
}

/** A message's content as text, whatever type the server used (see textOfServerValue). */
function messageData(data: Record<string, unknown>): CozeMessageData {
	return { ...data, content: textOfServerValue(data.content) };
}

/** An Error event's fields as text and number, whatever types the server used. */
function errorData(data: Record<string, unknown>): CozeErrorEventData {
	const message = data.error_message;
	return {
		...data,
		error_message:
			message === undefined || message === null ? undefined : textOfServerValue(message),
		error_code: errorCode(data.error_code),
		debug_url: typeof data.debug_url === 'string' ? data.debug_url : undefined,
	};
}

function plainTextError(text: string): CozeErrorEventData {
	return { error_message: text.trim() || 'unknown error' };
}
