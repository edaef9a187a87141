import { setTimeout as sleep } from 'node:timers/promises';

import { abortFailure } from '../http/abort';
import { requestCozeJson } from '../http/client';
import type { CozeConnection } from '../http/connection';
import { CozeError } from '../http/coze-error';
import type { CozeEnvelope } from '../http/envelope';
import type { CozeInterruptData } from './workflow-events';
import { parseJsonObject, stringifyJson } from '../http/lossless-json';
import { historyFailure, historyState, RunHistory } from './run-history';
import { collectedInterrupt, type CollectedMessage, type CollectedRun } from './run-collector';

/** Coze's answer to `POST /v1/workflow/run` (synchronous, or the start of an asynchronous run). */
interface RunAnswer {
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
export async function runSync(connection: CozeConnection, body: Record<string, unknown>, signal?: AbortSignal): Promise<CollectedRun> {
	const answer = await requestCozeJson<CozeEnvelope & RunAnswer>(connection, { method: 'POST', path: '/v1/workflow/run', kind: 'startsRun', json: stringifyJson(body), signal });
	return resultToRun(answer, answer.data);
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
	const executeId = String(started.execute_id ?? '');
	if (!EXECUTE_ID.test(executeId)) {
		throw new CozeError(executeId ? `Coze started the run but its execute_id "${executeId}" is not a Coze id` : 'Coze started the run but did not say its execute_id', {
			kind: 'protocol',
			debugUrl: started.debug_url,
			description: `The run may be going on in Coze${started.debug_url ? `: ${started.debug_url}` : ''}; without its id the node cannot follow it. Check the credential's Base URL points at the Coze API.`,
		});
	}
	const history = new RunHistory(connection, String(body.workflow_id), executeId);
	const intervalMs = Math.max(MIN_POLL_INTERVAL_MS, polling.intervalMs);
	const deadline = Date.now() + polling.maxWaitMs;
	for (;;) {
		const record = await history.read(signal);
		const state = historyState(record);
		if (state === 'success') {
			const run = record!.is_output_trimmed
				? { messages: await history.trimmedOutputs(record!, signal), debugUrl: record!.debug_url ?? started.debug_url }
				: resultToRun({ ...record!, debug_url: record!.debug_url ?? started.debug_url }, record!.output);
			return { ...run, executeId };
		}
		if (state === 'interrupted' && record!.interrupt_data && typeof record!.interrupt_data === 'object' && Object.keys(record!.interrupt_data).length > 0) {
			return { ...resultToRun(record!, undefined), executeId };
		}
		if (state !== 'running') throw historyFailure(record!, executeId, started.debug_url);
		if (Date.now() + intervalMs > deadline) {
			throw new CozeError(`The Coze run ${executeId} was still running after ${Math.round(polling.maxWaitMs / 60_000)} minutes`, {
				kind: 'protocol',
				debugUrl: started.debug_url,
				description: `Raise Max Wait in the node's options, or follow the run in Coze${started.debug_url ? `: ${started.debug_url}` : '.'}`,
			});
		}
		try {
			await sleep(intervalMs, undefined, { signal });
		} catch (error) {
			throw abortFailure(signal, error);
		}
	}
}

/** A one-shot answer as a collected run: its output is one message, or it waits on an interrupt. */
function resultToRun(result: RunAnswer, output: unknown): CollectedRun {
	const interrupt = result.interrupt_data;
	const executeId = result.execute_id === undefined ? undefined : String(result.execute_id);
	if (interrupt && typeof interrupt === 'object' && Object.keys(interrupt).length > 0) {
		return { messages: [], interrupt: collectedInterrupt(interrupt, result.node_title, result.debug_url), debugUrl: result.debug_url, executeId };
	}
	const message: CollectedMessage = { content: answerText(output), node_title: 'End' };
	for (const field of ['usage', 'token', 'cost'] as const) if (result[field] !== undefined) message[field] = result[field] as never;
	return { messages: [message], debugUrl: result.debug_url, executeId };
}

/**
 * The run's output as text. Coze Studio's synchronous answer-mode output comes wrapped as
 * {"content_type":1,"data":…,"type_for_model":2} (coze-studio application/workflow/workflow.go
 * OpenAPIRun); the wrapped data is the answer.
 */
function answerText(output: unknown): string {
	const text = typeof output === 'string' ? output : output === undefined || output === null ? '' : JSON.stringify(output);
	const wrapped = text.includes('"content_type"') ? parseJsonObject(text) : undefined;
	if (wrapped && typeof wrapped.content_type === 'number' && 'data' in wrapped) {
		return typeof wrapped.data === 'string' ? wrapped.data : JSON.stringify(wrapped.data);
	}
	return text;
}
