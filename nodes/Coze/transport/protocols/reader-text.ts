import { parseJsonObject } from '../http/lossless-json';
import { questionOf } from './interrupt-question';
import { executionKey } from './run-collector';
import type { CozeMessageData, CozeStreamEvent } from './workflow-events';

/**
 * What of a run a person reads in a live chat (Stream to Chat):
 * - `messages`: the text of every node that sends messages (Output and End nodes, and a question
 *   a workflow asks), each message's chunks the moment they arrive;
 * - `final`: only the workflow's own End node (not a sub-workflow's);
 * - `none`: nothing.
 */
export type StreamToChat = 'messages' | 'final' | 'none';

/** Receives reader text in order: each call is the next piece. */
export type TextSink = (text: string) => void;

/**
 * Passes a run's events through unchanged and, on the way, hands the reader text of each to
 * `sink` as soon as its event arrives: the run's items do not depend on it.
 *
 * A message whose text starts as a JSON object (an End node returning variables:
 * `{"output":"…"}`) is held until it is whole, then its `output` string is what a person reads, or the JSON as it
 * is when there is none. A question node's message on Coze Studio is its interrupt data (JSON
 * of the conversation): the question is read from the Interrupt event that follows. Messages
 * are set apart by a blank line.
 */
export async function* tapReaderText(
	batches: AsyncIterable<CozeStreamEvent[]>,
	mode: StreamToChat,
	sink: TextSink,
): AsyncGenerator<CozeStreamEvent[]> {
	if (mode === 'none') return yield* batches;
	const reader = new ReaderText(mode, sink);
	for await (const batch of batches) {
		for (const event of batch) reader.take(event);
		yield batch;
	}
}

/** A whole message's reader text, by the same rules (a synchronous or asynchronous run's answer). */
export function readerTextOfMessages(
	messages: Array<{ content: string } & CozeMessageData>,
	mode: StreamToChat,
): string {
	if (mode === 'none') return '';
	let text = '';
	const reader = new ReaderText(mode, (piece) => (text += piece));
	for (const message of messages)
		reader.take({ type: 'Message', data: { ...message, node_is_finish: true } });
	reader.take({ type: 'Done', data: {} });
	return text;
}

class ReaderText {
	/** Per message being read: held JSON text, or undefined once it is streaming live. */
	private readonly open = new Map<string, { held?: string }>();
	/** The message written to last: a piece of another one starts a new paragraph. */
	private lastKey?: string;
	/** Final Answer Only: whether a message known to be the End's has been written. */
	private endWritten = false;
	/**
	 * Final Answer Only on a stream that names no node types: the latest message that may be the
	 * End's, held until Done says whether it was the last (see endOfWorkflow).
	 */
	private lastUnnamed?: { key: string; text: string; finished: boolean };

	constructor(
		private readonly mode: Exclude<StreamToChat, 'none'>,
		private readonly sink: TextSink,
	) {}

	take(event: CozeStreamEvent): void {
		if (event.type === 'Message') this.message(event.data);
		else if (event.type === 'Done') this.done();
		else if (event.type === 'Interrupt' && this.mode === 'messages') {
			const data = event.data.interrupt_data?.data;
			// The cloud sends the question as the node's message before the Interrupt (data ""); Studio only in data.
			const { question } = questionOf(typeof data === 'string' ? data : '', undefined, []);
			if (question) this.write(question, '\u0000interrupt');
		}
	}

	private message(data: CozeMessageData): void {
		if (this.mode === 'final') {
			const end = endOfWorkflow(data);
			if (end === 'no') return;
			if (end === 'lastBeforeDone') return this.holdUnnamed(data);
			this.endWritten = true;
		}
		const key = executionKey(data);
		const content = data.content ?? '';
		let message = this.open.get(key);
		if (!message) {
			// An End node's variables are a JSON object; text that opens with "[" (a citation, a link) streams.
			message = /^\s*\{/.test(content) ? { held: '' } : {};
			this.open.set(key, message);
		}
		if (message.held === undefined) {
			if (content) this.write(content, key);
		} else {
			message.held += content;
		}
		if (!data.node_is_finish) return;
		this.open.delete(key);
		if (message.held !== undefined) {
			const text = readableJson(message.held, data.node_type);
			if (text) this.write(text, key);
		}
		// A node that runs again (a loop) writes a new message under the same key.
		if (this.lastKey === key) this.lastKey = '\u0000finished';
	}

	/** Keeps the newest message that may be the End's, whole, in the text a person reads. */
	private holdUnnamed(data: CozeMessageData): void {
		const key = executionKey(data);
		if (this.lastUnnamed?.key !== key || this.lastUnnamed.finished)
			this.lastUnnamed = { key, text: '', finished: false };
		this.lastUnnamed.text += data.content ?? '';
		if (data.node_is_finish) this.lastUnnamed.finished = true;
	}

	/** The run finished: with no End named, the last message was the End's. */
	private done(): void {
		const candidate = this.lastUnnamed;
		this.lastUnnamed = undefined;
		if (this.endWritten || !candidate?.finished) return;
		const text = /^\s*\{/.test(candidate.text)
			? readableJson(candidate.text, undefined)
			: candidate.text;
		if (text) this.write(text, candidate.key);
	}

	/** Writes `text`, a piece of the message `key`; a piece of a new message is set apart from what came before. */
	private write(text: string, key: string): void {
		this.sink(this.lastKey !== undefined && this.lastKey !== key ? `\n\n${text}` : text);
		this.lastKey = key;
	}
}

/** Node types whose message is interrupt data, not text for a person (Coze Studio's display keys). */
const INTERRUPT_NODE_TYPES = new Set(['Question', 'Input']);

function readableJson(json: string, nodeType: string | undefined): string {
	const parsed = parseJsonObject(json);
	if (typeof parsed?.output === 'string') return parsed.output;
	if (nodeType && INTERRUPT_NODE_TYPES.has(nodeType)) return '';
	return json;
}

/**
 * Whether a message is the workflow's own End node's (not a sub-workflow's, whose End also has
 * node_id 900001 but carries sub_execute_id), from what real streams carry:
 * - Coze Studio sends node_type "End" and node_id "900001" (the id of every End node); a cloud
 *   capture sends both too. Where either is sent, it decides.
 * - The cloud's documented stream sends only node_title "End" (docs.coze.cn's workflow stream
 *   example), and cozepy's recorded stream (tests/testdata/workflow_run_stream_resp.txt) sends
 *   the End's message with node_title "" and no node_id or node_type, while every other node has
 *   its title: a message with no title at all is the End's.
 * - Otherwise (no type, no id, a title of the user's own, such as "结束" in the Chinese editor)
 *   nothing in the message tells. The End node is the last to send before Done, so the last
 *   message before Done is the End's: `lastBeforeDone`.
 */
function endOfWorkflow(data: CozeMessageData): 'yes' | 'no' | 'lastBeforeDone' {
	if (data.sub_execute_id) return 'no';
	if (data.node_type !== undefined || data.node_id !== undefined)
		return data.node_type === 'End' || data.node_id === '900001' ? 'yes' : 'no';
	if (data.node_title === 'End' || !data.node_title) return 'yes';
	return 'lastBeforeDone';
}
