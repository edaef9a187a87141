import { Readable } from 'node:stream';
import { ReadableStream as WebReadableStream } from 'node:stream/web';
import { FormData } from 'undici';

/**
 * A File whose bytes are a stream, read once while undici sends the body.
 *
 * undici's multipart encoder (the spec's "multipart/form-data encoding") takes any File:
 * it adds `size` to the Content-Length it computes up front and pipes `stream()` into the
 * socket with backpressure. Giving it a stream-backed File lets undici write all of the
 * multipart framing while the file itself is never held in memory.
 */
class StreamedFile extends File {
	#source: Readable | undefined;

	constructor(source: Readable, bytes: number, fileName: string, mimeType: string) {
		super([], fileName, { type: mimeType });
		// Blob's `size` is a prototype getter over its (empty) own bytes; shadow it.
		Object.defineProperty(this, 'size', { value: bytes, enumerable: true });
		this.#source = source;
	}

	override stream(): ReturnType<File['stream']> {
		const source = this.#source;
		if (!source) throw new Error(`The file "${this.name}" is a stream and can be sent only once`);
		this.#source = undefined;
		return pullFrom(source) as unknown as ReturnType<File['stream']>;
	}
}

/**
 * A web stream that reads the Node stream only when undici asks for more (so backpressure
 * holds), and destroys it when undici gives up (a stopped execution, a dead connection).
 * Not Readable.toWeb: on Node 20 it throws ERR_INVALID_STATE from a 'data' event after the web
 * stream is cancelled, an uncaught exception that would take n8n down.
 */
function pullFrom(source: Readable): WebReadableStream<Uint8Array> {
	const chunks = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
	return new WebReadableStream<Uint8Array>({
		async pull(controller) {
			const { value, done } = await chunks.next();
			if (done) controller.close();
			else controller.enqueue(value);
		},
		async cancel() {
			source.destroy();
		},
	});
}

export interface StreamedUpload {
	source: Readable;
	/** Exact byte count: it becomes part of Content-Length, and undici fails if the stream differs. */
	bytes: number;
	fileName: string;
	mimeType: string;
}

/** The multipart body of `POST /v1/files/upload`: exactly one part, named "file". */
export function fileUploadForm(upload: StreamedUpload): FormData {
	const form = new FormData();
	form.append('file', new StreamedFile(upload.source, upload.bytes, upload.fileName, upload.mimeType));
	return form;
}
