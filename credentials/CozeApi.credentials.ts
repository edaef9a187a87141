import type { IAuthenticateGeneric, Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * A Coze personal access token and where it is valid. The credential test lives on the node
 * (`testedBy`), because Coze Studio has no cheap "who am I" path and needs a second probe.
 */
export class CozeApi implements ICredentialType {
	name = 'cozeApi';

	displayName = 'Coze API';

	icon: Icon = { light: 'file:../nodes/Coze/coze.svg', dark: 'file:../nodes/Coze/coze.dark.svg' };

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-coze-workflow#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Region',
			name: 'region',
			type: 'options',
			options: [
				{
					name: 'Coze China (coze.cn)',
					value: 'cn',
					description: 'Tokens made on www.coze.cn; API at https://api.coze.cn',
				},
				{
					name: 'Coze Global (coze.com)',
					value: 'com',
					description: 'Tokens made on www.coze.com; API at https://api.coze.com',
				},
				{
					name: 'Custom (Self-Hosted Coze Studio)',
					value: 'custom',
					description: 'Your own Coze Studio or another Coze-compatible address',
				},
			],
			default: 'cn',
			description: 'Where the token was created. A coze.com token does not work on coze.cn, nor the reverse.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'http://localhost:8888',
			placeholder: 'http://localhost:8888',
			description: 'Address of the Coze API, without /v1 (for Coze Studio, the address its web page is served from)',
			displayOptions: { show: { region: ['custom'] } },
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'A personal access token (starts with "pat_"), made in Coze under API → Authorization → Personal access tokens',
		},
	];

	// Lets the HTTP Request node call any other Coze endpoint with this credential.
	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: { Authorization: '=Bearer {{$credentials.accessToken}}' },
		},
	};
}
