import { CozeError } from '../http/coze-error';
import {
	isJsonObject,
	JsonTooDeep,
	MAX_JSON_DEPTH,
	parseJsonKeepingLongIntegers,
} from '../http/lossless-json';
import type { Redactor } from '../http/redaction';

/**
 * One call a bot's chat waits on, as `conversation.chat.requires_action` gives it in
 * required_action {type: "submit_tool_outputs", submit_tool_outputs: {tool_calls: [{id, type,
 * function: {name, arguments}}]}} (cozepy ChatRequiredAction / ChatToolCall, coze-go
 * ChatToolCall, coze-sdk-gen docs/api-markdown/chat_v3.md's example). `type` is "function" for a
 * local plugin, "reply_message" for a question the bot's workflow asks (cozepy ChatToolCallType).
 *
 * `function` is Coze's, its `arguments` the JSON text Coze sent. n8n's expressions refuse to read
 * a property named "arguments" ("Cannot access "arguments" due to security concerns"), so the
 * call's name and its arguments, parsed (long integers kept as text), are also `name` and `args`:
 * `{{ $json.tool_calls[0].args.city }}` works where `….function.arguments` cannot.
 */
export interface ToolCall {
	id: string;
	type: string;
	name: string;
	args: unknown;
	function: { name: string; arguments: string };
}

/**
 * The tool calls a chat requires, or undefined when it requires none (a chatflow's question
 * ends its turn in requires_action with no calls; the cloud's other chat objects carry an empty
 * required_action, cozepy chat_audio_stream_resp.txt). Arguments that are not JSON fail here,
 * naming the call: an n8n node could not read them, and a guess would answer the wrong question.
 */
export function toolCallsOf(requiredAction: unknown, redact: Redactor): ToolCall[] | undefined {
	if (!isJsonObject(requiredAction)) return undefined;
	const outputs = requiredAction.submit_tool_outputs;
	const calls = isJsonObject(outputs) ? outputs.tool_calls : undefined;
	if (!Array.isArray(calls) || calls.length === 0) return undefined;
	return calls.map((call, index) => toolCall(call, index, redact));
}

function toolCall(call: unknown, index: number, redact: Redactor): ToolCall {
	const record = isJsonObject(call) ? call : {};
	const fn = isJsonObject(record.function) ? record.function : {};
	const id = typeof record.id === 'string' ? record.id : '';
	const name = typeof fn.name === 'string' ? fn.name : '';
	if (!id)
		throw new CozeError(`Coze asked for tool call ${index + 1} without an id to answer it by`, {
			kind: 'protocol',
			description: `A tool output is matched to its call by the call's id (tool_call_id). Coze sent: ${redact.snippet(JSON.stringify(call) ?? String(call), 300)}`,
		});
	const text = typeof fn.arguments === 'string' ? fn.arguments : JSON.stringify(fn.arguments ?? {});
	return {
		id,
		type: typeof record.type === 'string' ? record.type : 'function',
		name,
		args: parsedArguments(fn.arguments, id, name, redact),
		function: { name, arguments: text },
	};
}

function parsedArguments(value: unknown, id: string, name: string, redact: Redactor): unknown {
	if (value === undefined || value === null || value === '') return {};
	if (typeof value !== 'string') return value;
	try {
		return parseJsonKeepingLongIntegers(value);
	} catch (error) {
		const what =
			error instanceof JsonTooDeep
				? `JSON nested deeper than ${MAX_JSON_DEPTH} levels`
				: 'text that is not JSON';
		throw new CozeError(
			`Coze sent the arguments of tool call ${id} (${name || 'no name'}) as ${what}`,
			{
				kind: 'protocol',
				description: `The bot's plugin call cannot be handed to n8n as data. Coze sent: ${redact.snippet(value, 300)}. Check the plugin's parameters in Coze; the chat waits for its output until it expires.`,
			},
		);
	}
}
