// The event shapes each real server sends, one builder per flavour. Every shape names its
// evidence; a field sent without evidence says so.
//
// Evidence read (snapshots of 2025-11 to 2026-04):
// - cozepy tests/testdata/workflow_run_stream_resp.txt: the cloud's recorded stream (Message,
//   Error, Interrupt, Done), its question node streaming "请问你想查看哪个城市…" as a Message with
//   node_title "问答", then Interrupt {"interrupt_data":{"data":"","event_id":…,"type":2},
//   "node_title":"问答"}; the End message with "cost":"0.00","token":0; Done with data {}.
// - coze-go workflows_runs_test.go: the cloud's PING and Done {"debug_url":…}; its Message
//   struct has usage.
// - coze-studio backend/application/workflow/workflow.go convertStreamRunEvent and
//   api/handler/coze/workflow_service.go: Studio's Message fields (content, content_type "text",
//   node_id, node_type display key, node_title, node_is_finish, node_seq_id one counter per
//   node_id for the whole stream, token only with a node's end), Interrupt {debug_url,
//   interrupt_data{event_id "<execute_id>/<n>", type, data}} with no node_title, Error
//   {debug_url, error_code, error_message} with the internal code, Done {debug_url}, no PING.
// - coze-studio domain/workflow/internal/execute/event_handle.go: before an Interrupt, Studio
//   sends a finished Message of the interrupting node whose content is the interrupt's data.
// - coze-studio nodes/qa/question_answer.go: a question node's data,
//   {"messages":[{"type":"question","content_type":"text","content":"…","id":"<key>_0"}]}.
import type { Flavour } from './flavours';
import type { SimEvent } from './event-stream';

type Unnumbered = Omit<SimEvent, 'id'>;

export interface SimNode {
	title: string;
	/** Studio always sends node_id; the cloud's recorded fixture has none. */
	id?: string;
	/** Studio's display key ("End", "Question", "Message", "LLM"). */
	type?: string;
	/**
	 * The cloud's node_execute_uuid. No SDK fixture shows it (coze-api.md lists it; third-party
	 * captures show it empty): sent only where a test asks.
	 */
	uuid?: string;
	/** Cloud fields to tell executions apart: no SDK fixture shows them on a Message (coze-api.md lists them). */
	batchIndex?: number;
	loopIndex?: number;
	subExecuteId?: string;
}

/** Builds one stream's events as `flavour` sends them; Studio's node_seq_id counts per node for the whole stream. */
export class ServerStream {
	private readonly studioSeq = new Map<string, number>();
	readonly events: Unnumbered[] = [];

	constructor(readonly flavour: Flavour) {}

	/**
	 * One node's message in chunks. Cloud: node_seq_id from "0" within the message, node_title
	 * (cozepy fixture), usage on the last chunk (coze-go's Message has usage; no fixture shows
	 * one), cost and token on an End message (cozepy fixture). Studio: the fields of
	 * convertStreamRunEvent, token on the last chunk only.
	 */
	message(node: SimNode, chunks: string[], last: { tokens?: number } = {}): this {
		chunks.forEach((content, i) => {
			const isLast = i === chunks.length - 1;
			const data: Record<string, unknown> = {
				content,
				content_type: 'text',
				node_is_finish: isLast,
				node_title: node.title,
			};
			if (this.flavour === 'studio') {
				const key = node.id ?? node.title;
				const seq = this.studioSeq.get(key) ?? 0;
				this.studioSeq.set(key, seq + 1);
				Object.assign(data, {
					node_seq_id: String(seq),
					node_id: node.id ?? '0',
					node_type: node.type ?? 'Message',
				});
				if (isLast && last.tokens !== undefined) data.token = last.tokens;
			} else {
				data.node_seq_id = String(i);
				if (node.id) data.node_id = node.id;
				if (node.type) data.node_type = node.type;
				if (node.uuid) data.node_execute_uuid = node.uuid;
				if (node.batchIndex !== undefined) data.batch_index = node.batchIndex;
				if (node.loopIndex !== undefined) data.loop_index = node.loopIndex;
				if (node.subExecuteId) data.sub_execute_id = node.subExecuteId;
				if (isLast && last.tokens !== undefined) {
					if (node.type === 'End') Object.assign(data, { cost: '0.00', token: last.tokens });
					else
						data.usage = {
							token_count: last.tokens,
							input_count: Math.floor(last.tokens / 3),
							output_count: last.tokens - Math.floor(last.tokens / 3),
						};
				}
			}
			this.events.push({ event: 'Message', data });
		});
		return this;
	}

	/**
	 * A question node asking `question`. Cloud (cozepy fixture): the question as a Message of the
	 * node, then an Interrupt with data "" naming the node. Studio (question_answer.go,
	 * event_handle.go, convertStreamRunEvent): a Message whose content is the data, then an
	 * Interrupt with the conversation in data, a debug_url and no node_title.
	 */
	question(
		question: string,
		eventId: string,
		debugUrl: string,
		node: SimNode = { title: '问答', id: '133234', type: 'Question' },
	): this {
		if (this.flavour === 'cloud') {
			this.message({ title: node.title }, [question]);
			this.events.push({
				event: 'Interrupt',
				data: { interrupt_data: { data: '', event_id: eventId, type: 2 }, node_title: node.title },
			});
			return this;
		}
		const data = JSON.stringify({
			messages: [{ type: 'question', content_type: 'text', content: question, id: `${node.id}_0` }],
		});
		this.message(node, [data]);
		this.events.push({
			event: 'Interrupt',
			data: { debug_url: debugUrl, interrupt_data: { event_id: eventId, type: 2, data } },
		});
		return this;
	}

	/** Done: {debug_url} (coze-go's fixture, Studio always), or the cozepy fixture's `{}` on the cloud when no URL is given. */
	done(debugUrl?: string): this {
		this.events.push({ event: 'Done', data: debugUrl ? { debug_url: debugUrl } : {} });
		return this;
	}

	/** Error: the cozepy fixture's {error_code, error_message}; Studio adds debug_url and sends its internal code. */
	error(code: number, message: string, debugUrl: string): this {
		this.events.push({
			event: 'Error',
			data:
				this.flavour === 'studio'
					? { debug_url: debugUrl, error_code: code, error_message: message }
					: { error_code: code, error_message: message },
		});
		return this;
	}

	/** The cloud's heartbeat (coze-go's fixture); Studio sends none, so this adds nothing there. */
	ping(): this {
		if (this.flavour === 'cloud') this.events.push({ event: 'PING', data: {} });
		return this;
	}
}
