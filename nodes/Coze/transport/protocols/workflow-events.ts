import type { EventSourceMessage } from 'eventsource-parser';

import { CozeError } from '../http/coze-error';
import { eventTooDeep } from '../http/event-stream';
import { JsonTooDeep, parseJsonKeepingLongIntegers, textOfServerValue } from '../http/lossless-json';
import type { Redactor } from '../http/redaction';

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
export function decodeWorkflowEvent(event: EventSourceMessage, redact: Redactor): CozeStreamEvent | undefined {
	switch (event.event) {
		case 'Message':
			return { type: 'Message', data: messageData(parseData(event, redact) as Record<string, unknown>) };
		case 'Interrupt':
		case 'Done':
			return { type: event.event, data: parseData(event, redact) } as CozeStreamEvent;
		case 'Error':
			return { type: 'Error', data: errorData(parseData(event, redact) as Record<string, unknown>) };
		case 'error':
			// Coze Studio, failing mid-stream, sends a lower-case "error" whose data is plain text.
			return { type: 'Error', data: plainTextError(event.data) };
		default:
			// PING (heartbeat) and any event this node does not know.
			return undefined;
	}
}

function parseData(event: EventSourceMessage, redact: Redactor): object {
	if (event.event === 'Done' && event.data.trim() === '') return {};
	let data: unknown;
	try {
		data = parseJsonKeepingLongIntegers(event.data);
	} catch (error) {
		if (error instanceof JsonTooDeep) throw eventTooDeep(event.event);
		if (event.event === 'Error') return plainTextError(event.data);
		throw new CozeError(`Coze sent a ${event.event} event whose data is not JSON`, {
			kind: 'protocol',
			description: `It began: "${redact.snippet(event.data, 120)}". Check the Base URL points at the Coze API.`,
		});
	}
	if (data === null || typeof data !== 'object' || Array.isArray(data)) {
		throw new CozeError(`Coze sent a ${event.event} event whose data is not a JSON object`, { kind: 'protocol' });
	}
	return data;
}

/** A message's content as text, whatever type the server used (see textOfServerValue). */
function messageData(data: Record<string, unknown>): CozeMessageData {
	return { ...data, content: textOfServerValue(data.content) };
}

/** An Error event's fields as text and number, whatever types the server used. */
function errorData(data: Record<string, unknown>): CozeErrorEventData {
	const message = data.error_message;
	const code = data.error_code;
	return {
		...data,
		error_message: typeof message === 'string' ? message : message === undefined || message === null ? undefined : JSON.stringify(message),
		error_code: typeof code === 'number' ? code : typeof code === 'string' && /^-?\d+$/.test(code.trim()) ? Number(code) : undefined,
		debug_url: typeof data.debug_url === 'string' ? data.debug_url : undefined,
	};
}

function plainTextError(text: string): CozeErrorEventData {
	return { error_message: text.trim() || 'unknown error' };
}
