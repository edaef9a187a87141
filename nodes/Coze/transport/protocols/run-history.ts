import { requestCozeJson } from '../http/client';
import type { CozeConnection } from '../http/connection';
import { CozeError } from '../http/coze-error';
import { isStudioUnknownPath, type CozeEnvelope } from '../http/envelope';
import type { CozeInterruptData } from './workflow-events';
import type { CollectedMessage } from './run-collector';
import { errorCode } from './error-code';
import {
	cloudHistoryMessages,
	endMessage,
	withFinishState,
	type OutputMessage,
} from './run-output';

/**
 * One record of a run's history, as the cloud (`GET /v1/workflows/{id}/run_histories/{execute_id}`,
 * cozepy run_histories) and Coze Studio (`GET /v1/workflow/get_run_history`, coze-studio
 * OpenAPIGetWorkflowRunHistory) send it.
 */
export interface HistoryRecord {
	execute_id?: string;
	/** "Running", "Success", "Fail", "Cancel" (Studio); Studio prints an interrupted run (5) as "<UNSET>". */
	execute_status?: string;
	output?: unknown;
	error_code?: number | string;
	/** The cloud's failure text. */
	error_message?: string;
	/** Coze Studio's failure text. */
	error_msg?: string;
	/** The cloud's log id of the run (workflow_history.md, cozepy WorkflowRunHistory.logid). */
	logid?: string;
	/** Coze Studio's log id of the run. */
	log_id?: string;
	debug_url?: string;
	usage?: CollectedMessage['usage'];
	token?: number | string;
	cost?: string;
	/** The cloud cleared `output` (over 1 MB); each node's output is at execute_nodes. */
	is_output_trimmed?: boolean;
	/** The cloud: each Output node's execution, keyed by the node's name; is_finish false while it runs. */
	node_execute_status?: Record<
		string,
		{ node_id?: string; node_execute_uuid?: string; is_finish?: boolean }
	>;
	interrupt_data?: CozeInterruptData['interrupt_data'];
	node_title?: string;
}

/** Reads the run's record, from the cloud's path or, where Coze Studio answers that with its session 401, from Studio's. */
export class RunHistory {
	private studio = false;

	constructor(
		private readonly connection: CozeConnection,
		private readonly workflowId: string,
		private readonly executeId: string,
	) {}

	async read(signal?: AbortSignal): Promise<HistoryRecord | undefined> {
		try {
			return await this.readFrom(this.studio, signal);
		} catch (error) {
			if (this.studio || !isStudioUnknownPath(error)) throw error;
			this.studio = true;
			return await this.readFrom(true, signal);
		}
	}

	/**
	 * A finished run's output as messages, the End's last: the cloud's `{"Output": …, "<Output
	 * node>": …}` one message a key (run-output.ts), Coze Studio's output as the End's.
	 */
	outputMessages(record: HistoryRecord): OutputMessage[] {
		const messages = (!this.studio && cloudHistoryMessages(record.output)) || [
			endMessage(record.output),
		];
		return withFinishState(messages, record.node_execute_status);
	}

	/**
	 * The outputs of a run whose history output was trimmed (cozepy
	 * workflows/runs/run_histories/execute_nodes): one message a node, in the record's order.
	 * Coze serves this for output nodes only, so a node it refuses is left out; if it refuses
	 * them all, the run's output is lost to the API and the error says so. A node whose
	 * execution Coze says is not finished (is_finish false, get_node_execute_history_response.md)
	 * gives its output with is_finish false: partial, never passed off as complete.
	 */
	async trimmedOutputs(record: HistoryRecord, signal?: AbortSignal): Promise<OutputMessage[]> {
		const nodes = Object.entries(record.node_execute_status ?? {}).filter(
			([, node]) =>
				typeof node?.node_execute_uuid === 'string' &&
				/^[\w-]{1,100}$/.test(node.node_execute_uuid),
		);
		const messages: OutputMessage[] = [];
		let lastError: unknown;
		for (const [name, node] of nodes) {
			try {
				const answer = await requestCozeJson<
					CozeEnvelope & { data?: { node_output?: unknown; is_finish?: boolean } }
				>(this.connection, {
					method: 'GET',
					kind: 'read',
					path: `${this.cloudPath()}/execute_nodes/${encodeURIComponent(node.node_execute_uuid!)}`,
					signal,
				});
				const output = answer.data?.node_output;
				const finished = [answer.data?.is_finish, node.is_finish].filter(
					(said): said is boolean => typeof said === 'boolean',
				);
				messages.push({
					content: typeof output === 'string' ? output : JSON.stringify(output ?? ''),
					node_title: name,
					node_id: node.node_id,
					node_execute_uuid: node.node_execute_uuid,
					...(finished.length ? { is_finish: finished.every(Boolean) } : {}),
				});
			} catch (error) {
				if (error instanceof CozeError && error.kind === 'api') lastError = error;
				else throw error;
			}
		}
		if (messages.length > 0) return messages;
		throw new CozeError(
			`The Coze run ${this.executeId} succeeded, but its output was over 1 MB and Coze trimmed it`,
			{
				kind: 'api',
				debugUrl: record.debug_url,
				description: `No node's output could be fetched from the run history either${lastError instanceof Error ? ` (${lastError.message})` : ''}. Make the workflow output less, or read it in Coze${record.debug_url ? `: ${record.debug_url}` : '.'}`,
			},
		);
	}

