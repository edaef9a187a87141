import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

import busboy from 'busboy';

/** What arrived in one upload, measured as it streamed in (the file is never kept). */
export interface ReceivedUpload {
	fieldNames: string[];
	fileName?: string;
	mimeType?: string;
	bytes: number;
	sha256?: string;
	/** False when the client went away before the body ended. */
	complete: boolean;
	/** The id the simulator gave the file, once it accepted it. */
	fileId?: string;
}

/**
 * Reads a multipart body part by part, hashing the file as it arrives. `onFirstBytes` lets a
 * test act (stop the execution) while the upload is still under way.
 */
export function receiveUpload(
	req: IncomingMessage,
	onFirstBytes: (upload: ReceivedUpload) => void,
): Promise<ReceivedUpload> {
	const upload: ReceivedUpload = { fieldNames: [], bytes: 0, complete: false };
	return new Promise((resolve) => {
		let settled = false;
		const finish = (complete: boolean) => {
			if (settled) return;
			settled = true;
			upload.complete = complete;
			resolve(upload);
		};
		let parser: busboy.Busboy;
		try {
			// Coze's servers are Go: hertz reads an upload with Go's mime/multipart (cloudwego/hertz
			// pkg/protocol/multipart.go), whose file name is mime.ParseMediaType's (golang/go
			// src/mime/mediatype.go: a quoted-pair is the character it escapes, filename* wins over
			// filename, bytes are taken as UTF-8), cut by filepath.Base, which on Linux cuts at "/"
			// only. busboy reads the parameters the same way; its default charset is latin1, and by
			// default it also cuts at "\", so a backslash would never arrive. No test sends a "/".
			parser = busboy({ headers: req.headers, defParamCharset: 'utf8', preservePath: true });
		} catch {
			finish(false);
			return;
		}
		parser.on('file', (name, file, info) => {
			upload.fieldNames.push(name);
			upload.fileName = info.filename;
			upload.mimeType = info.mimeType;
			const hash = createHash('sha256');
			file.on('data', (chunk: Buffer) => {
				if (upload.bytes === 0) onFirstBytes(upload);
				upload.bytes += chunk.length;
				hash.update(chunk);
			});
			file.on('end', () => {
				upload.sha256 = hash.digest('hex');
			});
		});
		parser.on('field', (name) => upload.fieldNames.push(name));
		parser.on('close', () => finish(true));
		parser.on('error', () => finish(false));
		req.on('close', () => {
			// A body that ended is still being parsed; only a cut one ends the upload here.
			if (!req.complete) finish(false);
		});
		req.pipe(parser);
	});
}
