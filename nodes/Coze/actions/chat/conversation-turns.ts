/**
 * Turns under way in this process, by server and conversation. Coze takes one chat at a time in a
 * conversation and refuses another with 4016 while one is answering (coze-sdk-gen@5db2f95b
 * docs/api-markdown/chat_v3.md: "一个会话中，只能有一个进行中的对话，否则调用此接口时会报错 4016"):
 * two items of one chat session run at once (Concurrency above 1) would have the second refused.
 * Each turn waits for the one before it in its conversation instead. Bounded by the turns under
 * way: a conversation leaves once its last turn ends. Another n8n process (queue mode) has its
 * own: there 4016 still says what happened.
 */
const lastTurn = new Map<string, Promise<void>>();

/** Runs `turn` once every turn started before it in `conversationId` (on `baseUrl`) has ended; at once without a conversation. */
export async function inTurn<T>(
	baseUrl: string,
	conversationId: string | undefined,
	turn: () => Promise<T>,
): Promise<T> {
	if (!conversationId) return await turn();
	const key = `${baseUrl}\u0000${conversationId}`;
	const before = lastTurn.get(key);
	let done!: () => void;
	const mine = new Promise<void>((resolve) => (done = resolve));
	lastTurn.set(key, mine);
	try {
		await before;
		return await turn();
	} finally {
		done();
		if (lastTurn.get(key) === mine) lastTurn.delete(key);
	}
}
