import { NodeOperationError, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import type { CozeConnection } from '../../transport/http/connection';
import { streamWorkflowEvents } from '../../transport/protocols/workflow-stream';
import type { OperationResult } from '../types';
import { collectOptions, defaultOutputMode, runItems, type OutputMode } from './items';
import { resumeOptions } from './options.description';
import { readEventId, readWorkflowId } from './parameters';
import { workflowLocator } from './workflow-id.description';
import { versions } from '../versions';
import { collectRun } from '../../transport/protocols/run-collector';
import { stringifyJson } from '../../transport/http/lossless-json';
import { tapReaderText, type StreamToChat } from '../../transport/protocols/reader-text';
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
		...workflowLocator({ operation: 'resume', description: 'The interrupted workflow; by default the interrupt item\'s', searchListMethod: 'searchWorkflows' }),
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
		description: 'The interrupt\'s type (2 question, 5 input, 6 client plugin, 7 OAuth plugin); from the interrupt item',
		displayOptions: { show },
	},
	{
		displayName: 'Resume Data',
		name: 'resumeData',
		type: 'string',
		default: '={{ $json.resume_data }}',
		required: true,
		description: 'The answer: text for a question, the JSON the input node asked for, or a file as {"file_id":"…"}',
		displayOptions: { show },
	},
	resumeOptions,
];

export async function execute(this: IExecuteFunctions, itemIndex: number, connection: CozeConnection, signal?: AbortSignal): Promise<OperationResult> {
	const workflowId = readWorkflowId.call(this, itemIndex);
	const eventId = readEventId.call(this, itemIndex);
	const interruptType = Number(this.getNodeParameter('interruptType', itemIndex));
	if (!Number.isInteger(interruptType)) {
		throw new NodeOperationError(this.getNode(), 'Interrupt Type must be a whole number', {
			itemIndex,
			description: 'Use the interrupt item\'s interrupt_type, e.g. {{ $json.interrupt_type }}.',
		});
	}
	const resumeData = this.getNodeParameter('resumeData', itemIndex) as unknown;
	if (resumeData === undefined || resumeData === null || resumeData === '') {
		throw new NodeOperationError(this.getNode(), 'Resume Data is empty', {
			itemIndex,
			description: 'Give the answer to the interrupt: set a "resume_data" field on the item (e.g. with an Edit Fields node), or type an expression here.',
		});
	}
	const options = this.getNodeParameter('options', itemIndex, {}) as { outputMode?: OutputMode; streamToChat?: StreamToChat };
	const body = {
		workflow_id: workflowId,
		event_id: eventId,
		interrupt_type: interruptType,
		resume_data: typeof resumeData === 'string' ? resumeData : JSON.stringify(resumeData),
	};
	const outputMode = options.outputMode ?? defaultOutputMode(this);
	const streamToChat = options.streamToChat ?? 'messages';
	const chat = streamToChat === 'none' ? undefined : LiveChat.open(this, itemIndex, connection);
	return await withLiveChat(chat, async () => {
		let events = streamWorkflowEvents(connection, '/v1/workflow/stream_resume', stringifyJson(body), signal);
		if (chat) events = tapReaderText(events, streamToChat, chat.text);
		return runItems(await collectRun(events, collectOptions(connection, outputMode)), outputMode, { workflowId, itemIndex });
	});
}
