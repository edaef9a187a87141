import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { CozeConnection } from '../transport/http';

/** What one input item produced, per output of the node. */
export interface OperationResult {
	/** Output 0 ("Messages"): messages, files, or the error item of "Continue on Fail". */
	main: INodeExecutionData[];
	/** Output 1 ("Interrupts"): a workflow waiting for an answer. */
	interrupts?: INodeExecutionData[];
}

/**
 * Runs one operation for one input item. Throwing fails that item. `signal` fires when the
 * execution is stopped; the transport applies Request Options' time limits itself.
 */
export type OperationExecute = (
	this: IExecuteFunctions,
	itemIndex: number,
	connection: CozeConnection,
	signal?: AbortSignal,
) => Promise<OperationResult>;
