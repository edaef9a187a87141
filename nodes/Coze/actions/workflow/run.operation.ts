import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { stringifyJson, type CozeConnection } from '../../transport/http';
import { streamWorkflowEvents } from '../../transport/protocols/workflow-stream';
import type { OperationResult } from '../types';
import { runAsync, runSync } from '../../transport/protocols/workflow-run';
import {
	collectOptions,
	defaultOutputMode,
	runItems,
	type OutputMode,
	type RunMode,
} from './items';
import { parametersWithFiles } from './files-from-binary';
import { runOptions } from './options.description';
import { workflowIdField, workflowLocator } from './workflow-id.description';
import { inputsDescription, parametersField } from './inputs.description';
import { readInputs } from './typed-inputs';
import { versions } from '../versions';
import { readPolling, readRunOptions, readWorkflowId } from './parameters';
import { collectRun } from '../../transport/protocols/run-collector';
import {
	readerTextOfMessages,
	tapReaderText,
	type StreamToChat,
} from '../../transport/protocols/reader-text';
import { LiveChat, withLiveChat } from '../live-chat';
import { explainingAppBesideBot, withWorkflowApp } from './workflow-app';

const show = { resource: ['workflow'], operation: ['run'], '@version': versions.first };

export const description: INodeProperties[] = [
	workflowIdField(
		'run',
		'The published workflow to run: the number after workflow_id= in its address in Coze',
	),
	parametersField('run', show),
	workflowLocator({
		operation: 'run',
		description: 'The published workflow to run',
		searchListMethod: 'searchWorkflows',
	}),
	...inputsDescription('run'),
	runOptions,
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: CozeConnection,
	signal?: AbortSignal,
): Promise<OperationResult> {
	const workflowId = readWorkflowId.call(this, itemIndex);
	const parameters = await readInputs.call(this, itemIndex, connection, signal);
	const app = await withWorkflowApp.call(
		this,
		itemIndex,
		workflowId,
		readRunOptions.call(this, itemIndex),
		connection,
		signal,
	);
	const { fields } = app;
	const body = {
		workflow_id: workflowId,
		parameters: await parametersWithFiles.call(this, itemIndex, parameters, connection, signal),
		...fields,
	};
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const outputMode = (options.outputMode as OutputMode | undefined) ?? defaultOutputMode(this);
	const runMode: RunMode =
		options.runMode === 'sync' || options.runMode === 'async' ? options.runMode : 'stream';
	const context = { workflowId, itemIndex, runMode };
	const streamToChat = (options.streamToChat as StreamToChat | undefined) ?? 'messages';
	const chat = streamToChat === 'none' ? undefined : LiveChat.open(this, itemIndex, connection);

	return await explainingAppBesideBot(app, () =>
		withLiveChat(chat, async () => {
			switch (runMode) {
				case 'sync':
				case 'async': {
					// One answer at the end: a person reads it whole, by the same rules as a stream.
					const run =
						runMode === 'sync'
							? await runSync(connection, body, signal)
							: await runAsync(
									connection,
									body,
									readPolling.call(this, options, itemIndex),
									signal,
								);
					if (chat) chat.text(readerTextOfMessages(run.messages, streamToChat));
					return runItems(run, outputMode, context);
				}
				default: {
					let events = streamWorkflowEvents(
						connection,
						'/v1/workflow/stream_run',
						stringifyJson(body),
						signal,
					);
					if (chat) events = tapReaderText(events, streamToChat, chat.text);
					return runItems(
						await collectRun(events, collectOptions(connection, outputMode)),
						outputMode,
						context,
					);
				}
			}
		}),
	);
}
