import { setTimeout as sleep } from 'node:timers/promises';

import type { IDataObject } from 'n8n-workflow';

import { abortFailure } from './abort';
import { requestCozeJson } from './client';
import type { CozeConnection } from './connection';
import { CozeError } from './coze-error';
import { isStudioUnknownPath, type CozeEnvelope } from './envelope';
import type { CozeInterruptData } from './events';
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
export async function runSync(connection: CozeConnection, body: IDataObject, signal?: AbortSignal): Promise<CollectedRun> {
	const answer = await requestCozeJson<CozeEnvelope & RunResult>(connection, { method: 'POST', path: '/v1/workflow/run', json: body, signal });
	return resultToRun(answer, answer.data ?? '');
}

export interface Polling {
	intervalMs: number;
	maxWaitMs: number;
}

/**
 * Starts the run in the background (`is_async`), then asks the run history until it is no
 * longer Running. Stopping the n8n execution stops the waiting at once.
 */
export async function runAsync(
	connection: CozeConnection,
	body: IDataObject,
	polling: Polling,
	signal?: AbortSignal,
): Promise<{ run: CollectedRun; executeId: string }> {
	const started = await requestCozeJson<CozeEnvelope & RunResult>(connection, {
		method: 'POST',
		path: '/v1/workflow/run',
		json: { ...body, is_async: true },
		signal,
	});
	const executeId = String(started.execute_id ?? '');
	if (!executeId) throw new CozeError('Coze started the run but did not say its execute_id', { kind: 'protocol' });
	const workflowId = String(body.workflow_id);
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
		if (Date.now() + polling.intervalMs > deadline) {
			throw new CozeError(`The Coze run ${executeId} was still running after ${Math.round(polling.maxWaitMs / 60_000)} minutes`, {
				kind: 'protocol',
				debugUrl: started.debug_url,
				description: `Raise Max Wait in the node's options, or follow the run in Coze${started.debug_url ? `: ${started.debug_url}` : '.'}`,
			});
		}
		try {
			await sleep(polling.intervalMs, undefined, { signal });
		} catch (error) {
			throw abortFailure(signal, error);
		}
	}
}

async function readHistory(connection: CozeConnection, workflowId: string, executeId: string, studio: boolean, signal?: AbortSignal): Promise<HistoryRecord | undefined> {
	const answer = await requestCozeJson<CozeEnvelope & { data?: HistoryRecord[] | HistoryRecord }>(connection, {
		method: 'GET',
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
	if (result.interrupt_data?.event_id) {
		return { messages: [], interrupt: collectedInterrupt(result.interrupt_data, result.node_title, result.debug_url), debugUrl: result.debug_url };
	}
	const usage = result.usage as CollectedRun['messages'][number]['usage'];
	return { messages: [{ content: output, node_title: 'End', usage }], debugUrl: result.debug_url };
}
