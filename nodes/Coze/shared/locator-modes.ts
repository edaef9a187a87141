import type { INodeProperties } from 'n8n-workflow';

/**
 * The modes of a field that names a Coze thing by its ID (the Workflow and Bot fields): From
 * List, By URL (the address of its page in Coze), By ID. The run reads the value itself
 * (actions/workflow/parameters.ts readLocatorId): the editor's checks only say early what is wrong.
 */
export function locatorModes(options: {
	/** What the field names: workflow, bot. */
	thing: string;
	searchListMethod: string;
	listPlaceholder: string;
	urlPlaceholder: string;
	urlHint: string;
	/** What an address holding the ID looks like, as a regular expression's source. */
	urlPattern: string;
}): Pick<INodeProperties, 'modes'> {
	const { thing } = options;
	return {
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: options.listPlaceholder,
				typeOptions: { searchListMethod: options.searchListMethod, searchable: true },
			},
			{
				displayName: 'By URL',
				name: 'url',
				type: 'string',
				placeholder: options.urlPlaceholder,
				hint: options.urlHint,
				validation: [
					{
						type: 'regex',
						properties: {
							regex: options.urlPattern,
							errorMessage: `This address holds no ${thing} ID: open the ${thing} in Coze and copy the address bar`,
						},
					},
				],
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. 7404830425073352713',
				validation: [
					{
						type: 'regex',
						properties: {
							regex: '^\\s*\\d{1,30}\\s*$',
							errorMessage: `A ${thing} ID is a number, e.g. 7404830425073352713`,
						},
					},
				],
			},
		],
	};
}
