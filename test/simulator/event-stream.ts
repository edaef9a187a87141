import type { ServerResponse } from 'node:http';

/** One server-sent event as the simulator writes it. `data` objects are sent as one-line JSON. */
export interface SimEvent {
	id?: number | string;
	event: string;
	data: string | object;
}

/** The byte-level quirks of real Coze streams (coze-api.md), each switchable. */
export interface StreamShape {
	lineEnding?: '\n' | '\r\n';
	/** "id:0" instead of "id: 0". */
	idWithoutSpace?: boolean;
	/**
	 * "event:name" and "data:…" with no space after the colon: the cloud's recorded bot chat
	 * (cozepy@6b0f4cdf tests/testdata/chat_text_stream_resp.txt) and Coze Studio's SSE writer
	 * (hertz-contrib/sse v0.1.0 encoder.go, pinned by coze-studio backend/go.mod).
	 */
	fieldsWithoutSpace?: boolean;
	/** The last event is not followed by a blank line. */
	noFinalBlankLine?: boolean;
	/** Its last line has no line end either: the file ends with the data (cozepy's chat_text_stream_resp.txt). */
	noFinalLineEnd?: boolean;
	/** Where to cut the body into separate writes (byte offsets); by default one write per event. */
	splitAt?: (body: Buffer) => number[];
	/** Pause between writes. */
	delayMs?: number;
	/** Destroy the connection after this many bytes (a cut stream, possibly inside an event), or after the offset this finds in the body. */
	cutAfterBytes?: number | ((body: Buffer) => number);
	/** Called with each write, so a test can act mid-stream. */
	onWrite?: (writeIndex: number) => void | Promise<void>;
	/** Wait this long before answering at all (a workflow that takes time to start). */
	initialDelayMs?: number;
	/** Called once the stream has ended or been cut. */
	onEnd?: () => void;
	/** After the last event, send nothing more but keep the connection open (a silent server). */
	holdOpen?: boolean;
}

/** Each event's bytes, as the server writes it. */
function encodeEventParts(events: SimEvent[], shape: StreamShape = {}): Buffer[] {
	const eol = shape.lineEnding ?? '\n';
	return events.map((event, i) => {
		const lines: string[] = [];
		if (event.id !== undefined)
			lines.push(shape.idWithoutSpace ? `id:${event.id}` : `id: ${event.id}`);
		const space = shape.fieldsWithoutSpace ? '' : ' ';
		lines.push(`event:${space}${event.event}`);
		lines.push(
			`data:${space}${typeof event.data === 'string' ? event.data : JSON.stringify(event.data)}`,
		);
		const last = i === events.length - 1;
		const end =
			last && shape.noFinalLineEnd ? '' : last && shape.noFinalBlankLine ? eol : eol + eol;
		return Buffer.from(lines.join(eol) + end, 'utf8');
	});
}

export function encodeEvents(events: SimEvent[], shape: StreamShape = {}): Buffer {
	return Buffer.concat(encodeEventParts(events, shape));
}

/** Byte offsets where each event begins: the default way to cut a stream into writes. */
function eventBoundaries(parts: Buffer[]): number[] {
	const offsets: number[] = [];
	let offset = 0;
	for (const part of parts) offsets.push((offset += part.length));
	return offsets;
}

export async function sendEventStream(
	res: ServerResponse,
	events: SimEvent[],
	shape: StreamShape = {},
): Promise<void> {
	try {
		await writeEventStream(res, events, shape);
	} finally {
		shape.onEnd?.();
	}
}

async function writeEventStream(
	res: ServerResponse,
	events: SimEvent[],
	shape: StreamShape,
): Promise<void> {
	if (shape.initialDelayMs)
		await new Promise((resolve) => setTimeout(resolve, shape.initialDelayMs));
	const parts = encodeEventParts(events, shape);
	const body = Buffer.concat(parts);
	// Studio's handler sets this content type and cache-control (coze-studio workflow_service.go); the
	// cloud's stream headers are in no fixture (no evidence), the log id header is its JSON answers'.
	res.writeHead(200, {
		'content-type': 'text/event-stream; charset=utf-8',
		'cache-control': 'no-cache',
		'x-tt-logid': 'STREAMLOG',
	});
	const cuts = [...new Set(shape.splitAt ? shape.splitAt(body) : eventBoundaries(parts))]
		.filter((cut) => cut > 0 && cut < body.length)
		.sort((a, b) => a - b);
	const limit =
		typeof shape.cutAfterBytes === 'function'
			? shape.cutAfterBytes(body)
			: (shape.cutAfterBytes ?? Infinity);
	let start = 0;
	let writeIndex = 0;
	for (const end of [...cuts, body.length]) {
		if (res.destroyed) return;
		const stop = Math.min(end, limit);
		if (stop > start) res.write(body.subarray(start, stop));
		if (stop >= limit) {
			await new Promise((resolve) => setTimeout(resolve, 10));
			res.destroy();
			return;
		}
		start = end;
		await shape.onWrite?.(writeIndex++);
		// A pause between writes, none after the last: the stream is over once it is written.
		if (shape.delayMs && end < body.length)
			await new Promise((resolve) => setTimeout(resolve, shape.delayMs));
	}
	if (!shape.holdOpen) res.end();
}

/** Writes pre-encoded event bytes in 64 KiB pieces, waiting whenever the client falls behind. */
export async function sendEncodedStream(res: ServerResponse, body: Buffer): Promise<void> {
	res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
	for (let start = 0; start < body.length && !res.destroyed; start += 65536) {
		if (!res.write(body.subarray(start, start + 65536))) {
			await new Promise<void>((resolve) => {
				const done = () => {
					res.off('drain', done).off('close', done);
					resolve();
				};
				res.on('drain', done).on('close', done);
			});
		}
	}
	res.end();
}
