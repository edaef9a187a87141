import type { CozeConnection } from '../http/connection';
import { CozeError } from '../http/coze-error';
import { streamEvents } from '../http/stream-request';
import { decodeChatEvent, type ChatStreamEvent } from './chat-events';

/** Coze Studio's chatflow handler answers an empty body where its error was lost, as its run handler does (workflow-stream.ts). */
const EMPTY_CHAT_ANSWER = new CozeError('Coze answered the chat with an empty body', {
	kind: 'protocol',
	description:
		'Coze Studio answers so when a chatflow cannot start, most often because it is not published or the Workflow ID is wrong: publish it and check the ID. Its log (and the X-Log-ID of the answer) has the reason.',
});

/** A chatflow turn's events (`POST /v1/workflows/chat`) as they arrive, in batches. */
export function streamChatEvents(
	connection: CozeConnection,
	/** The request body, serialised (lossless-json's stringifyJson). */
	json: string,
	signal?: AbortSignal,
): AsyncGenerator<ChatStreamEvent[]> {
	return streamEvents(
		connection,
		{ path: '/v1/workflows/chat', json, decode: decodeChatEvent, emptyAnswer: EMPTY_CHAT_ANSWER },
		signal,
	);
}

/**
 * Opens a chatflow turn and waits for its first events, so that Coze's refusal of the request (its
 * JSON error in place of a stream, given before anything ran) is thrown here, where the turn may
 * still be sent another way. The events, the first included, then come from the returned stream,
 * which closes the connection however its reader stops.
 */
export async function startChat(
	connection: CozeConnection,
	json: string,
	signal?: AbortSignal,
): Promise<AsyncGenerator<ChatStreamEvent[]>> {
	return await started(streamChatEvents(connection, json, signal));
}

/**
 * `events` once their first batch has come: a refusal in place of the stream is thrown here, before
 * the caller commits to reading; the returned stream yields every batch, the first included, and
 * closes the connection however its reader stops.
 */
export async function started<T>(events: AsyncGenerator<T[]>): Promise<AsyncGenerator<T[]>> {
	const first = await events.next();
	return (async function* () {
		try {
			if (first.done) return;
			yield first.value;
			yield* events;
		} finally {
			await events.return(undefined);
		}
	})();
}
