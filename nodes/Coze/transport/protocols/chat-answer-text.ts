import type { ChatStreamEvent } from './chat-events';
import type { TextSink } from './reader-text';

/**
 * Passes a chat turn's events through unchanged and hands the answer's text to `sink` as each
 * piece arrives (`conversation.message.delta` of type answer). An answer that comes whole only
 * (Coze Studio sends a question as a completed message without a delta when it is not text) is
 * handed over whole. Answers are set apart by a blank line; other types (follow-ups, verbose,
 * tool output) are not for the person chatting.
 */
export async function* tapChatAnswer(
	batches: AsyncIterable<ChatStreamEvent[]>,
	sink: TextSink,
): AsyncGenerator<ChatStreamEvent[]> {
	const streamed = new Set<string>();
	let last: string | undefined;
	const write = (id: string, text: string) => {
		if (!text) return;
		sink(last !== undefined && last !== id ? `\n\n${text}` : text);
		last = id;
	};
	for await (const batch of batches) {
		for (const event of batch) {
			if (event.type !== 'message.delta' && event.type !== 'message.completed') continue;
			const { type = 'answer', id = '', content = '' } = event.data;
			if (type !== 'answer') continue;
			if (event.type === 'message.delta') {
				streamed.add(id);
				write(id, content);
			} else if (!streamed.has(id)) {
				write(id, content);
			}
		}
		yield batch;
	}
}
