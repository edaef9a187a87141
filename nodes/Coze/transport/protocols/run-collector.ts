import { CozeError } from '../http/coze-error';
import type { CozeInterruptData, CozeMessageData, CozeStreamEvent } from './workflow-events';
import { questionOf } from './interrupt-question';
import { textOfServerValue } from '../http/lossless-json';
import { DEFAULT_POLICY, megabytes } from '../http/policy';

/** The fields of a message that tell which node (and which execution of it) sent it, as Coze names them. */
const IDENTITY_FIELDS = [
	'node_title',
	'node_id',
	'node_type',
	'node_execute_uuid',
	'sub_execute_id',
	'batch_index',
	'loop_index',
	'content_type',
] as const;
/** The fields that account for a message, sent with its last chunk. */
const ACCOUNTING_FIELDS = ['usage', 'token', 'cost', 'ext'] as const;

/** One node's whole message: its streamed chunks joined in order. */
export type CollectedMessage = { content: string } & Pick<
	CozeMessageData,
	(typeof IDENTITY_FIELDS)[number] | (typeof ACCOUNTING_FIELDS)[number]
>;

/** A workflow waiting for an answer (a question node, an input node, a plugin's auth). */
export interface CollectedInterrupt {
	event_id: string;
	interrupt_type: number;
	/** `interrupt_data.data` as Coze sent it. */
	data: string;
	/** The text a person must answer, wherever the server put it (see interrupt-question.ts). */
	question: string;
	/** A question with choices (Coze Studio's option content): the choices' names. */
	options?: string[];
	node_title?: string;
	required_parameters?: unknown;
	debug_url?: string;
}

export interface CollectedRun {
	messages: CollectedMessage[];
	interrupt?: CollectedInterrupt;
	debugUrl?: string;
	/** A synchronous or asynchronous run's id (a stream's is inside its debug URL). */
	executeId?: string;
}

/** A run that failed part-way; `messages` are the ones that had arrived, so none is lost. */
export class RunFailure extends Error {
	constructor(
		readonly failure: unknown,
		readonly messages: CollectedMessage[],
	) {
		super(failure instanceof Error ? failure.message : String(failure));
		this.name = 'RunFailure';
	}
}

export interface CollectOptions {
	/** The most message text the run may hold, in bytes of UTF-8 (Max Output Size). */
	maxOutputBytes: number;
	/** `last`: keep only the newest finished message (Output → Final Message Only), so a long run stays small. */
	keep: 'all' | 'last';
}

const KEEP_EVERYTHING: CollectOptions = {
	maxOutputBytes: DEFAULT_POLICY.maxOutputBytes,
	keep: 'all',
};

/**
 * Reads a run's events to its end: Done (finished), Interrupt (waiting for an answer) or
 * Error. A stream that stops without one of those did not finish, and is a failure.
 */
export async function collectRun(
	batches: AsyncIterable<CozeStreamEvent[]>,
	options = KEEP_EVERYTHING,
): Promise<CollectedRun> {
	const messages = new MessageAssembler(options);
	try {
		for await (const batch of batches) {
			for (const event of batch) {
				const ended = endOfRun(event, messages);
				if (ended) return ended;
			}
		}
	} catch (error) {
		throw new RunFailure(error, messages.finishAll());
	}
	const arrived = messages.finishAll();
	throw new RunFailure(
		new CozeError(
			`The Coze stream ended before the workflow finished: no Done or Interrupt event came, after ${arrived.length} message${arrived.length === 1 ? '' : 's'}`,
			{
				kind: 'protocol',
				description:
					'The connection was closed early (a proxy or load balancer timeout, or Coze itself). The workflow may still be running in Coze.',
			},
		),
		arrived,
	);
}

/** Coze's `interrupt_data` (of a stream's Interrupt event or a one-shot run's answer) as the node outputs it. */
export function collectedInterrupt(
	interrupt: NonNullable<CozeInterruptData['interrupt_data']>,
	nodeTitle: string | undefined,
	debugUrl: string | undefined,
	/** The messages that came before it in the same stream (the cloud streams its question there). */
	messages: CollectedMessage[] = [],
): CollectedInterrupt {
	const eventId =
		typeof interrupt.event_id === 'number' ? String(interrupt.event_id) : interrupt.event_id;
	if (typeof eventId !== 'string' || eventId.trim() === '') {
		throw new CozeError('Coze sent an Interrupt without an event_id, so it cannot be answered', {
			kind: 'protocol',
			debugUrl,
			description: `The workflow is waiting${nodeTitle ? ` at "${nodeTitle}"` : ''}, but Resume needs the interrupt's event_id. Answer it in Coze${debugUrl ? `: ${debugUrl}` : '.'}`,
		});
	}
	const type =
		typeof interrupt.type === 'string' && /^\d+$/.test(interrupt.type.trim())
			? Number(interrupt.type)
			: interrupt.type;
	if (typeof type !== 'number' || !Number.isInteger(type)) {
		throw new CozeError('Coze sent an Interrupt whose type is not a number', {
			kind: 'protocol',
			debugUrl,
			description: `It said type ${JSON.stringify(interrupt.type) ?? 'nothing'}; Resume needs the number Coze uses (2 question, 5 input, 6 client plugin, 7 OAuth plugin).`,
		});
	}
	const data = textOfServerValue(interrupt.data);
	return {
		event_id: eventId,
		interrupt_type: type,
		data,
		...questionOf(data, nodeTitle, messages),
		node_title: nodeTitle,
		required_parameters: interrupt.required_parameters,
		debug_url: debugUrl,
	};
}

