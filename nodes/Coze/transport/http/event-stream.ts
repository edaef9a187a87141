import { createParser, type EventSourceMessage } from 'eventsource-parser';

import { CozeError } from './coze-error';
import type { CozeEnvelope } from './envelope';
import { MAX_JSON_DEPTH, parseJsonObject } from './lossless-json';

/** Bounds what one event may buffer: a server that never ends a line cannot exhaust memory. */
const MAX_EVENT_CHARS = 64 * 1024 * 1024;

/**
 * Reads one of Coze's event streams as it arrives: bytes → UTF-8 text (a character split across
 * chunks is held until complete) → eventsource-parser (any line ending, "id:0" without a space,
 * a last event with no blank line after it) → `decode`, which types an event of the protocol or
 * skips it (a PING, an event the node does not know). A gap in the event ids means events were
 * lost, which is an error.
 *
 * Yields the events of each network chunk together: one await per chunk rather than per event
 * keeps a stream of 100k small events cheap (bench/stream). A chunk that completed only events
 * `decode` skips (a PING) yields an empty batch, so the caller sees the sign of life; a chunk
 * that completed no event yields nothing.
 */
export async function* readEventStream<T>(
	body: AsyncIterable<Uint8Array>,
	decode: (event: EventSourceMessage) => T | undefined,
): AsyncGenerator<T[]> {
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
	function drain(): { batch: T[]; any: boolean; error?: unknown } {
		const batch: T[] = [];
		const any = parsed.length > 0;
		try {
			for (const event of parsed) {
				ids.check(event.id);
				const typed = decode(event);
				if (typed) batch.push(typed);
			}
			if (parseError)
				throw new CozeError('Coze sent an event larger than 64 MB', {
					kind: 'protocol',
					cause: parseError,
				});
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
		if (unframed !== undefined)
			unframed = unframed.length + text.length <= MAX_UNFRAMED_CHARS ? unframed + text : undefined;
		parser.feed(text);
	};

	function* flush(): Generator<T[]> {
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

/** An event whose JSON nests deeper than the node reads (lossless-json's JsonTooDeep): refused, naming the event. */
export function eventTooDeep(eventName: string | undefined): CozeError {
	return new CozeError(
		`Coze sent a ${eventName ?? 'message'} event nested deeper than ${MAX_JSON_DEPTH} levels`,
		{
			kind: 'protocol',
			description: `The node reads JSON up to ${MAX_JSON_DEPTH} levels deep, so that such data cannot overflow n8n's call stack. Coze's own events are a few levels deep: check the workflow's output in Coze, and that the Base URL points at the Coze API.`,
		},
	);
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
				description:
					"Event ids count 0, 1, 2, …; this stream is not a Coze workflow run. Check the credential's Base URL.",
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
		const lostDescription =
			'The workflow may have run, but its output arrived incomplete. Run it again, or check its result in Coze with the debug URL.';
		if (now === before)
			throw new CozeError(`Coze sent event ${now} twice`, {
				kind: 'protocol',
				description: lostDescription,
			});
		if (compareDecimal(now, before) < 0) {
			throw new CozeError(`Coze's event stream went back from event ${before} to ${now}`, {
				kind: 'protocol',
				description: lostDescription,
			});
		}
		throw new CozeError(
			`Coze's event stream skipped from event ${before} to ${now}: events were lost`,
			{ kind: 'protocol', description: lostDescription },
		);
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
