import type { INodeExecutionData } from 'n8n-workflow';

import type { Redactor } from '../transport/http';
import type { UploadedFileNote } from './file/uploads-ledger';
import type { OperationResult } from './types';

// When an item fails without "Continue on Fail", n8n keeps nothing the node made. These notes,
// added to the error's description, say what would otherwise be lost without a word: what the
// failed item had received and uploaded, and what the other items did in Coze.

/** One item's end: what it produced, or why it failed. */
export type Outcome = { result: OperationResult } | { failure: unknown };

/** Items named one by one in a description; the rest are counted. */
const MAX_LISTED = 20;

const CONTINUE_HINT =
	"With the node's Settings → On Error → Continue, they come out as items instead, each failed item as an error item.";

/**
 * The notes for the error of the item that stopped the node: what it had received (`messages`)
 * and uploaded, and what the other items did. Redacted, since they quote what servers sent.
 */
export function failureNotes(
	failedIndex: number,
	messages: number,
	uploads: UploadedFileNote[],
	outcomes: Array<Outcome | undefined>,
	redact: Redactor,
): string[] {
	const others = otherItems(outcomes, failedIndex, redact);
	const notes = [
		messages > 0
			? `${messages} message${messages === 1 ? '' : 's'} had arrived before the failure.`
			: undefined,
		uploadsNote(uploads),
		others.ran,
		others.notStarted,
		messages > 0 || others.ran ? CONTINUE_HINT : undefined,
	];
	return notes
		.filter((note): note is string => note !== undefined)
		.map((note) => redact.text(note));
}

/** The files the failed item had uploaded: they stay in Coze, and can be passed on by id. */
function uploadsNote(files: UploadedFileNote[]): string | undefined {
	if (files.length === 0) return undefined;
	const listed = files
		.slice(0, MAX_LISTED)
		.map((file) => `"${file.file_name ?? file.binary_field}" (file id ${file.id})`);
	const more = files.length > MAX_LISTED ? `, and ${files.length - MAX_LISTED} more` : '';
	return `Uploaded to Coze for this item before the failure, and kept there: ${listed.join(', ')}${more}. A file input takes one again as {"file_id":"…"} without a new upload.`;
}

/**
 * What the other items did, when more than one ran. An item's failure stops the node from
 * starting more items; those already running (Request Options → Concurrency) are let finish,
 * since their runs are under way in Coze, are paid for and may already have acted: cutting
 * their connections would lose their results without undoing them. So each is listed with
 * where to find its run (its debug URL or id), and the items never started are named, so that
 * only those need running again.
 */
function otherItems(
	outcomes: Array<Outcome | undefined>,
	failedIndex: number,
	redact: Redactor,
): { ran?: string; notStarted?: string } {
	const ran: string[] = [];
	const notStarted: number[] = [];
	for (const [itemIndex, outcome] of outcomes.entries()) {
		if (itemIndex === failedIndex) continue;
		if (!outcome) notStarted.push(itemIndex);
		else if ('result' in outcome) ran.push(`item ${itemIndex}: ${whereToFind(outcome.result)}`);
		else
			ran.push(
				`item ${itemIndex}: failed too (${redact.snippet(messageOf(outcome.failure), 120)})`,
			);
	}
	const more =
		ran.length > MAX_LISTED
			? `; and ${ran.length - MAX_LISTED} more (see the workflow's run history in Coze)`
			: '';
	return {
		ran:
			ran.length > 0
				? `Other items ran in Coze, and their results are not kept when the node fails: ${ran.slice(0, MAX_LISTED).join('; ')}${more}.`
				: undefined,
		notStarted: notStarted.length > 0 ? `Not started: ${ranges(notStarted)}.` : undefined,
	};
}

/** Where a finished item's run can be found in Coze: its debug URL, else an id it was given. */
function whereToFind(result: OperationResult): string {
	const items: INodeExecutionData[] = [...(result.interrupts ?? []), ...result.main];
	const first = (key: string): string | undefined => {
		for (const { json } of items) {
			const value = Object.hasOwn(json, key) ? json[key] : undefined;
			if (typeof value === 'string' && value !== '') return value;
		}
		return undefined;
	};
	const waiting =
		(result.interrupts ?? []).length > 0
			? `waiting for an answer (event_id ${first('event_id') ?? 'unknown'})`
			: undefined;
	const place =
		first('debug_url') ??
		(first('execute_id') && `execute_id ${first('execute_id')}`) ??
		(first('conversation_id') && `conversation_id ${first('conversation_id')}`) ??
		(first('file_ref') && first('id') && `file id ${first('id')}`);
	if (waiting) return place ? `${waiting}, ${place}` : waiting;
	return place ? `finished, ${place}` : 'finished';
}

function messageOf(failure: unknown): string {
	return failure instanceof Error ? failure.message : String(failure);
}

/** 0, 2, 3, 4, 7 → "items 0, 2–4, 7". */
function ranges(indexes: number[]): string {
	const parts: string[] = [];
	for (let start = 0; start < indexes.length;) {
		let end = start;
		while (end + 1 < indexes.length && indexes[end + 1] === indexes[end] + 1) end++;
		parts.push(end === start ? String(indexes[start]) : `${indexes[start]}–${indexes[end]}`);
		start = end + 1;
	}
	return `${indexes.length === 1 ? 'item' : 'items'} ${parts.join(', ')}`;
}
