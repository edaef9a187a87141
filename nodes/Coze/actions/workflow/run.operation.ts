import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { CozeConnection } from '../../transport/http/connection';
import { streamWorkflowEvents } from '../../transport/protocols/workflow-stream';
import type { OperationResult } from '../types';
import { runAsync, runSync } from '../../transport/protocols/workflow-run';
import { collectOptions, runItems, type OutputMode } from './items';
import { runOptions } from './options.description';
import { readPolling, readRunOptions, readWorkflowId, readWorkflowParameters } from './parameters';
import { collectRun } from '../../transport/protocols/run-collector';
import { stringifyJson } from '../../transport/http/lossless-json';

const show = { resource: ['workflow'], operation: ['run'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Workflow ID',
		name: 'workflowId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 7404830425073352713',
		description: 'The published workflow to run: the number after workflow_id= in its address in Coze',
		displayOptions: { show },
	},
	{
		displayName: 'Parameters',
		name: 'parameters',
		type: 'json',
		default: '{}',
		description: 'The workflow\'s start-node inputs as a JSON object. A file input takes a URL or the "file_ref" of Upload File.',
		displayOptions: { show },
	},
	runOptions,
];

export async function execute(this: IExecuteFunctions, itemIndex: number, connection: CozeConnection, signal?: AbortSignal): Promise<OperationResult> {
	const workflowId = readWorkflowId.call(this, itemIndex);
	const body = { workflow_id: workflowId, parameters: readWorkflowParameters.call(this, itemIndex), ...readRunOptions.call(this, itemIndex) };
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const outputMode = (options.outputMode as OutputMode | undefined) ?? 'eachMessage';
	const context = { workflowId, itemIndex };

	switch (options.runMode ?? 'stream') {
		case 'sync':
			return runItems(await runSync(connection, body, signal), outputMode, context);
		case 'async': {
			const polling = readPolling.call(this, options, itemIndex);
			return runItems(await runAsync(connection, body, polling, signal), outputMode, context);
		}
		default: {
			const run = await collectRun(streamWorkflowEvents(connection, '/v1/workflow/stream_run', stringifyJson(body), signal), collectOptions(connection, outputMode));
			return runItems(run, outputMode, context);
		}
	}
}
