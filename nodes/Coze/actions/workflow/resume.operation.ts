import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import { stringifyJson, type CozeConnection } from '../../transport/http';
import { streamWorkflowEvents } from '../../transport/protocols/workflow-stream';
import type { OperationResult } from '../types';
import {
	collectOptions,
	defaultOutputMode,
	RUN_MODES,
	runItems,
	type OutputMode,
	type RunMode,
} from './items';
import { resumeOptions } from './options.description';
import { readEventId, readInterruptType, readPolling, readWorkflowId } from './parameters';
import { workflowLocator } from './workflow-id.description';
import { versions } from '../versions';
import { collectRun } from '../../transport/protocols/run-collector';
import {
	readerTextOfMessages,
	tapReaderText,
	type StreamToChat,
} from '../../transport/protocols/reader-text';
import {
	resumeAsync,
	resumeSync,
	type ResumeBody,
} from '../../transport/protocols/workflow-resume';
import { LiveChat, withLiveChat } from '../live-chat';

const show = { resource: ['workflow'], operation: ['resume'] };

// Each default reads the item of the Coze node's Interrupts output, so that
// Interrupts → (a node that adds "resume_data") → Resume needs no typing.
export const description: INodeProperties[] = [
	{
		displayName: 'Workflow ID',
		name: 'workflowId',
		type: 'string',
		default: '={{ $json.workflow_id }}',
		required: true,
		description: 'The interrupted workflow; from the interrupt item',
		displayOptions: { show: { ...show, '@version': versions.first } },
	},
	{
		...workflowLocator({
			operation: 'resume',
			description: "The interrupted workflow; by default the interrupt item's",
			searchListMethod: 'searchWorkflows',
		}),
		default: { mode: 'id', value: '={{ $json.workflow_id }}' },
	},
	{
		displayName: 'Event ID',
		name: 'eventId',
		type: 'string',
		default: '={{ $json.event_id }}',
		required: true,
		description: 'The interrupt being answered, exactly as the interrupt item gives it',
		displayOptions: { show },
	},
	{
		displayName: 'Interrupt Type',
		name: 'interruptType',
		type: 'string',
		default: '={{ $json.interrupt_type }}',
		required: true,
		description:
			"The interrupt's type (2 question, 5 input, 6 client plugin, 7 OAuth plugin); from the interrupt item",
		displayOptions: { show },
	},
	{
		displayName: 'Resume Data',
		name: 'resumeData',
		type: 'string',
		default: '={{ $json.resume_data }}',
		required: true,
		description:
			'The answer: text for a question, the JSON the input node asked for, or a file as {"file_id":"…"}',
		displayOptions: { show },
	},
	resumeOptions,
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: CozeConnection,
	signal?: AbortSignal,
): Promise<OperationResult> {
	const workflowId = readWorkflowId.call(this, itemIndex);
	const eventId = readEventId.call(this, itemIndex);
	const interruptType = readInterruptType.call(this, itemIndex);
	const resumeData = this.getNodeParameter('resumeData', itemIndex) as unknown;
	if (resumeData === undefined || resumeData === null || resumeData === '') {
		throw new NodeOperationError(this.getNode(), 'Resume Data is empty', {
			itemIndex,
			description:
				'Give the answer to the interrupt: set a "resume_data" field on the item (e.g. with an Edit Fields node), or type an expression here.',
		});
	}
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const runMode = readResumeRunMode.call(this, options, itemIndex);
	const body: ResumeBody = {
		workflow_id: workflowId,
		event_id: eventId,
		interrupt_type: interruptType,
		resume_data: typeof resumeData === 'string' ? resumeData : JSON.stringify(resumeData),
	};
	const outputMode = (options.outputMode as OutputMode | undefined) ?? defaultOutputMode(this);
	const streamToChat = (options.streamToChat as StreamToChat | undefined) ?? 'messages';
	const context = { workflowId, itemIndex, runMode };
	const chat = streamToChat === 'none' ? undefined : LiveChat.open(this, itemIndex, connection);
	return await withLiveChat(chat, async () => {
		if (runMode === 'stream') {
			let events = streamWorkflowEvents(
				connection,
				'/v1/workflow/stream_resume',
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
		const run =
			runMode === 'sync'
				? await resumeSync(connection, body, signal)
				: await resumeAsync(connection, body, readPolling.call(this, options, itemIndex), signal);
		if (chat) chat.text(readerTextOfMessages(run.messages, streamToChat));
		return runItems(run, outputMode, context);
	});
}

/**
 * How the interrupted run was made, so that it is resumed the way Coze resumes that kind:
 * Options → Run Mode when set, else the interrupt item's run_mode (which Run writes), so that
 * Interrupts → Resume needs no typing; an item without one (from a version before run_mode)
 * came from a stream.
 */
function readResumeRunMode(
	this: IExecuteFunctions,
	options: IDataObject,
	itemIndex: number,
): RunMode {
	const chosen = options.runMode ?? 'fromInterrupt';
	if (chosen !== 'fromInterrupt') {
		if (isRunMode(chosen)) return chosen;
		throw new NodeOperationError(
			this.getNode(),
			`Options → Run Mode ${shown(chosen)} is not a run mode`,
			{
				itemIndex,
				description: `Choose one of ${RUN_MODES.join(', ')}, or "From the Interrupt Item".`,
			},
		);
	}
	const item = this.getInputData()[itemIndex]?.json;
	const fromItem = item && Object.hasOwn(item, 'run_mode') ? item.run_mode : undefined;
	if (fromItem === undefined || fromItem === null || fromItem === '') return 'stream';
	if (isRunMode(fromItem)) return fromItem;
	throw new NodeOperationError(
		this.getNode(),
		`The interrupt item's run_mode ${shown(fromItem)} is not a run mode`,
		{
			itemIndex,
			description: `The Coze node's Interrupts output sets run_mode to ${RUN_MODES.join(', ')}. Keep it as it came, or set Options → Run Mode.`,
		},
	);
}

function isRunMode(value: unknown): value is RunMode {
	return typeof value === 'string' && (RUN_MODES as readonly string[]).includes(value);
}

/** A wrong value, quoted only when it is a short word: whatever else it holds stays out of the error. */
function shown(value: unknown): string {
	return typeof value === 'string' && /^[a-z_]{1,20}$/i.test(value)
		? `"${value}"`
		: `(a ${Array.isArray(value) ? 'list' : typeof value})`;
}
