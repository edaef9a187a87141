import { policyOf, type CozeConnection } from '../../transport/http';
import { pollBotChat } from '../../transport/protocols/bot-chat-poll';
import { tapChatAnswer } from '../../transport/protocols/chat-answer-text';
import { collectChat, type CollectedChat } from '../../transport/protocols/chat-collector';
import type { ChatStreamEvent } from '../../transport/protocols/chat-events';
import type { Polling } from '../../transport/protocols/workflow-run';
import type { LiveChat } from '../live-chat';

/**
 * One turn of a bot chat (a message, or tool outputs), in the chosen Response Mode: streamed,
 * the answer passed to the live chat piece by piece; or polled (`poll` given), the whole answer
 * passed to it once at the end.
 */
export async function botTurn(
	connection: CozeConnection,
	chat: LiveChat | undefined,
	how: {
		stream: () => Promise<AsyncGenerator<ChatStreamEvent[]>>;
		poll?: { polling: Polling; start: Parameters<typeof pollBotChat>[1] };
		signal?: AbortSignal;
	},
): Promise<CollectedChat> {
	if (how.poll) {
		const turn = await pollBotChat(connection, how.poll.start, how.poll.polling, how.signal);
		if (chat && turn.answer) chat.text(turn.answer);
		return turn;
	}
	let events = await how.stream();
	if (chat) events = tapChatAnswer(events, chat.text);
	return await collectChat(events, policyOf(connection).maxOutputBytes, 'bot');
}
