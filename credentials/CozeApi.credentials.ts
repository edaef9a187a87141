import type { IAuthenticateGeneric, Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * How the node signs in to Coze (a personal access token, or an OAuth service app whose JWT is
 * exchanged for short tokens) and where. The credential test lives on the node (`testedBy`),
 * because Coze Studio has no cheap "who am I" path and an OAuth app needs its exchange first.
 */
export class CozeApi implements ICredentialType {
	name = 'cozeApi';

	displayName = 'Coze API';

	icon: Icon = { light: 'file:../nodes/Coze/coze.svg', dark: 'file:../nodes/Coze/coze.dark.svg' };

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-coze-workflow#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'options',
			options: [
				{
					name: 'Personal Access Token',
					value: 'accessToken',
					description:
						'A token of your own Coze account: quick to make, but it expires and belongs to one person',
				},
				{
					name: 'OAuth App (JWT)',
					value: 'oauthJwt',
					description:
						'A Coze OAuth service app (服务类应用) signs in by itself and never expires: for schedules and production. Not on Coze Studio.',
				},
			],
			default: 'accessToken',
		},
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
			description:
				'Where the token was created. A coze.com token does not work on coze.cn, nor the reverse.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'http://localhost:8888',
			placeholder: 'http://localhost:8888',
			description:
				'Address of the Coze API, without /v1 (for Coze Studio, the address its web page is served from)',
			displayOptions: { show: { region: ['custom'] } },
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'A personal access token (starts with "pat_"), made in Coze under API → Authorization → Personal access tokens',
			displayOptions: { show: { authentication: ['accessToken'] } },
		},
		{
			displayName: 'App ID',
			name: 'appId',
			type: 'string',
			default: '',
			required: true,
			description:
				"The OAuth app's ID (client id), on Coze's API → Authorization → OAuth apps page. Coze Studio has no OAuth apps: use a personal access token there.",
			displayOptions: { show: { authentication: ['oauthJwt'] } },
		},
		{
			displayName: 'Public Key ID',
			name: 'publicKeyId',
			// eslint-disable-next-line n8n-nodes-base/cred-class-field-type-options-password-missing -- the public key's id is not a secret (it is the JWT's visible "kid")
			type: 'string',
			default: '',
			required: true,
			description: 'The ID Coze shows beside the app\'s public key (the JWT\'s "kid")',
			displayOptions: { show: { authentication: ['oauthJwt'] } },
		},
		{
			displayName: 'Private Key',
			name: 'privateKey',
			type: 'string',
			typeOptions: { password: true, rows: 4 },
			default: '',
			required: true,
			placeholder: '-----BEGIN PRIVATE KEY-----',
			description:
				'The private key file of that key pair (PEM: BEGIN PRIVATE KEY or BEGIN RSA PRIVATE KEY), as Coze gave it when the key was created',
			displayOptions: { show: { authentication: ['oauthJwt'] } },
		},
		// eslint-disable-next-line @n8n/community-nodes/credential-password-field -- a number of seconds, not a token
		{
			displayName: 'Token Lifetime (Seconds)',
			name: 'tokenLifetime',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 86399 },
			default: 900,
			description:
				'How long each access token the app gets lasts (at most 86399, a day); the node gets a new one before it ends',
			displayOptions: { show: { authentication: ['oauthJwt'] } },
		},
	];

	// Lets the HTTP Request node call any other Coze endpoint with a personal access token (an
	// OAuth app's tokens are the Coze node's own).
	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: { Authorization: '=Bearer {{$credentials.accessToken}}' },
		},
	};
}
