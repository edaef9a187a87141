import type { INodeProperties } from 'n8n-workflow';

/** The Bot field (placeholder until the picker lands: By ID only). */
export function botLocator(operations: string[]): INodeProperties {
	return {
		displayName: 'Bot',
		name: 'botId',
		type: 'resourceLocator',
		default: { mode: 'id', value: '' },
		required: true,
		description: 'The published bot (智能体) to chat with',
		displayOptions: { show: { resource: ['bot'], operation: operations } },
		modes: [{ displayName: 'By ID', name: 'id', type: 'string' }],
	};
}
