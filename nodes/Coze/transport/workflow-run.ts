import { setTimeout as sleep } from 'node:timers/promises';

import type { IDataObject } from 'n8n-workflow';

import { abortFailure } from './abort';
import { requestCozeJson } from './client';
import type { CozeConnection } from './connection';
import { CozeError } from './coze-error';
import { isStudioUnknownPath, type CozeEnvelope } from './envelope';
import type { CozeInterruptData } from './events';
import { stringifyJson } from './lossless-json';
import { collectedInterrupt, type CollectedRun } from './run-collector';

/** Coze's answer to `POST /v1/workflow/run` (synchronous) and one run-history record. */
interface RunResult {
	data?: string;
	output?: string;
	execute_id?: string;
	debug_url?: string;
	usage?: IDataObject;
	interrupt_data?: CozeInterruptData['interrupt_data'];
	node_title?: string;
}

interface HistoryRecord extends RunResult {
	execute_status?: 'Running' | 'Success' | 'Fail' | 'Cancel' | string;
	error_code?: number | string;
	error_message?: string;
	is_output_trimmed?: boolean;
}

/** Runs the workflow and waits for its one answer (Coze cuts the connection at 90 s). */
export async function runSync(connection: CozeConnection, body: Record<string, unknown>, signal?: AbortSignal): Promise<CollectedRun> {
	const answer = await requestCozeJson<CozeEnvelope & RunResult>(connection, { method: 'POST', path: '/v1/workflow/run', kind: 'startsRun', json: stringifyJson(body), signal });
	return resultToRun(answer, answer.data ?? '');
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
): Promise<{ run: CollectedRun; executeId: string }> {
	const started = await requestCozeJson<CozeEnvelope & RunResult>(connection, {
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
	const workflowId = String(body.workflow_id);
	const intervalMs = Math.max(MIN_POLL_INTERVAL_MS, polling.intervalMs);
	const deadline = Date.now() + polling.maxWaitMs;
	let studio = false;
	for (;;) {
		let record: HistoryRecord | undefined;
		try {
			record = await readHistory(connection, workflowId, executeId, studio, signal);
		} catch (error) {
			// Coze Studio serves the history elsewhere and answers the cloud path with its session 401.
			if (studio || !isStudioUnknownPath(error)) throw error;
			studio = true;
			continue;
		}
		const status = record?.execute_status ?? 'Running';
		if (status === 'Success') return { run: resultToRun(record!, record!.output ?? ''), executeId };
		if (status !== 'Running') throw historyFailure(record!, executeId, started.debug_url);
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

async function readHistory(connection: CozeConnection, workflowId: string, executeId: string, studio: boolean, signal?: AbortSignal): Promise<HistoryRecord | undefined> {
	const answer = await requestCozeJson<CozeEnvelope & { data?: HistoryRecord[] | HistoryRecord }>(connection, {
		method: 'GET',
		kind: 'read',
		...(studio
			? { path: '/v1/workflow/get_run_history', query: { workflow_id: workflowId, execute_id: executeId } }
			: { path: `/v1/workflows/${encodeURIComponent(workflowId)}/run_histories/${encodeURIComponent(executeId)}` }),
		signal,
	});
	return Array.isArray(answer.data) ? answer.data[0] : answer.data;
}

function historyFailure(record: HistoryRecord, executeId: string, debugUrl?: string): CozeError {
	const code = record.error_code === undefined || record.error_code === '' ? undefined : Number(record.error_code);
	const url = record.debug_url ?? debugUrl;
	const verb = record.execute_status === 'Cancel' ? 'was cancelled' : 'failed';
	return new CozeError(`The Coze run ${executeId} ${verb}${code === undefined ? '' : ` with error ${code}`}: ${record.error_message || record.execute_status}`, {
		kind: 'api',
		cozeCode: code,
		debugUrl: url,
		description: url ? `See the run in Coze: ${url}` : undefined,
	});
}

/** A one-shot answer as a collected run: its output is one message, or it waits on an interrupt. */
function resultToRun(result: RunResult, output: string): CollectedRun {
	const interrupt = result.interrupt_data;
	if (interrupt && typeof interrupt === 'object' && Object.keys(interrupt).length > 0) {
		return { messages: [], interrupt: collectedInterrupt(interrupt, result.node_title, result.debug_url), debugUrl: result.debug_url };
	}
	const usage = result.usage as CollectedRun['messages'][number]['usage'];
	return { messages: [{ content: output, node_title: 'End', usage }], debugUrl: result.debug_url };
}
