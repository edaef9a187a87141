import type { INodeProperties } from 'n8n-workflow';

import { locatorModes } from '../../shared/locator-modes';
import { versions } from '../versions';

/** Version 1's Workflow ID field of Run and Chat: a published workflow's or chatflow's number. */
export const workflowIdField = (
	operation: 'run' | 'chat',
	description: string,
): INodeProperties => ({
	displayName: 'Workflow ID',
	name: 'workflowId',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. 7404830425073352713',
	description,
	displayOptions: {
		show: { resource: ['workflow'], operation: [operation], '@version': versions.first },
	},
});

/**
 * Version 2's Workflow: picked from the token's workspaces (workflows for Run and Resume,
 * chatflows for Chat), pasted as the address of its page in Coze, or given by ID. The same
 * parameter name as version 1: the operations read both (parameters.ts readWorkflowId).
 */
export const workflowLocator = (options: {
	operation: 'run' | 'resume' | 'chat';
	description: string;
	searchListMethod: 'searchWorkflows' | 'searchChatflows';
}): INodeProperties => ({
	displayName: options.operation === 'chat' ? 'Chatflow' : 'Workflow',
	name: 'workflowId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: options.description,
	displayOptions: {
		show: {
			resource: ['workflow'],
			operation: [options.operation],
			'@version': versions.fromSecond,
		},
	},
	...locatorModes({
		thing: 'workflow',
		searchListMethod: options.searchListMethod,
		listPlaceholder: options.operation === 'chat' ? 'Select a chatflow…' : 'Select a workflow…',
		urlPlaceholder: 'https://www.coze.cn/work_flow?space_id=…&workflow_id=7404830425073352713',
		urlHint: "The address of the workflow's page in Coze (its editor or its app)",
		urlPattern: WORKFLOW_URL_PATTERN,
	}),
});

/** What the editor accepts By URL (the node reads the address itself: workflow-url.ts). */
const WORKFLOW_URL_PATTERN = '.*(workflow_id=\\d+|/workflows?/\\d+).*';
