import { Readable } from 'node:stream';

import {
	NodeOperationError,
	type IBinaryData,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import { ownValue, type CozeConnection } from '../../transport/http';
import {
	MAX_UPLOAD_BYTES,
	uploadFile,
	type StreamedUpload,
} from '../../transport/protocols/file-upload';
import type { OperationResult } from '../types';
import { noteUpload } from './uploads-ledger';

/**
 * Read size for the file: fewer, larger chunks cost less per byte than n8n's default 64 KiB
 * while keeping memory flat (one or two chunks in flight; bench/upload measures both).
 */
const UPLOAD_CHUNK_BYTES = 1024 * 1024;

export const description: INodeProperties[] = [
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		placeholder: 'data',
		hint: 'The name of the input binary field holding the file to upload',
		description:
			'Up to 512 MB. Coze keeps the file for 3 months; pass the output\'s "file_ref" to a workflow\'s file input.',
		displayOptions: { show: { resource: ['file'], operation: ['upload'] } },
	},
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: CozeConnection,
	signal?: AbortSignal,
): Promise<OperationResult> {
	const propertyName = (this.getNodeParameter('binaryPropertyName', itemIndex) as string).trim();
	return {
		main: [
			{
				json: await uploadBinary.call(this, itemIndex, propertyName, connection, signal),
				pairedItem: { item: itemIndex },
			},
		],
	};
}

/**
 * Uploads the file in the item's binary field `propertyName`, streamed (flat memory, checked
 * against Coze's 512 MB before anything is sent, retried from its start), and returns the Coze
 * file as an item's json, with the `file_ref` a workflow's file input takes on this server.
 */
export async function uploadBinary(
	this: IExecuteFunctions,
	itemIndex: number,
	propertyName: string,
	connection: CozeConnection,
	signal?: AbortSignal,
	/** Names the option that asked for the file in errors about it ("Input Binary Field" by default). */
	field = 'Input Binary Field',
): Promise<IDataObject> {
	const binary = findBinary.call(this, itemIndex, propertyName, field);
	const file = await uploadFile(
		connection,
		{
			open: async () => await openUpload.call(this, itemIndex, propertyName, binary),
			name: binary.fileName ?? propertyName,
		},
		signal,
	);
	noteUpload(this, itemIndex, {
		id: file.id,
		file_name: file.file_name ?? binary.fileName,
		binary_field: propertyName,
	});
	return { ...file };
}

/** The item's binary field, or an error naming the field and the item's binary fields. */
export function findBinary(
	this: IExecuteFunctions,
	itemIndex: number,
	propertyName: string,
	field: string,
): IBinaryData {
	const item = this.getInputData()[itemIndex];
	// The field's name is the user's: "constructor" is a field the item may lack, not Object's.
	const binary = ownValue(item.binary, propertyName) as IBinaryData | undefined;
	if (binary) return binary;
	const present = Object.keys(item.binary ?? {});
	throw new NodeOperationError(
		this.getNode(),
		`Input item ${itemIndex} has no binary field "${propertyName}"`,
		{
			itemIndex,
			description: present.length
				? `Its binary fields are: ${present.map((name) => `"${name}"`).join(', ')}. Set "${field}" to the one holding the file.`
				: 'It has no binary data at all. Put a node that reads or downloads a file (Read/Write Files from Disk, HTTP Request, a form upload) before this one.',
		},
	);
}

/** Opens the file as a stream without reading it whole; only in-memory (base64) data is already whole. */
async function openUpload(
	this: IExecuteFunctions,
	itemIndex: number,
	propertyName: string,
	binary: IBinaryData,
): Promise<StreamedUpload> {
	const mimeType = binary.mimeType || 'application/octet-stream';
	if (binary.id) {
		const metadata = await this.helpers.getBinaryMetadata(binary.id);
		const fileName = binary.fileName ?? metadata.fileName ?? propertyName;
		assertUploadable.call(this, itemIndex, fileName, metadata.fileSize);
		const source = await this.helpers.getBinaryStream(binary.id, UPLOAD_CHUNK_BYTES);
		return {
			source,
			bytes: metadata.fileSize,
			fileName,
			mimeType: binary.mimeType || metadata.mimeType || mimeType,
		};
	}
	const buffer = await this.helpers.getBinaryDataBuffer(itemIndex, propertyName);
	const fileName = binary.fileName ?? propertyName;
	assertUploadable.call(this, itemIndex, fileName, buffer.byteLength);
	return { source: Readable.from(slices(buffer)), bytes: buffer.byteLength, fileName, mimeType };
}

/** Views of the buffer in upload-sized pieces (undici copies each chunk; never the whole file at once). */
function* slices(buffer: Buffer): Generator<Buffer> {
	for (let offset = 0; offset < buffer.byteLength; offset += UPLOAD_CHUNK_BYTES) {
		yield buffer.subarray(offset, offset + UPLOAD_CHUNK_BYTES);
	}
}

function assertUploadable(
	this: IExecuteFunctions,
	itemIndex: number,
	fileName: string,
	bytes: number,
): void {
	if (bytes <= MAX_UPLOAD_BYTES) return;
	const megabytes = (bytes / 1024 / 1024).toFixed(1);
	throw new NodeOperationError(
		this.getNode(),
		`The file "${fileName}" is ${megabytes} MB; Coze accepts at most 512 MB`,
		{
			itemIndex,
			description:
				'Nothing was sent. Split or compress the file, or pass Coze a URL to it instead of an upload.',
		},
	);
}
