import type { INodeProperties } from 'n8n-workflow';

/** The Workflow ID field of Run and Chat: a published workflow's or chatflow's number. */
export const workflowIdField = (operation: 'run' | 'chat', description: string): INodeProperties => ({
	displayName: 'Workflow ID',
	name: 'workflowId',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. 7404830425073352713',
	description,
	displayOptions: { show: { resource: ['workflow'], operation: [operation] } },
});
