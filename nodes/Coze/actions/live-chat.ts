import type { IExecuteFunctions } from 'n8n-workflow';

import {
	redactorFor,
	type CozeConnection,
	type RedactingStream,
	type Redactor,
} from '../transport/http';
import { optionIsSet, runsAsTool } from './tool-mode';

/**
 * One item's text, streamed live to whoever started the execution: n8n's Chat Trigger or a
 * Webhook in Streaming response mode (n8n ≥ 1.103: `isStreaming()` / `sendChunk()`). One
 * `begin`/`end` pair per item, sent once there is something to read; everything passes the
 * credential's redactor on the way out, which holds back only an end that could start a secret.
 *
 * Chunks are sent in order, one after another; a chat that went away does not fail the run
 * (n8n ends the response itself): the items are what the node returns, streamed or not.
 */
export class LiveChat {
	private began = false;
	private sending: Promise<void> = Promise.resolve();
	private readonly stream: RedactingStream;

	private constructor(
		private readonly context: IExecuteFunctions,
		private readonly itemIndex: number,
		private readonly redactor: Redactor,
	) {
		this.stream = redactor.stream();
	}

	/**
	 * A live chat for the item, or undefined when n8n is not streaming this execution. An AI
	 * Agent's tool streams only when Stream to Chat is set: by default the agent does the talking.
	 */
	static open(
		context: IExecuteFunctions,
		itemIndex: number,
		connection: CozeConnection,
	): LiveChat | undefined {
		if (typeof context.isStreaming !== 'function' || !context.isStreaming()) return undefined;
		if (runsAsTool(context) && !optionIsSet(context, 'streamToChat')) return undefined;
		return new LiveChat(context, itemIndex, redactorFor(connection));
	}

	/** The next piece of text (a TextSink). */
	readonly text = (piece: string): void => {
		const out = this.stream.push(piece);
		if (out) this.send('item', out);
	};

	/** The item is done: what was held back leaves, and its message ends. */
	async end(): Promise<void> {
		const rest = this.stream.flush();
		if (rest) this.send('item', rest);
		if (this.began) this.enqueue('end');
		await this.sending;
	}

	/** The item failed: the reason, for a person to read, ends its message. */
	async fail(error: unknown): Promise<void> {
		const rest = this.stream.flush();
		if (rest) this.send('item', rest);
		const reason = this.redactor.text(error instanceof Error ? error.message : String(error));
		this.send('item', `${this.began ? '\n\n' : ''}⚠️ ${reason}`);
		await this.end();
	}

	private send(type: 'item', content: string): void {
		if (!this.began) {
			this.began = true;
			this.enqueue('begin');
		}
		this.enqueue(type, content);
	}

	private enqueue(type: 'begin' | 'item' | 'end', content?: string): void {
		this.sending = this.sending.then(async () => {
			try {
				// Typed void, but n8n-core's sendChunk returns the hooks' promise.
				await (this.context.sendChunk(type, this.itemIndex, content) as unknown as
					Promise<void> | undefined);
			} catch {
				// The caller went away; n8n closes the response. The run's items still come out.
			}
		});
	}
}

/** Runs `operation` with the item's live chat (if any), ending it, or failing it readably, whatever happens. */
export async function withLiveChat<T>(
	chat: LiveChat | undefined,
	operation: () => Promise<T>,
): Promise<T> {
	if (!chat) return await operation();
	let result: T;
	try {
		result = await operation();
	} catch (error) {
		await chat.fail(error);
		// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- the router turns every failure into n8n's error, with its item index (node-error.ts)
		throw error;
	}
	await chat.end();
	return result;
}
