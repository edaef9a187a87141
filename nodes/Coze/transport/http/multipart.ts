import type { Readable } from 'node:stream';

import { FormData, Response } from 'undici';

import { LocalReadError } from './local-read-error';

export interface StreamedUpload {
	source: Readable;
	/** Exact byte count: it becomes part of Content-Length, and undici fails if the stream differs. */
	bytes: number;
	fileName: string;
	mimeType: string;
}

/** A request body ready for undici: its chunks, its type and its exact length. */
export interface StreamedBody {
	chunks: AsyncIterable<Uint8Array>;
	contentType: string;
	contentLength: number;
}

/**
 * The multipart body of `POST /v1/files/upload`: exactly one part, named "file".
 *
 * undici writes the framing: we let it encode the same form with an empty file, and split that
 * at the empty content, which sits right after the part's headers (the first blank line; undici
 * escapes CR and LF in file names). The file's own chunks go between the two halves straight
 * from n8n's stream to the socket. Handing undici the real file in a FormData instead would
 * copy every chunk through two web streams, which costs half the throughput in garbage
 * collection on a large n8n heap (measured by bench/upload).
 */
export async function fileUploadBody(upload: StreamedUpload): Promise<StreamedBody> {
	const form = new FormData();
	form.append('file', new File([], upload.fileName, { type: upload.mimeType }));
	const encoded = new Response(form);
	const framing = Buffer.from(await encoded.arrayBuffer());
	const headersEnd = framing.indexOf('\r\n\r\n') + 4;
	const head = framing.subarray(0, headersEnd);
	const tail = framing.subarray(headersEnd);
	return {
		chunks: (async function* () {
			yield head;
			try {
				yield* upload.source as AsyncIterable<Buffer>;
			} catch (error) {
				throw new LocalReadError(upload.fileName, error);
			}
			yield tail;
		})(),
		contentType: encoded.headers.get('content-type') ?? 'multipart/form-data',
		contentLength: head.length + upload.bytes + tail.length,
	};
}
