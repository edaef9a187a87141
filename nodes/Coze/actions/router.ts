import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { connectionFromCredentials, type CozeConnection } from '../transport/connection';
import * as upload from './file/upload.operation';
import { errorItemJson, toNodeError } from './node-error';
import type { OperationExecute } from './types';

const operations: Record<string, Record<string, OperationExecute>> = {
	file: { upload: upload.execute },
};

/**
 * Runs the chosen operation once per input item and gathers the node's two outputs in input
 * order. A failed item stops the node, or with "Continue on Fail" becomes an error item on
 * output 0 and the next item goes on.
 */
export async function route(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const execute = operations[resource]?.[operation];
	if (!execute) {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" of "${resource}" is not supported`, {
			description: 'Pick the resource and operation again in the node.',
		});
	}

	let connection: CozeConnection | undefined;
	const main: INodeExecutionData[] = [];
	const interrupts: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			connection ??= connectionFromCredentials(await this.getCredentials('cozeApi', itemIndex));
			const result = await execute.call(this, itemIndex, connection);
			main.push(...result.main);
			interrupts.push(...(result.interrupts ?? []));
		} catch (error) {
			// Stopped by the user: n8n discards this node's output and marks the execution
			// "canceled" itself, provided the node returns rather than throws.
			if (this.getExecutionCancelSignal()?.aborted) break;
			const nodeError = toNodeError(this.getNode(), error, itemIndex);
			if (!this.continueOnFail()) throw nodeError;
			main.push({ json: errorItemJson(nodeError), error: nodeError, pairedItem: { item: itemIndex } });
		}
	}
	return [main, interrupts];
}
