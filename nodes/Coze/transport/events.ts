import { createParser, type EventSourceMessage } from 'eventsource-parser';

import { CozeError } from './coze-error';
import type { CozeEnvelope } from './envelope';
import { parseJsonKeepingLongIntegers, parseJsonObject } from './lossless-json';
import { snippet } from './redaction';

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

/** Bounds what one event may buffer: a server that never ends a line cannot exhaust memory. */
const MAX_EVENT_CHARS = 64 * 1024 * 1024;

/**
 * Reads Coze's event stream as it arrives: bytes → UTF-8 text (a character split across chunks
 * is held until complete) → eventsource-parser (any line ending, "id:0" without a space, a
 * last event with no blank line after it) → typed events. PING and unknown events are
 * skipped; a gap in the event ids means events were lost, which is an error.
 *
 * Yields the events of each network chunk together: one await per chunk rather than per event
 * keeps a stream of 100k small events cheap (bench/stream). A chunk that completed only events
 * this reader skips (a PING) yields an empty batch, so the caller sees the sign of life; a
 * chunk that completed no event yields nothing.
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
	function drain(): { batch: CozeStreamEvent[]; any: boolean; error?: unknown } {
		const batch: CozeStreamEvent[] = [];
		const any = parsed.length > 0;
		try {
			for (const event of parsed) {
				ids.check(event.id);
				const typed = toCozeEvent(event);
				if (typed) batch.push(typed);
			}
			if (parseError) throw new CozeError('Coze sent an event larger than 64 MB', { kind: 'protocol', cause: parseError });
			return { batch, any };
		} catch (error) {
			return { batch, any, error };
		} finally {
			parsed.length = 0;
		}
	}

	// Until a first event, the text is kept (up to a bound): a body that never frames one may be
	// Coze's JSON error envelope sent as a stream (coze-js's fetcher reads it so).
	let unframed: string | undefined = '';
	const feed = (text: string) => {
		if (unframed !== undefined) unframed = unframed.length + text.length <= MAX_UNFRAMED_CHARS ? unframed + text : undefined;
		parser.feed(text);
	};

	function* flush(): Generator<CozeStreamEvent[]> {
		const { batch, any, error } = drain();
		if (any) {
			unframed = undefined;
			yield batch;
		}
		if (error) throw error;
	}

	for await (const chunk of body) {
		feed(decoder.decode(chunk, { stream: true }));
		yield* flush();
	}
	// A stream whose last event has no blank line after it (or no line end at all) still
	// delivered that event: end its line and the event. After a proper ending this adds nothing.
	feed(`${decoder.decode()}\n\n`);
	yield* flush();
	const envelope = unframed === undefined ? undefined : envelopeIn(unframed);
	if (envelope) throw new EnvelopeInStream(envelope);
}

/** The most of an unframed body that is kept to be read as an envelope (envelopes are small). */
const MAX_UNFRAMED_CHARS = 64 * 1024;

/** A stream body that held no event but Coze's JSON error envelope. */
export class EnvelopeInStream extends Error {
	constructor(readonly envelope: CozeEnvelope) {
		super('Coze sent its error envelope in place of an event stream');
		this.name = 'EnvelopeInStream';
	}
}

function envelopeIn(text: string): CozeEnvelope | undefined {
	const value = parseJsonObject(text) as CozeEnvelope | undefined;
	return typeof value?.code === 'number' ? value : undefined;
}

/** Event ids are counters from 0; a longer one is not Coze's (and is not worth parsing). */
const MAX_ID_DIGITS = 20;
/** Up to this many digits an id is read as a number exactly (the common, fast case). */
const EXACT_NUMBER_DIGITS = 15;
const DIGITS = /^\d+$/;

/**
 * Coze numbers events 0, 1, 2, …; a jump means events were lost, a repeat or a step back means
 * the stream is not one run's. Ids of up to 15 digits are compared as numbers, longer ones as
 * decimal strings; their length is bounded, so no server-sized number is ever parsed.
 */
class IdSequence {
	private last: number | string | undefined;

	check(id: string | undefined): void {
		if (id === undefined) return;
		if (id.length > MAX_ID_DIGITS) {
			throw new CozeError(`Coze sent an event id of ${id.length} characters`, {
				kind: 'protocol',
				description: 'Event ids count 0, 1, 2, …; this stream is not a Coze workflow run. Check the credential\'s Base URL.',
			});
		}
		if (!DIGITS.test(id)) return;
		const current = id.length <= EXACT_NUMBER_DIGITS ? Number(id) : id.replace(/^0+(?=\d)/, '');
		const last = this.last;
		this.last = current;
		if (last === undefined) return;
		if (typeof last === 'number' && typeof current === 'number' && current === last + 1) return;
		const [before, now] = [String(last), String(current)];
		if (now === incrementDecimal(before)) return;
		const lostDescription = 'The workflow may have run, but its output arrived incomplete. Run it again, or check its result in Coze with the debug URL.';
		if (now === before) throw new CozeError(`Coze sent event ${now} twice`, { kind: 'protocol', description: lostDescription });
		if (compareDecimal(now, before) < 0) {
			throw new CozeError(`Coze's event stream went back from event ${before} to ${now}`, { kind: 'protocol', description: lostDescription });
		}
		throw new CozeError(`Coze's event stream skipped from event ${before} to ${now}: events were lost`, { kind: 'protocol', description: lostDescription });
	}
}

function incrementDecimal(digits: string): string {
	let i = digits.length - 1;
	while (i >= 0 && digits[i] === '9') i--;
	if (i < 0) return `1${'0'.repeat(digits.length)}`;
	return `${digits.slice(0, i)}${String(Number(digits[i]) + 1)}${'0'.repeat(digits.length - i - 1)}`;
}

/** Compares two decimal strings without leading zeros. */
function compareDecimal(a: string, b: string): number {
	if (a.length !== b.length) return a.length - b.length;
	return a < b ? -1 : a > b ? 1 : 0;
}

function toCozeEvent(event: EventSourceMessage): CozeStreamEvent | undefined {
	switch (event.event) {
		case 'Message':
		case 'Interrupt':
		case 'Done':
			return { type: event.event, data: parseData(event) } as CozeStreamEvent;
		case 'Error':
			return { type: 'Error', data: errorData(parseData(event) as Record<string, unknown>) };
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
			description: `It began: "${snippet(event.data, 120)}". Check the Base URL points at the Coze API.`,
		});
	}
	if (data === null || typeof data !== 'object' || Array.isArray(data)) {
		throw new CozeError(`Coze sent a ${event.event} event whose data is not a JSON object`, { kind: 'protocol' });
	}
	return data;
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
