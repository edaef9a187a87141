import { CozeError } from '../http/coze-error';
import { isStudioUnknownPath } from '../http/envelope';
import { mayHaveStartedRun } from '../http/retry-rules';

/**
 * What a user can do about Coze's refusals of a bot's chat, by Coze's code. Evidence:
 * coze-sdk-gen@5db2f95b docs/api-markdown/chat_v3.md (4016: one chat at a time per conversation;
 * 5000 from a submit: tool outputs of a chat started without auto_save_history) and
 * chat_submit_tool_outputs.md; coze-js packages/chat-sdk mini-chat-error.ts (4015, "The Bot is
 * not published"); coze-studio@4f786d6a application/conversation/openapi_agent_run.go and
 * types/errno/conversation.go (103100001: Studio's bot chat failed, its reason in the message,
 * among others "agent not published" for an unknown bot or one not published to the API channel).
 * Neither server's answer for an unknown bot on the cloud, nor for a submit to a chat that was
 * answered already or has expired, is in any fixture (no evidence): those keep Coze's message,
 * with the advice for any refused submit.
 */
const CHAT_ADVICE = new Map<number, string>([
	[
		4015,
		'The bot is not published to the API channel: in Coze, publish the bot and tick "API" (Agent as API) among the channels, then run again. Check the Bot too.',
	],
	[
		4016,
		'Coze runs one chat at a time in a conversation, and another chat of this conversation is still answering: wait for it, or send this message in another conversation.',
	],
	[
		4200,
		'Coze does not know this bot, or it is not published: check the Bot, and publish the bot with the API channel.',
	],
	[
		103100001,
		'Coze Studio could not run the bot (see its reason). "agent not published" means the Bot ID is wrong or the bot is not published to the API channel: publish it with the API channel in Coze Studio.',
	],
]);

/** Refusals of a submit alone: 5000 means something else in a chat's failure (cozepy's "event interval error"). */
const SUBMIT_CODE_ADVICE = new Map<number, string>([
	[
		5000,
		'Coze keeps no history of this chat, so it cannot take tool outputs for it: start the chat with Auto Save History on (the default).',
	],
]);

const SUBMIT_ADVICE =
	"Coze refused the tool outputs. The chat may have been answered already, have ended or expired (how long Coze waits for a local plugin's output is not documented), or the Tool Outputs may not name the chat's tool calls: check them against the interrupt item's tool_calls, and send the message again if the chat is over.";

/** The advice for a bot chat that failed with `code` (an error event, or a refusal). */
export function botChatAdvice(code: number | undefined): string {
	return (
		(code === undefined ? undefined : CHAT_ADVICE.get(code)) ??
		'See the message, and check the bot in Coze.'
	);
}

/** A refusal of a bot's chat or submit (Coze's JSON error in place of a stream), with what to do about it. */
export function explainBotRefusal(error: unknown, request: 'chat' | 'submit'): unknown {
	if (!(error instanceof CozeError) || error.kind !== 'api') return error;
	// coze-studio@4f786d6a api/router/coze/api.go serves /v3/chat but no /v3/chat/submit_tool_outputs.
	if (request === 'submit' && isStudioUnknownPath(error))
		return error.with({
			message: 'This Coze server has no /v3/chat/submit_tool_outputs: it cannot take tool outputs',
			description:
				"Coze Studio serves a bot's chat but not the answer to a local plugin's call. Give the bot a cloud plugin or a workflow instead, or use the Coze cloud (coze.cn, coze.com).",
		});
	// A server error or a gateway's page is no refusal: its error says Coze may have taken the
	// request (retry-rules.ts), which advice for a refusal would hide.
	if (mayHaveStartedRun(error)) return error;
	const code = error.cozeCode;
	const advice =
		code === undefined
			? undefined
			: ((request === 'submit' ? SUBMIT_CODE_ADVICE.get(code) : undefined) ??
				CHAT_ADVICE.get(code));
	if (advice) return error.with({ description: advice });
	// A missing permission keeps the envelope's own advice, which names it (permissions.ts).
	if (request === 'submit' && error.permission === undefined)
		return error.with({
			description: [SUBMIT_ADVICE, error.description].filter(Boolean).join(' '),
		});
	return error;
}

/**
 * The run request policy's words for a bot (retry-rules.ts runMayHaveStarted): a chat start or a
 * submit that Coze may have taken is never sent again, and the error says why; streamed or not.
 */
export const BOT_MAY_HAVE_STARTED = {
	chat: 'Coze may have started the chat before this failure, so the node did not send the message again (the bot could answer it twice). The bot may still be answering: check the conversation in Coze before sending the message again.',
	submit:
		'Coze may have taken the tool outputs before this failure, so the node did not send them again (a chat takes its tool outputs once). The bot may still be answering: check the conversation in Coze.',
} as const;

/**
 * Coze Studio's Go error text, "code=… message=…" followed by a stack trace ("\nstack=…", or
 * " stack=…" once a snippet made its line breaks spaces: pkg/errorx/internal/status.go), without
 * the trace, which tells a user nothing and names the server's source files. A log id the node
 * added after it stays.
 */
export function withoutStudioStack(text: string): string {
	const at = text.includes('\nstack=')
		? text.indexOf('\nstack=')
		: /^code=\d+ message=/.test(text)
			? text.search(/\sstack=/)
			: -1;
	if (at < 0) return text;
	const logId = / \(log id [^)]*\)$/.exec(text);
	return text.slice(0, at).trimEnd() + (logId && logId.index > at ? logId[0] : '');
}
