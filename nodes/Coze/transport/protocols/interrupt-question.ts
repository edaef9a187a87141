import { parseJsonObject } from '../http/lossless-json';
import type { CollectedMessage } from './run-collector';

/**
 * The text a person must answer, wherever the server put it:
 * - Coze Studio writes a question node's conversation into `interrupt_data.data` as
 *   `{"messages":[{"type":"question","content_type":"text","content":"…"}, …]}`, the content
 *   of a multiple-choice question being `{"question":"…","options":[{"name":"A"}, …]}`
 *   (coze-studio nodes/qa/question_answer.go). The last question is the one being asked.
 * - The cloud streams the question as ordinary Message events of the question node just before
 *   the Interrupt, whose `data` is then "" (cozepy's recorded stream fixture): the last message
 *   of the node the Interrupt names is the question.
 * - A synchronous or asynchronous run on the cloud streams nothing: its `interrupt_data.data` is
 *   `{"content_type":"text","content":"…"}`, the content being the question (workflow_run.md,
 *   workflow_history.md, resume_workflow.md in Coze's API pages), or an input node's form as a
 *   JSON array (resume_workflow.md's type 5 example), which asks no question.
 * - Plain text in `data` is the question itself, and so is a `question` field of JSON in `data`
 *   (no server is known to send that; read for whatever does).
 * An input node (Studio's `{"content_type":"form_schema",…}`) asks no question: "".
 */
export function questionOf(
	data: string,
	nodeTitle: string | undefined,
	messages: CollectedMessage[],
): { question: string; options?: string[] } {
	const parsed = parseJsonObject(data);
	if (parsed)
		return (
			fromStudioConversation(parsed) ??
			fromCloudContent(parsed) ?? {
				question: typeof parsed.question === 'string' ? parsed.question : '',
			}
		);
	if (data.trim() !== '') return { question: data };
	const fromNode =
		nodeTitle === undefined
			? messages
			: messages.filter((message) => message.node_title === nodeTitle);
	return { question: fromNode[fromNode.length - 1]?.content ?? '' };
}

interface StudioMessage {
	type?: unknown;
	content?: unknown;
}

function fromStudioConversation(
	data: Record<string, unknown>,
): { question: string; options?: string[] } | undefined {
	if (!Array.isArray(data.messages)) return undefined;
	const questions = (data.messages as StudioMessage[]).filter(
		(message) => message && message.type === 'question',
	);
	const content = questions[questions.length - 1]?.content;
	if (typeof content === 'string') return { question: content };
	if (content && typeof content === 'object') {
		const choice = content as { question?: unknown; options?: unknown };
		const options = Array.isArray(choice.options)
			? choice.options.map((option: { name?: unknown }) =>
					typeof option?.name === 'string' ? option.name : JSON.stringify(option),
				)
			: undefined;
		return {
			question: typeof choice.question === 'string' ? choice.question : '',
			...(options ? { options } : {}),
		};
	}
	return undefined;
}

/** The cloud's `{"content_type":"text","content":…}`: the question, unless the content is an input node's form. */
function fromCloudContent(data: Record<string, unknown>): { question: string } | undefined {
	if (data.content_type !== 'text' || typeof data.content !== 'string') return undefined;
	return { question: isJsonArray(data.content) ? '' : data.content };
}

function isJsonArray(text: string): boolean {
	if (!text.trimStart().startsWith('[')) return false;
	try {
		return Array.isArray(JSON.parse(text));
	} catch {
		return false;
	}
}