/** Takes in one event; returns the run once the event ends it, throws on an Error event. */
function endOfRun(event: CozeStreamEvent, messages: MessageAssembler): CollectedRun | undefined {
	switch (event.type) {
		case 'Message':
			messages.add(event.data);
			return undefined;
		case 'Done':
			return { messages: messages.finishAll(), debugUrl: event.data.debug_url };
		case 'Interrupt': {
			const arrived = messages.finishAll();
			return {
				messages: arrived,
				interrupt: collectedInterrupt(
					event.data.interrupt_data ?? {},
					event.data.node_title,
					event.data.debug_url,
					arrived,
				),
				debugUrl: event.data.debug_url,
			};
		}
		case 'Error': {
			const { error_code: code, error_message: message, debug_url: debugUrl } = event.data;
			throw new CozeError(
				`The Coze workflow failed${code === undefined ? '' : ` with error ${code}`}: ${message ?? 'no message'}`,
				{
					kind: 'api',
					cozeCode: code,
					debugUrl,
					description: debugUrl
						? `See the run in Coze: ${debugUrl}`
						: "See the run in Coze under the workflow's run history.",
				},
			);
		}
	}
}

interface OpenMessage {
	first: CozeMessageData;
	/** Chunk texts and their node_seq_id, side by side (no object per chunk). */
	contents: string[];
	seqs: number[];
	inOrder: boolean;
	/** UTF-8 bytes of its text so far. */
	bytes: number;
	/** Usage, token, cost, ext: the latest chunk's (Coze sends them with the last one). */
	accounting: Pick<CozeMessageData, (typeof ACCOUNTING_FIELDS)[number]>;
}

/** Joins each node execution's chunks; hands out whole messages in the order they finished. */
class MessageAssembler {
	private readonly open = new Map<string, OpenMessage>();
	private finished: CollectedMessage[] = [];
	/** Bytes of message text held now, and received in all (Final Message Only drops some). */
	private heldBytes = 0;
	private receivedBytes = 0;
	/** With `keep: 'last'`: the bytes of the one finished message kept. */
	private keptBytes = 0;

	constructor(private readonly options: CollectOptions) {}

	add(data: CozeMessageData): void {
		const content = data.content ?? '';
		const bytes = this.count(content);
		const key = executionKey(data);
		const seq = Number(data.node_seq_id ?? 0);
		let message = this.open.get(key);
		// Without an execution id, a node that runs again (in a loop) restarts at chunk 0.
		if (message && !data.node_execute_uuid && seq === 0 && message.contents.length > 0) {
			this.finish(key, message);
			message = undefined;
		}
		if (!message) {
			// Final Message Only: a message that begins will end after the one kept, so that one goes now.
			if (this.options.keep === 'last') this.dropKept();
			message = { first: data, contents: [], seqs: [], inOrder: true, bytes: 0, accounting: {} };
			this.open.set(key, message);
		}
		if (message.seqs.length > 0 && seq < message.seqs[message.seqs.length - 1])
			message.inOrder = false;
		message.contents.push(content);
		message.seqs.push(seq);
		message.bytes += bytes;
		for (const field of ACCOUNTING_FIELDS)
			if (data[field] !== undefined) message.accounting[field] = data[field] as never;
		if (data.node_is_finish) this.finish(key, message);
	}

	/** Finishes what is still open (in the order it began) and returns every message. */
	finishAll(): CollectedMessage[] {
		for (const [key, message] of this.open) this.finish(key, message);
		return this.finished;
	}

	private dropKept(): void {
		this.heldBytes -= this.keptBytes;
		this.keptBytes = 0;
		this.finished = [];
	}

	/** Counts a chunk against Max Output Size before it is kept; returns its size. */
	private count(content: string): number {
		const bytes = Buffer.byteLength(content, 'utf8');
		this.heldBytes += bytes;
		this.receivedBytes += bytes;
		const limit = this.options.maxOutputBytes;
		if (this.heldBytes <= limit) return bytes;
		throw new CozeError(
			`The Coze run sent more than Max Output Size (${megabytes(limit)}) of messages`,
			{
				kind: 'protocol',
				description:
					`${megabytes(this.receivedBytes)} of message text arrived before the node stopped reading. ` +
					(this.options.keep === 'last'
						? "Raise Max Output Size in the node's Request Options if n8n has the memory for it."
						: "Set Options → Output to Final Message Only, which keeps only the last message, or raise Max Output Size in the node's Request Options if n8n has the memory for it."),
			},
		);
	}

	private finish(key: string, message: OpenMessage): void {
		this.open.delete(key);
		const { first, contents, seqs } = message;
		const ordered = message.inOrder
			? contents
			: seqs
					.map((seq, i) => ({ seq, i }))
					.sort((a, b) => a.seq - b.seq)
					.map(({ i }) => contents[i]);
		if (this.options.keep === 'last') {
			// Only the newest whole message is kept: what came before it no longer counts.
			this.dropKept();
			this.keptBytes = message.bytes;
		}
		const collected: CollectedMessage = { content: ordered.join('') };
		for (const field of IDENTITY_FIELDS)
			if (first[field] !== undefined) collected[field] = first[field] as never;
		Object.assign(collected, message.accounting);
		this.finished.push(collected);
	}
}

/**
 * Which execution of which node a chunk belongs to. The cloud's node_execute_uuid says it
 * outright; without it (Coze Studio never sends it, the cloud not always) a node is its id and
 * title, and one execution of it is told apart by the sub-workflow, batch and loop it ran in:
 * every End node is 900001, in sub-workflows too, and a node in a loop runs many times.
 */
export function executionKey(data: CozeMessageData): string {
	if (data.node_execute_uuid) return `uuid\u0000${data.node_execute_uuid}`;
	return [
		'node',
		data.sub_execute_id ?? '',
		data.node_id ?? '',
		data.node_title ?? '',
		data.batch_index ?? '',
		data.loop_index ?? '',
	].join('\u0000');
}
