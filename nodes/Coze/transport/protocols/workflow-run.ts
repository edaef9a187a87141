import { setTimeout as sleep } from 'node:timers/promises';

import { abortFailure } from '../http/abort';
import { requestCozeJson } from '../http/client';
import type { CozeConnection } from '../http/connection';
import { CozeError } from '../http/coze-error';
import type { CozeEnvelope } from '../http/envelope';
import type { CozeInterruptData } from './workflow-events';
import { stringifyJson } from '../http/lossless-json';
import { historyFailure, historyState, RunHistory, type HistoryRecord } from './run-history';
import { collectedInterrupt, type CollectedMessage, type CollectedRun } from './run-collector';
import { endMessage, type OutputMessage } from './run-output';

/**
 * Coze's answer to `POST /v1/workflow/run` and `POST /v1/workflows/resume` (synchronous, or the
 * start of an asynchronous run).
 */
export interface RunAnswer {
	data?: unknown;
	execute_id?: string;
	debug_url?: string;
	usage?: CollectedMessage['usage'];
	/** coze-js RunWorkflowData and Coze Studio's OpenAPIRunFlowResponse carry token and cost. */
	token?: number | string;
	cost?: string;
	interrupt_data?: CozeInterruptData['interrupt_data'];
	node_title?: string;
}

/** Runs the workflow and waits for its one answer (Coze cuts the connection at 90 s). */
export async function runSync(
	connection: CozeConnection,
	body: Record<string, unknown>,
	signal?: AbortSignal,
): Promise<CollectedRun> {
	const answer = await requestCozeJson<CozeEnvelope & RunAnswer>(connection, {
		method: 'POST',
		path: '/v1/workflow/run',
		kind: 'startsRun',
		json: stringifyJson(body),
		signal,
	});
	return blockingResult(answer);
}

/** A synchronous answer as a collected run: its `data` is the End's message, or it waits on an interrupt. */
export function blockingResult(answer: RunAnswer): CollectedRun {
	return resultToRun(answer, [endMessage(answer.data)]);
}

export interface Polling {
	intervalMs: number;
	maxWaitMs: number;
}

/** Asking more often than this only loads Coze (and counts against the token's rate limit). */
export const MIN_POLL_INTERVAL_MS = 1000;

/** Coze's execute ids are decimal numbers; anything else must not become part of a path. */
const EXECUTE_ID = /^\d{1,30}$/;

/**
 * Starts the run in the background (`is_async`), then asks the run history until it is no
 * longer Running. Stopping the n8n execution stops the waiting at once.
 */
export async function runAsync(
	connection: CozeConnection,
	body: Record<string, unknown>,
	polling: Polling,
	signal?: AbortSignal,
): Promise<CollectedRun> {
	const started = await requestCozeJson<CozeEnvelope & RunAnswer>(connection, {
		method: 'POST',
		path: '/v1/workflow/run',
		kind: 'startsRun',
		json: stringifyJson({ ...body, is_async: true }),
		signal,
	});
	return await followAsyncRun(connection, String(body.workflow_id), started, polling, signal);
}

/**
 * Follows an asynchronous run that `started` answered the start (or resume) of: asks its
 * history until it finishes, fails or waits on an interrupt. `answered` is the event id of an
 * interrupt just resumed: a record that still names it is running on, not waiting again.
 */
export async function followAsyncRun(
	connection: CozeConnection,
	workflowId: string,
	started: RunAnswer,
	polling: Polling,
	signal?: AbortSignal,
	answered?: string,
): Promise<CollectedRun> {
	const executeId = String(started.execute_id ?? '');
	if (!EXECUTE_ID.test(executeId)) {
		throw new CozeError(
			executeId
				? `Coze started the run but its execute_id "${executeId}" is not a Coze id`
				: 'Coze started the run but did not say its execute_id',
			{
				kind: 'protocol',
				debugUrl: started.debug_url,
				description: `The run may be going on in Coze${started.debug_url ? `: ${started.debug_url}` : ''}; without its id the node cannot follow it. Check the credential's Base URL points at the Coze API.`,
			},
		);
	}
	const history = new RunHistory(connection, workflowId, executeId);
	const intervalMs = Math.max(MIN_POLL_INTERVAL_MS, polling.intervalMs);
	const deadline = Date.now() + polling.maxWaitMs;
	for (;;) {
		const record = await history.read(signal);
		const state = historyState(record);
		const answer = { ...record, debug_url: record?.debug_url ?? started.debug_url };
		if (state !== 'failed' && state !== 'cancelled' && waitsOnNewInterrupt(record, answered)) {
			return { ...resultToRun(answer, []), executeId };
		}
		if (state === 'success') {
			// An interrupt the record still names is the one just answered: the run went on past it.
			const finished = { ...answer, interrupt_data: undefined };
			// Trimmed, the output nodes' messages are fetched one by one; the run's usage is no node's.
			if (record!.is_output_trimmed)
				return {
					...resultToRun(finished, []),
					messages: await history.trimmedOutputs(record!, signal),
					executeId,
				};
			return { ...resultToRun(finished, history.outputMessages(record!)), executeId };
		}
		if (state !== 'running') throw historyFailure(record!, executeId, started.debug_url);
		if (Date.now() + intervalMs > deadline) {
			throw new CozeError(
				`The Coze run ${executeId} was still running after ${Math.round(polling.maxWaitMs / 60_000)} minutes`,
				{
					kind: 'protocol',
					debugUrl: started.debug_url,
					description: `Raise Max Wait in the node's options, or follow the run in Coze${started.debug_url ? `: ${started.debug_url}` : '.'}`,
				},
			);
		}
		try {
			await sleep(intervalMs, undefined, { signal });
		} catch (error) {
			throw abortFailure(signal, error);
		}
	}
}

/**
 * Whether the record waits on an interrupt other than the one just answered. The cloud's record
 * carries interrupt_data (workflow_history.md) while its status is only ever Success, Running or
 * Fail (cozepy WorkflowExecuteStatus): the interrupt, not the status, says the run waits.
 */
function waitsOnNewInterrupt(
	record: HistoryRecord | undefined,
	answered: string | undefined,
): boolean {
	const eventId =
		record?.interrupt_data && typeof record.interrupt_data === 'object'
			? record.interrupt_data.event_id
			: undefined;
	if (typeof eventId !== 'string' && typeof eventId !== 'number') return false;
	return String(eventId).trim() !== '' && String(eventId) !== answered;
}

/**
 * A one-shot answer as a collected run: its output's messages (the End's last, which takes the
 * run's usage, token and cost), or the interrupt it waits on.
 */
function resultToRun(result: RunAnswer, messages: OutputMessage[]): CollectedRun {
	const interrupt = result.interrupt_data;
	const executeId = result.execute_id === undefined ? undefined : String(result.execute_id);
	if (interrupt && typeof interrupt === 'object' && Object.keys(interrupt).length > 0) {
		return {
			messages: [],
			interrupt: collectedInterrupt(interrupt, result.node_title, result.debug_url),
			debugUrl: result.debug_url,
			executeId,
		};
	}
	const end = messages[messages.length - 1];
	if (end)
		for (const field of ['usage', 'token', 'cost'] as const)
			if (result[field] !== undefined) end[field] = result[field] as never;
	return { messages, debugUrl: result.debug_url, executeId };
}
