import { createHash } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { Readable } from 'node:stream';

import { Container } from '@n8n/di';
import { BinaryDataService } from 'n8n-core';

import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

function describe(name: string, extra: Partial<INodeTypeDescription>): INodeTypeDescription {
	return {
		displayName: name,
		name,
		group: ['transform'],
		version: 1,
		description: `test fixture: ${name}`,
		defaults: { name },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
		...extra,
	};
}

/** Stands in for the Manual Trigger: one empty item. */
export class StartNode implements INodeType {
	description = describe('start', { group: ['trigger'], inputs: [] });
	async execute(): Promise<INodeExecutionData[][]> {
		return [[{ json: {} }]];
	}
}

/**
 * Deterministic pseudo-random bytes, produced as a stream in 64 KiB blocks, so that tests can
 * make files of any size without holding them and know their SHA-256 without re-reading them.
 */
export function generatedBytes(bytes: number, seed: string): Readable {
	const block = createHash('sha512').update(seed).digest();
	const chunk = Buffer.alloc(64 * 1024);
	for (let i = 0; i < chunk.length; i += block.length) block.copy(chunk, i);
	let left = bytes;
	return new Readable({
		read() {
			if (left <= 0) return void this.push(null);
			const size = Math.min(left, chunk.length);
			left -= size;
			this.push(size === chunk.length ? Buffer.from(chunk) : chunk.subarray(0, size));
		},
	});
}

export async function sha256Of(stream: Readable): Promise<string> {
	const hash = createHash('sha256');
	for await (const chunk of stream) hash.update(chunk as Buffer);
	return hash.digest('hex');
}

export interface GeneratedFile {
	bytes: number;
	fileName: string;
	mimeType?: string;
	/** Another binary field than `data`: files with fields go together in one item, one field each. */
	field?: string;
}

/** The SHA-256 of the file MakeBinaryNode makes for `file`. */
export async function generatedFileHash(file: GeneratedFile): Promise<string> {
	return await sha256Of(generatedBytes(file.bytes, file.fileName));
}

/**
 * Emits one item per entry of its `files` parameter, each with a generated file in `data`; files
 * that name a `field` go together in one item instead, each in its field.
 */
export class MakeBinaryNode implements INodeType {
	description = describe('makeBinary', {
		properties: [{ displayName: 'Files', name: 'files', type: 'json', default: '[]' }],
	});

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const files = JSON.parse(this.getNodeParameter('files', 0) as string) as GeneratedFile[];
		const out: INodeExecutionData[] = [];
		const together: INodeExecutionData = { json: {}, binary: {}, pairedItem: { item: 0 } };
		for (const file of files) {
			const mimeType = file.mimeType ?? 'application/octet-stream';
			const binary = await this.helpers.prepareBinaryData(
				generatedBytes(file.bytes, file.fileName),
				file.fileName,
				mimeType,
			);
			if (file.field) together.binary![file.field] = binary;
			else
				out.push({
					json: { fileName: file.fileName },
					binary: { data: binary },
					pairedItem: { item: 0 },
				});
		}
		if (Object.keys(together.binary!).length > 0) out.push(together);
		return [out];
	}
}

/** Emits the items given as JSON in its `items` parameter (binary references included). */
export class FixedItemsNode implements INodeType {
	description = describe('fixedItems', {
		properties: [{ displayName: 'Items', name: 'items', type: 'json', default: '[]' }],
	});

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [JSON.parse(this.getNodeParameter('items', 0) as string) as INodeExecutionData[]];
	}
}

/** Adds the fields of its `fields` parameter (JSON) to each item, as n8n's Edit Fields node does. */
export class SetFieldsNode implements INodeType {
	description = describe('set', {
		properties: [{ displayName: 'Fields', name: 'fields', type: 'json', default: '{}' }],
	});

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [
			this.getInputData().map((item, i) => ({
				json: {
					...item.json,
					...(JSON.parse(this.getNodeParameter('fields', i) as string) as object),
				},
				pairedItem: { item: i },
			})),
		];
	}
}

/** Passes its input through, so a test can see what reached it over a connection. */
export class CollectNode implements INodeType {
	description = describe('collect', {});
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [this.getInputData()];
	}
}

/**
 * Breaks each input item's stored binary file (filesystem mode): the file becomes a folder, so
 * reading it fails with EISDIR, as a failing disk would fail with EIO. Items pass through.
 */
export class BreakBinaryNode implements INodeType {
	description = describe('breakBinary', {});

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const store = Container.get(BinaryDataService);
		for (const item of this.getInputData()) {
			const id = item.binary?.data?.id;
			if (!id) throw new Error('breakBinary needs filesystem binary data');
			const file = store.getPath(id);
			rmSync(file);
			mkdirSync(file);
		}
		return [this.getInputData()];
	}
}
