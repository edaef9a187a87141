import type { Readable } from 'node:stream';

import { requestCozeJson } from '../http/client';
import type { CozeConnection } from '../http/connection';
import { CozeError } from '../http/coze-error';
import type { CozeEnvelope } from '../http/envelope';
import { fileUploadBody, type StreamedUpload } from '../http/multipart';
import { paceUploads } from '../http/pace';

export type { StreamedUpload };

/** Coze refuses files over 512 MB; a caller that says so before sending saves the user the upload. */
export const MAX_UPLOAD_BYTES = 512 * 1024 * 1024;

/** A file to upload: `open` gives a fresh stream of it from its start, once per try. */
export interface FileToUpload {
	open: () => Promise<StreamedUpload>;
	/** What errors about the file call it. */
	name: string;
}

/** The `data` of Coze's answer: the cloud's shape, with Coze Studio's variants. */
interface UploadedFileData {
	id?: string | number;
	bytes?: number;
	file_name?: string;
	created_at?: number;
	/** Coze Studio spells it this way. */
	CreatedAt?: number;
	uri?: string;
	url?: string;
}

/** The uploaded file, in the cloud's words whichever server answered, with the reference a workflow's file input takes. */
export interface CozeFile {
	id: string;
	bytes?: number;
	file_name?: string;
	created_at?: number;
	uri?: string;
	url?: string;
	file_ref: string;
}

/**
 * `POST /v1/files/upload`: the file streamed as one multipart part named "file" (flat memory),
 * retried from its start, each try paced under Coze's upload rate limit per address.
 */
export async function uploadFile(
	connection: CozeConnection,
	file: FileToUpload,
	signal?: AbortSignal,
): Promise<CozeFile> {
	let source: Readable | undefined;
	const body = async () => {
		source?.destroy();
		const upload = await file.open();
		source = upload.source;
		await paceUploads(connection.baseUrl, signal);
		return await fileUploadBody(upload);
	};
	let answer: CozeEnvelope & { data?: UploadedFileData };
	try {
		answer = await requestCozeJson<CozeEnvelope & { data?: UploadedFileData }>(connection, {
			method: 'POST',
			path: '/v1/files/upload',
			kind: 'upload',
			body,
			signal,
		});
	} catch (error) {
		throw error instanceof CozeError && error.httpStatus === 413
			? tooLarge(error, file.name)
			: error;
	} finally {
		// A failed request may not have read the file to its end: release the file handle.
		source?.destroy();
	}
	if (answer.data?.id === undefined || answer.data.id === '') {
		throw new CozeError("Coze accepted the upload but did not say the file's id", {
			kind: 'protocol',
			description: "Check the credential's Base URL points at the Coze API.",
		});
	}
	return cozeFile(answer.data);
}

/**
 * A body over the server's limit. Coze Studio's is MAX_REQUEST_BODY_SIZE, 200 MB when unset
 * (coze-studio backend/main.go; its Docker set-up raises it to 1 GB), answered by its HTTP
 * server with a plain-text 413; the cloud takes up to 512 MB.
 */
function tooLarge(error: CozeError, fileName: string): CozeError {
	return error.with({
		message: `Coze refused the file "${fileName}" as too large (HTTP 413)`,
		description:
			'The server takes bodies up to a limit: Coze Studio up to MAX_REQUEST_BODY_SIZE, 200 MB unless its operator raised it; the cloud up to 512 MB. Send a smaller file, or have the limit raised.',
	});
}

function cozeFile(data: UploadedFileData): CozeFile {
	const id = String(data.id);
	const file: Omit<CozeFile, 'file_ref'> = {
		id,
		bytes: data.bytes,
		file_name: data.file_name,
		created_at: data.created_at ?? data.CreatedAt,
	};
	if (data.uri !== undefined) file.uri = data.uri;
	if (data.url !== undefined) file.url = data.url;
	// What a workflow's file input takes on this server. Coze Studio's take a URL, and resolve
	// {"file_id"} only in chat messages (coze-studio entity/vo/node.go, DataTypeFile "string (url)");
	// the cloud's take a URL or {"file_id":"…"}, and its answer has no URL.
	return {
		...file,
		file_ref:
			typeof data.url === 'string' && data.url !== '' ? data.url : JSON.stringify({ file_id: id }),
	};
}
