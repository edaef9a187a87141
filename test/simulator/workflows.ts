import type { SimEvent, StreamShape } from './event-stream';

/** What the simulator answers for one request to a workflow endpoint. */
export type WorkflowAnswer =
	| { stream: SimEvent[]; shape?: StreamShape }
	/** An event stream already encoded (benchmarks: the server's own work stays out of the timing). */
	| { encodedStream: Buffer }
	| { json: unknown; status?: number };

/** A scripted Coze workflow: how it answers a run, a resume, a synchronous or async run. */
export interface SimWorkflow {
	run?: (body: Record<string, unknown>) => WorkflowAnswer;
	resume?: (body: Record<string, unknown>) => WorkflowAnswer;
	/** `POST /v1/workflow/run`; `is_async` in the body says which kind. */
	blockingRun?: (body: Record<string, unknown>) => WorkflowAnswer;
	/** The cloud's `POST /v1/workflows/resume`: resumes a synchronous or asynchronous run (blocking-shapes.ts). */
	blockingResume?: (body: Record<string, unknown>) => WorkflowAnswer;
	/** Successive answers of the run history, one per poll (the last one repeats). */
	history?: unknown[];
	/**
	 * The cloud's per-node outputs of a run, by node_execute_uuid, served at
	 * `/v1/workflows/{id}/run_histories/{execute_id}/execute_nodes/{uuid}` as
	 * {code, msg, data: {is_finish, node_output}} (cozepy run_histories/execute_nodes). A node
	 * missing here is refused with code 4000, as Coze refuses nodes that are not output nodes
	 * (cozepy's docstring; the code itself is not documented). `is_finish` is true unless given:
	 * get_node_execute_history_response.md's own example answers is_finish false.
	 */
	nodeOutputs?: Record<string, string | { output: string; isFinish: boolean }>;
	/** A chatflow's answer to one turn of `POST /v1/workflows/chat`. */
	chat?: (turn: ChatTurn) => ChatTurnScript | WorkflowAnswer;
}

/** What a chatflow is given for one turn: the user's message and what the conversation holds. */
export interface ChatTurn {
	message: string;
	/** The conversation's messages before this turn, oldest first. */
	history: Array<{ role: 'user' | 'assistant'; content: string }>;
	/** The question the chatflow asked last turn, which this message answers. */
	answering?: string;
	conversationId: string;
	body: Record<string, unknown>;
}

/** How a chatflow answers a turn; the simulator sends it in its flavour's shapes (chat-shapes.ts). */
export interface ChatTurnScript {
	/** Answer messages, each in the pieces it streams in. */
	answers?: string[][];
	/** A question node asks this after the answers; the next user message answers it. */
	asks?: string;
	followUps?: string[];
	/** The chatflow fails; `shape` picks the cloud's chat.failed form (chat-shapes.ts). */
	fails?: { code: number; msg: string; shape?: 'last_error' | 'documented' };
	shape?: StreamShape;
}

/**
 * The chunks of one node's message in the cloud's shape (cozepy's recorded stream: content,
 * node_title, node_seq_id from "0", node_is_finish on the last); node_id, node_type and
 * node_execute_uuid only where a test gives them (no SDK fixture shows them). For a server's
 * exact shapes, Studio's included, use shapes.ts's ServerStream.
 */
export function messageChunks(
	node: { title: string; id?: string; uuid?: string; type?: string },
	chunks: string[],
	extra: Record<string, unknown> = {},
): Array<Omit<SimEvent, 'id'>> {
	return chunks.map((content, i) => ({
		event: 'Message',
		data: {
			content,
			content_type: 'text',
			node_title: node.title,
			...(node.id ? { node_id: node.id } : {}),
			...(node.uuid ? { node_execute_uuid: node.uuid } : {}),
			...(node.type ? { node_type: node.type } : {}),
			node_seq_id: String(i),
			node_is_finish: i === chunks.length - 1,
			...(i === chunks.length - 1 ? extra : {}),
		},
	}));
}

/** Numbers events 0, 1, 2, … as Coze does. */
export function numbered(events: Array<Omit<SimEvent, 'id'>>, from = 0): SimEvent[] {
	return events.map((event, i) => ({ ...event, id: from + i }));
}

export const DEBUG_URL =
	'https://www.coze.cn/work_flow?execute_id=7404830425073352999&space_id=1&workflow_id=7404830425073352713';
