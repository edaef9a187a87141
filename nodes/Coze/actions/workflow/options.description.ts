import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { filesFromBinaryOptions } from './files-from-binary';
import { RUN_POLLING_DEFAULTS, type PollingDefaults } from './parameters';

const outputModeOption: INodeProperties = {
	displayName: 'Output',
	name: 'outputMode',
	type: 'options',
	default: 'eachMessage',
	description:
		"How the run's messages become items. Used as an AI Agent's tool, the node gives Final Message Only unless this is set.",
	options: [
		{
			name: 'One Item per Message',
			value: 'eachMessage',
			description:
				'Each node message of the run (its streamed chunks joined) becomes an item, in the order the nodes finished',
		},
		{
			name: 'Final Message Only',
			value: 'lastMessage',
			description: "Only the last message: usually the End node's answer",
		},
		{
			name: 'All Messages in One Item',
			value: 'allMessages',
			description: 'One item with a "messages" list',
		},
	],
};

/** What a Chat Trigger or a streaming Webhook shows live while the run (or chat) goes on: one of `choices`. */
export const streamToChatField = (
	fallback: string,
	choices: INodePropertyOptions[],
): INodeProperties => ({
	displayName: 'Stream to Chat',
	name: 'streamToChat',
	type: 'options',
	default: fallback,
	description:
		'When the execution streams (a Chat Trigger or a Webhook with Response Mode "Streaming"), what the person sees as it arrives. The node\'s output items stay the same.',
	options: choices,
});

/** Stream to Chat of Run and Resume. */
export const streamToChatOption = streamToChatField('messages', [
	{
		name: 'Output and End Node Text',
		value: 'messages',
		description:
			'The text of Output and End nodes (and a question the workflow asks), chunk by chunk; an End node\'s JSON shows its "output"',
	},
	{
		name: 'Final Answer Only',
		value: 'final',
		description: "Only the workflow's End node",
	},
	{
		name: 'Nothing',
		value: 'none',
	},
]);

export const idOption = (
	displayName: string,
	name: string,
	description: string,
): INodeProperties => ({
	displayName,
	name,
	type: 'string',
	default: '',
	description,
});

/** Ext: the fields Coze passes to a workflow's (or chatflow's) system variables. */
export const extOption = (what: string): INodeProperties => ({
	displayName: 'Ext',
	name: 'ext',
	type: 'collection',
	placeholder: 'Add Field',
	default: {},
	description: `Extra context Coze passes to the ${what}'s system variables`,
	options: [
		{ displayName: 'Latitude', name: 'latitude', type: 'string', default: '' },
		{ displayName: 'Longitude', name: 'longitude', type: 'string', default: '' },
		{ displayName: 'User ID', name: 'user_id', type: 'string', default: '' },
	],
});

/**
 * The two settings of a wait that asks Coze until it is done: a workflow's asynchronous run (Run,
 * shown for that mode, and Resume, for the runs made so) and a bot's chat with Poll Until Done.
 * `defaults` are the ones the operation reads when unset (readPolling).
 */
export const pollingOptions = (
	what: string,
	extra: Partial<INodeProperties> = {},
	defaults: PollingDefaults = RUN_POLLING_DEFAULTS,
	words: { waitedFor: string; finished: string } = {
		waitedFor: 'the run',
		finished: 'the run has finished',
	},
): { maxWait: INodeProperties; pollInterval: INodeProperties } => ({
	// eslint-disable-next-line n8n-nodes-base/node-param-default-missing -- the default is the family's constant, which readPolling uses too
	maxWait: {
		displayName: 'Max Wait (Minutes)',
		name: 'maxWaitMinutes',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: defaults.maxWaitMinutes,
		description: `${what}: how long to wait for ${words.waitedFor} before failing the item`,
		...extra,
	},
	// eslint-disable-next-line n8n-nodes-base/node-param-default-missing -- the default is the family's constant, which readPolling uses too
	pollInterval: {
		displayName: 'Poll Interval (Seconds)',
		name: 'pollIntervalSeconds',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: defaults.intervalSeconds,
		description: `${what}: how often to ask Coze whether ${words.finished}`,
		...extra,
	},
});
const runPolling = pollingOptions('Asynchronous mode', {
	displayOptions: { show: { runMode: ['async'] } },
});
const resumePolling = pollingOptions('Asynchronous runs');

/** "Options" of Run Workflow. */
export const runOptions: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	displayOptions: { show: { resource: ['workflow'], operation: ['run'] } },
	options: [
		idOption(
			'App ID',
			'appId',
			"For a workflow inside a Coze app: the app's ID. Left empty, node version 2 sends the chosen workflow's app itself. Not together with Bot ID.",
		),
		idOption(
			'Bot ID',
			'botId',
			'The agent to run the workflow as; needed by workflows with database or variable nodes. Not together with App ID: when set, no app ID is sent.',
		),
		idOption(
			'Connector ID',
			'connectorId',
			'The channel the run is attributed to; Coze uses 1024 (API) when empty',
		),
		extOption('workflow'),
		...filesFromBinaryOptions,
		runPolling.maxWait,
		outputModeOption,
		runPolling.pollInterval,
		{
			displayName: 'Run Mode',
			name: 'runMode',
			type: 'options',
			default: 'stream',
			options: [
				{
					name: 'Stream (Recommended)',
					value: 'stream',
					description:
						'Receive messages as the workflow produces them; supports interrupts and long runs',
				},
				{
					name: 'Synchronous',
					value: 'sync',
					description:
						'One answer at the end; Coze cuts runs over 90 seconds and refuses streaming Output nodes',
				},
				{
					name: 'Asynchronous',
					value: 'async',
					description: 'Start the run, then poll its result (runs up to 24 h; a paid Coze feature)',
				},
			],
		},
		streamToChatOption,
		idOption(
			'Workflow Version',
			'workflowVersion',
			'A published version such as v0.0.5 (library workflows only); the latest when empty',
		),
	],
};

/**
 * "Options" of Resume Workflow. A resume runs as the interrupted run did (Coze's
 * resume_workflow.md): Run Mode follows the interrupt item's run_mode unless set here.
 */
export const resumeOptions: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	displayOptions: { show: { resource: ['workflow'], operation: ['resume'] } },
	options: [
		resumePolling.maxWait,
		outputModeOption,
		resumePolling.pollInterval,
		{
			displayName: 'Run Mode',
			name: 'runMode',
			type: 'options',
			default: 'fromInterrupt',
			description: 'How the interrupted run was made: Coze resumes each kind its own way',
			options: [
				{
					name: 'From the Interrupt Item',
					value: 'fromInterrupt',
					description: 'The run_mode of the interrupt item (Stream when it has none)',
				},
				{ name: 'Stream', value: 'stream', description: 'The run was made with Run Mode "Stream"' },
				{
					name: 'Synchronous',
					value: 'sync',
					description: 'The run was made with Run Mode "Synchronous"',
				},
				{
					name: 'Asynchronous',
					value: 'async',
					description:
						'The run was made with Run Mode "Asynchronous"; the node then waits for its result',
				},
			],
		},
		streamToChatOption,
	],
};
