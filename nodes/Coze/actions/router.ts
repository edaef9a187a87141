import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { connectionFromCredentials, type CozeConnection } from '../transport/connection';
import * as upload from './file/upload.operation';
import * as resume from './workflow/resume.operation';
import { RunFailure } from '../transport/run-collector';
import { messageJson } from './workflow/items';
import * as run from './workflow/run.operation';
import { errorItemJson, toNodeError } from './node-error';
import type { OperationExecute } from './types';

const operations: Record<string, Record<string, OperationExecute>> = {
	workflow: { run: run.execute, resume: resume.execute },
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
			const failure = error instanceof RunFailure ? error.failure : error;
			const nodeError = toNodeError(this.getNode(), failure, itemIndex);
			if (!this.continueOnFail()) throw nodeError;
			// Nothing is dropped: the messages a failed run had sent go out before its error item.
			if (error instanceof RunFailure) {
				const workflowId = String(this.getNodeParameter('workflowId', itemIndex, ''));
				for (const message of error.messages) {
					main.push({ json: messageJson(message, undefined, workflowId), pairedItem: { item: itemIndex } });
				}
			}
			main.push({ json: errorItemJson(nodeError, failure), pairedItem: { item: itemIndex } });
		}
	}
	return [main, interrupts];
}
