import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

/**
 * The Conversation fields of Workflow → Chat and Bot → Chat: which Coze conversation carries the
 * chat's history, and what tells sessions apart. One description for both, so that the two
 * operations read and remember conversations the same way (conversation-setting.ts).
 */
export function conversationFields(show: IDisplayOptions['show']): INodeProperties[] {
	return [
		{
			displayName: 'Conversation',
			name: 'conversation',
			type: 'options',
			default: 'session',
			description: "Which Coze conversation carries the chat's history",
			options: [
				{
					name: 'Remember per Chat Session',
					value: 'session',
					description:
						'Each session gets its own Coze conversation, made on its first message and remembered by the workflow',
				},
				{
					name: 'Use Conversation ID',
					value: 'id',
					description: 'A Coze conversation you already have',
				},
				{
					name: 'New Each Time',
					value: 'new',
					description: 'A new conversation for every message: no memory',
				},
			],
			displayOptions: { show },
		},
		{
			displayName: 'Session ID',
			name: 'sessionId',
			type: 'string',
			default: '={{ $json.sessionId }}',
			required: true,
			description: "What tells chat sessions apart; by default the session of n8n's Chat Trigger",
			displayOptions: { show: { ...show, conversation: ['session'] } },
		},
		{
			displayName: 'Conversation ID',
			name: 'conversationId',
			type: 'string',
			default: '={{ $json.conversation_id }}',
			required: true,
			description:
				'The Coze conversation to talk in, e.g. the conversation_id of an earlier Chat item',
			displayOptions: { show: { ...show, conversation: ['id'] } },
		},
	];
}

/** The Message field: what the user says, by default the message of n8n's Chat Trigger. */
export function messageField(show: IDisplayOptions['show']): INodeProperties {
	return {
		displayName: 'Message',
		name: 'message',
		type: 'string',
		default: '={{ $json.chatInput }}',
		required: true,
		typeOptions: { rows: 2 },
		description: "What the user says; by default the message of n8n's Chat Trigger",
		displayOptions: { show },
	};
}
