import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

import { versions } from '../versions';

/**
 * Version 2's start-node inputs of Run and Chat: one typed field per input, as Coze describes
 * the workflow's start node (the mapper's fields come from methods/input-fields-method.ts), or
 * JSON for what the schema cannot say (and for servers that give none: Coze Studio).
 */
export const inputsDescription = (operation: 'run' | 'chat'): INodeProperties[] => {
	const show = { resource: ['workflow'], operation: [operation], '@version': versions.fromSecond };
	return [
		{
			displayName: 'Inputs',
			name: 'inputMode',
			type: 'options',
			noDataExpression: true,
			default: 'fields',
			options: [
				{
					name: 'Map Each Input',
					value: 'fields',
					description: 'One field per start-node input, with the type Coze gives it',
				},
				{
					name: 'JSON',
					value: 'json',
					description: 'The inputs as one JSON object, for what the fields cannot describe',
				},
			],
			displayOptions: { show },
		},
		{
			// n8n's mapper names its mode "Mapping Column Mode: Map Each Column Manually / Map
			// Automatically" in every node (its own words; a node can rename the fields, not the mode):
			// this says what a column is here.
			displayName:
				"Below, each column is one of the workflow's inputs: Map Each Column Manually gives each input a value here; Map Automatically takes each input from the incoming item's field of the same name. An input left empty is not sent.",
			name: 'inputsNotice',
			type: 'notice',
			default: '',
			displayOptions: { show: { ...show, inputMode: ['fields'] } },
		},
		{
			displayName: 'Inputs',
			name: 'inputs',
			type: 'resourceMapper',
			noDataExpression: true,
			default: { mappingMode: 'defineBelow', value: null },
			required: true,
			typeOptions: {
				loadOptionsDependsOn: ['workflowId.value'],
				resourceMapper: {
					resourceMapperMethod: operation === 'chat' ? 'getChatflowInputs' : 'getWorkflowInputs',
					mode: 'add',
					fieldWords: { singular: 'input', plural: 'inputs' },
					valuesLabel: 'Inputs to Send',
					// Before a workflow is chosen the list is empty by design: the node's notice says why.
					hideNoDataError: true,
					addAllFields: true,
					multiKeyMatch: false,
					supportAutoMap: true,
				},
			},
			displayOptions: { show: { ...show, inputMode: ['fields'] } },
		},
		parametersField(operation, { ...show, inputMode: ['json'] }),
	];
};

/** Parameters: the start-node inputs as one JSON object, version 1's only way and version 2's "JSON" mode. */
export const parametersField = (
	operation: 'run' | 'chat',
	show: IDisplayOptions['show'],
): INodeProperties => ({
	displayName: 'Parameters',
	name: 'parameters',
	type: 'json',
	default: '{}',
	description:
		operation === 'chat'
			? "The chatflow's other start-node inputs as a JSON object (the message is its USER_INPUT)"
			: 'The workflow\'s start-node inputs as a JSON object. A file input takes a URL or the "file_ref" of Upload File.',
	displayOptions: { show },
});
