import type { IDataObject } from 'n8n-workflow';

/** A file uploaded to Coze on an item's behalf, as a failure of that item reports it. */
export interface UploadedFileNote extends IDataObject {
	id: string;
	file_name?: string;
	binary_field: string;
}

/**
 * The files each item has uploaded so far in one run of the node. An upload cannot be undone
 * (Coze has no delete for files: they stay three months), so when an item fails after some of
 * its uploads, its error names them instead of leaving them unaccounted for. Every upload path
 * (File → Upload, Files From Binary, a file input from a binary field) writes here, whichever
 * function called it; the router reads it. Keyed by the node's execution context, so the notes
 * go when that execution does.
 */
const uploadsByExecution = new WeakMap<object, Map<number, UploadedFileNote[]>>();

export function noteUpload(execution: object, itemIndex: number, file: UploadedFileNote): void {
	let byItem = uploadsByExecution.get(execution);
	if (!byItem) uploadsByExecution.set(execution, (byItem = new Map()));
	const files = byItem.get(itemIndex) ?? [];
	files.push(file);
	byItem.set(itemIndex, files);
}

/** The files the item uploaded in this execution, in upload order. */
export function uploadsOf(execution: object, itemIndex: number): UploadedFileNote[] {
	return uploadsByExecution.get(execution)?.get(itemIndex) ?? [];
}
