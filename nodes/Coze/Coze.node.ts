import {
	NodeConnectionTypes,
	type ICredentialDataDecryptedObject,
	type ICredentialsDecrypted,
	type ICredentialTestFunctions,
	type IExecuteFunctions,
	type INodeCredentialTestResult,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import * as upload from './actions/file/upload.operation';
import { route } from './actions/router';
import { connectionFromCredentials } from './transport/connection';
import { CozeError } from './transport/coze-error';
import { checkCozeCredential } from './transport/credential-test';

export class Coze implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Coze',
		name: 'coze',
		icon: { light: 'file:coze.svg', dark: 'file:coze.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description: 'Run Coze (扣子) workflows with streamed output and human-in-the-loop interrupts, and upload files',
		defaults: { name: 'Coze' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Messages', 'Interrupts'],
		credentials: [{ name: 'cozeApi', required: true, testedBy: 'cozeApiCredentialTest' }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'File', value: 'file' }],
				default: 'file',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['file'] } },
				options: [
					{
						name: 'Upload',
						value: 'upload',
						action: 'Upload a file',
						description: 'Upload a binary file to Coze and get its file ID for a workflow input',
					},
				],
				default: 'upload',
			},
			...upload.description,
		],
	};

	methods = {
		credentialTest: {
			async cozeApiCredentialTest(
				this: ICredentialTestFunctions,
				credential: ICredentialsDecrypted,
			): Promise<INodeCredentialTestResult> {
				try {
					const connection = connectionFromCredentials(credential.data ?? ({} as ICredentialDataDecryptedObject));
					const check = await checkCozeCredential(connection);
					return { status: check.ok ? 'OK' : 'Error', message: check.message };
				} catch (error) {
					const message = error instanceof CozeError && error.description ? `${error.message}. ${error.description}` : String((error as Error).message ?? error);
					return { status: 'Error', message };
				}
			},
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route.call(this);
	}
}
