import { createParser, type EventSourceMessage } from 'eventsource-parser';

import { CozeError } from './coze-error';
import { parseJsonKeepingLongIntegers } from './lossless-json';

/** One chunk of a node's message (`Message` event). Names as Coze sends them. */
export interface CozeMessageData {
	content?: string;
	content_type?: string;
	node_title?: string;
	node_id?: string;
	node_type?: string;
	node_execute_uuid?: string;
	/** Position of this chunk within its node's message, "0", "1", … */
	node_seq_id?: string;
	/** True on the last chunk of the node's message. */
	node_is_finish?: boolean;
	usage?: { token_count?: number; input_count?: number; output_count?: number };
	ext?: Record<string, string>;
}

export interface CozeInterruptData {
	interrupt_data?: {
		event_id?: string;
		type?: number;
		data?: string;
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

/** Bounds what one event may buffer: a server that never ends a line cannot exhaust memory. */
const MAX_EVENT_CHARS = 64 * 1024 * 1024;

/**
 * Reads Coze's event stream as it arrives: bytes → UTF-8 text (a character split across chunks
 * is held until complete) → eventsource-parser (any line ending, "id:0" without a space, a
 * last event with no blank line after it) → typed events. PING and unknown events are
 * skipped; a gap in the event ids means events were lost, which is an error.
 *
 * Yields the events of each network chunk together: one await per chunk rather than per event
 * keeps a stream of 100k small events cheap (bench/stream).
 */
export async function* readCozeEvents(body: AsyncIterable<Uint8Array>): AsyncGenerator<CozeStreamEvent[]> {
	const decoder = new TextDecoder('utf-8');
	const parsed: EventSourceMessage[] = [];
	let parseError: Error | undefined;
	const parser = createParser({
		onEvent: (event) => parsed.push(event),
		onError: (error) => {
			// Unknown fields ("garbage lines") are ignored as the SSE spec says; an event too
			// large to buffer is not.
			if (error.type === 'max-buffer-size-exceeded') parseError = error;
		},
		maxBufferSize: MAX_EVENT_CHARS,
	});
	const ids = new IdSequence();

	/** The events parsed so far, and the error that stopped them (after those events: none is lost). */
	function drain(): { batch: CozeStreamEvent[]; error?: unknown } {
		const batch: CozeStreamEvent[] = [];
		try {
			for (const event of parsed) {
				ids.check(event.id);
				const typed = toCozeEvent(event);
				if (typed) batch.push(typed);
			}
			if (parseError) throw new CozeError('Coze sent an event larger than 64 MB', { kind: 'protocol', cause: parseError });
			return { batch };
		} catch (error) {
			return { batch, error };
		} finally {
			parsed.length = 0;
		}
	}

	function* flush(): Generator<CozeStreamEvent[]> {
		const { batch, error } = drain();
		if (batch.length) yield batch;
		if (error) throw error;
	}

	for await (const chunk of body) {
		parser.feed(decoder.decode(chunk, { stream: true }));
		yield* flush();
	}
	// A stream whose last event has no blank line after it (or no line end at all) still
	// delivered that event: end its line and the event. After a proper ending this adds nothing.
	parser.feed(`${decoder.decode()}\n\n`);
	yield* flush();
}

/** Coze numbers events 0, 1, 2, …; a jump means events were lost in between. */
class IdSequence {
	private last: bigint | undefined;

	check(id: string | undefined): void {
		if (id === undefined || !/^\d+$/.test(id)) return;
		const current = BigInt(id);
		if (this.last !== undefined && current !== this.last + 1n) {
			throw new CozeError(`Coze's event stream skipped from event ${this.last} to ${current}: events were lost`, {
				kind: 'protocol',
				description: 'The workflow may have run, but its output arrived incomplete. Run it again, or check its result in Coze with the debug URL.',
			});
		}
		this.last = current;
	}
}

function toCozeEvent(event: EventSourceMessage): CozeStreamEvent | undefined {
	switch (event.event) {
		case 'Message':
		case 'Interrupt':
		case 'Error':
		case 'Done':
			return { type: event.event, data: parseData(event) } as CozeStreamEvent;
		case 'error':
			// Coze Studio, failing mid-stream, sends a lower-case "error" whose data is plain text.
			return { type: 'Error', data: plainTextError(event.data) };
		default:
			// PING (heartbeat) and any event this node does not know.
			return undefined;
	}
}

function parseData(event: EventSourceMessage): object {
	if (event.event === 'Done' && event.data.trim() === '') return {};
	let data: unknown;
	try {
		data = parseJsonKeepingLongIntegers(event.data);
	} catch {
		if (event.event === 'Error') return plainTextError(event.data);
		throw new CozeError(`Coze sent a ${event.event} event whose data is not JSON`, {
			kind: 'protocol',
			description: `It began: "${event.data.slice(0, 120)}". Check the Base URL points at the Coze API.`,
		});
	}
	if (data === null || typeof data !== 'object' || Array.isArray(data)) {
		throw new CozeError(`Coze sent a ${event.event} event whose data is not a JSON object`, { kind: 'protocol' });
	}
	return data;
}

function plainTextError(text: string): CozeErrorEventData {
	return { error_message: text.trim() || 'unknown error' };
}
