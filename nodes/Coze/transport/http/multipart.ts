import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';

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
 * The multipart body of `POST /v1/files/upload`: exactly one part, named "file". Its framing is
 * written here, and the file's own chunks go between head and tail straight from n8n's stream
 * to the socket. (Handing undici the file in a FormData would copy every chunk through two web
 * streams, which costs half the throughput in garbage collection on a large n8n heap: measured
 * by bench/upload.)
 */
export async function fileUploadBody(upload: StreamedUpload): Promise<StreamedBody> {
	// 128 random bits: a file cannot contain the boundary by chance.
	const boundary = `----n8n-coze-${randomBytes(16).toString('hex')}`;
	const head = Buffer.from(
		`--${boundary}\r\nContent-Disposition: form-data; name="file"; ${fileNameParameters(upload.fileName)}\r\nContent-Type: ${partType(upload.mimeType)}\r\n\r\n`,
		'utf8',
	);
	const tail = Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8');
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
		contentType: `multipart/form-data; boundary=${boundary}`,
		contentLength: head.length + upload.bytes + tail.length,
	};
}

/** Control characters (C0 and DEL): never allowed raw in a header. */
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * The file name as Content-Disposition parameters, every byte of it arriving as it is.
 *
 * `filename` is a quoted-string (RFC 7578 section 4.2, RFC 6266) with `\` and `"` escaped by a
 * backslash, which Coze's servers undo: they are Go, and read the name with mime.ParseMediaType,
 * where a quoted-pair is the character it escapes (hertz, Coze Studio's server, reads uploads
 * with Go's mime/multipart: cloudwego/hertz pkg/protocol/multipart.go); busboy reads it the same
 * way. undici's FormData, like browsers, writes `"` as %22, which no server undoes, and leaves
 * `\` bare, so that a name ending in `\` escapes its own closing quote and makes the header
 * malformed (the part is then lost).
 *
 * A quoted-string cannot hold control characters (NUL, CR, LF): a name with one gets them
 * percent-encoded in `filename`, as RFC 7578 section 4.2 allows, and its exact bytes in
 * `filename*=UTF-8''…` as well (RFC 5987, RFC 6266 section 4.3), which Go's ParseMediaType and
 * busboy both prefer to `filename`. RFC 7578 asks senders not to use `filename*`, so it is sent
 * only for such names, where nothing else carries them.
 */
export function fileNameParameters(fileName: string): string {
	const escaped = fileName
		.replace(/[\\"]/g, (ch) => `\\${ch}`)
		.replace(new RegExp(CONTROL, 'g'), (ch) => percent(ch.charCodeAt(0)));
	const quoted = `filename="${escaped}"`;
	if (!CONTROL.test(fileName)) return quoted;
	return `${quoted}; filename*=UTF-8''${extendedValue(fileName)}`;
}

/** RFC 5987's ext-value: attr-chars as they are, every other UTF-8 byte as %XX. */
function extendedValue(text: string): string {
	let out = '';
	for (const byte of Buffer.from(text, 'utf8'))
		out += ATTR_CHAR.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : percent(byte);
	return out;
}

const ATTR_CHAR = /^[A-Za-z0-9!#$&+\-.^_`|~]$/;

function percent(byte: number): string {
	return `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
}

/**
 * The part's Content-Type: the binary's MIME type when it is printable ASCII (as the File API
 * takes a type), else application/octet-stream, so that no line break can reach the header.
 */
function partType(mimeType: string): string {
	return /^[\x20-\x7e]+$/.test(mimeType) ? mimeType.toLowerCase() : 'application/octet-stream';
}