	private cloudPath(): string {
		return `/v1/workflows/${encodeURIComponent(this.workflowId)}/run_histories/${encodeURIComponent(this.executeId)}`;
	}

	private async readFrom(
		studio: boolean,
		signal?: AbortSignal,
	): Promise<HistoryRecord | undefined> {
		const answer = await requestCozeJson<CozeEnvelope & { data?: HistoryRecord[] | HistoryRecord }>(
			this.connection,
			{
				method: 'GET',
				kind: 'read',
				...(studio
					? {
							path: '/v1/workflow/get_run_history',
							query: { workflow_id: this.workflowId, execute_id: this.executeId },
						}
					: { path: this.cloudPath() }),
				signal,
			},
		);
		return Array.isArray(answer.data) ? answer.data[0] : answer.data;
	}
}

/** What a record's status means for the waiting node. */
type HistoryState = 'running' | 'success' | 'failed' | 'cancelled' | 'interrupted' | 'unknown';

export function historyState(record: HistoryRecord | undefined): HistoryState {
	const status = record?.execute_status;
	switch (status) {
		case undefined:
		case 'Running':
			return 'running';
		case 'Success':
			return 'success';
		case 'Fail':
			return 'failed';
		case 'Cancel':
			return 'cancelled';
		// Coze Studio's status 5 (interrupted) has no name in its enum and prints as "<UNSET>"
		// (coze-studio domain/workflow/entity/workflow_execution.go, WorkflowExeStatus.String()).
		case '<UNSET>':
		case 'Interrupt':
		case 'Interrupted':
			return 'interrupted';
		default:
			return 'unknown';
	}
}

/** The run's log id, in either server's spelling: the cloud's `logid`, Coze Studio's `log_id`. */
function logIdOf(record: HistoryRecord): string | undefined {
	return [record.logid, record.log_id].find((id) => typeof id === 'string' && id !== '');
}

/** The error for a record that ended without success: its own words, in either server's spelling. */
export function historyFailure(
	record: HistoryRecord,
	executeId: string,
	debugUrl?: string,
): CozeError {
	const state = historyState(record);
	const code = errorCode(record.error_code);
	const url = record.debug_url ?? debugUrl;
	const text = record.error_message || record.error_msg;
	const see = url ? ` See the run in Coze: ${url}` : '';
	const logId = logIdOf(record);
	if (state === 'interrupted') {
		// The cloud's record carries interrupt_data (workflow_history.md), which the node sends out
		// of the Interrupts output; Coze Studio's record has none (OpenAPIGetWorkflowRunHistory).
		return new CozeError(`The Coze run ${executeId} stopped to wait for an answer (an interrupt)`, {
			kind: 'api',
			debugUrl: url,
			logId,
			description: `Coze's run history does not say which interrupt it waits on (Coze Studio's never does), so it cannot be answered from here. Run the workflow with Run Mode "Stream": its questions then leave by the Interrupts output and Resume answers them.${see}`,
		});
	}
	if (state === 'unknown') {
		return new CozeError(
			`The Coze run ${executeId} is in a state the node does not know: "${String(record.execute_status)}"`,
			{
				kind: 'protocol',
				debugUrl: url,
				logId,
				description: `The node waits while a run is "Running" and reads it once "Success"; anything else it cannot interpret.${see}`,
			},
		);
	}
	const verb = state === 'cancelled' ? 'was cancelled' : 'failed';
	return new CozeError(
		`The Coze run ${executeId} ${verb}${code === undefined ? '' : ` with error ${code}`}${text ? `: ${text}` : ''}${logId ? ` (log id ${logId})` : ''}`,
		{
			kind: 'api',
			cozeCode: code,
			debugUrl: url,
			logId,
			description: url ? `See the run in Coze: ${url}` : undefined,
		},
	);
}
