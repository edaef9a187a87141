import { CozeError } from '../http/coze-error';
import type { Redactor } from '../http/redaction';
import type { CollectedChat } from './chat-collector';

/**
 * The cloud's requires_action with tool calls waits for the caller to run a local plugin and
 * send its output (`/v3/chat/submit_tool_outputs`): this node cannot. A chatflow's question or
 * input node also ends its turn in requires_action, without tool calls: that is an answer (the
 * question), and the next message answers it.
 */
export function assertNoToolCalls(turn: CollectedChat, redact: Redactor): void {
	if (
		turn.status !== 'requires_action' ||
		turn.requiredAction === undefined ||
		turn.requiredAction === null
	)
		return;
	throw new CozeError(
		'The Coze chatflow waits for the output of a local plugin, which this node cannot send',
		{
			kind: 'api',
			debugUrl: turn.debugUrl,
			description: `Coze asked for: ${redact.snippet(JSON.stringify(turn.requiredAction), 300)}. Use a cloud plugin in the chatflow instead of a local one.`,
		},
	);
}
