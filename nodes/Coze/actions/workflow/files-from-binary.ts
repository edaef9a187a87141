import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import { hasOwn, RawJson, setOwn, type CozeConnection } from '../../transport/http';
import { findBinary, uploadBinary } from '../file/upload.operation';

const FIELD = 'Options → Files From Binary';

/** The options of Run and Chat that upload the item's files and pass them as workflow parameters. */
export const filesFromBinaryOptions: INodeProperties[] = [
	{
		displayName: 'All Binary Fields as Files',
		name: 'allBinaryFiles',
		type: 'boolean',
		default: false,
		description:
			'Whether to upload every binary field of the item and pass each to the workflow parameter of the same name',
	},
	{
		displayName: 'Files From Binary',
		name: 'filesFromBinary',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add File',
		default: {},
		description:
			'Upload files of the item first and pass each to a workflow parameter: as {"file_id":"…"} on coze.cn / coze.com, as its URL on Coze Studio',
		options: [
			{
				name: 'files',
				displayName: 'File',
				values: [
					{
						displayName: 'Input Binary Field',
						name: 'binaryField',
						type: 'string',
						default: 'data',
						description: 'The binary field holding the file',
					},
					{
						displayName: 'Workflow Parameter',
						name: 'parameter',
						type: 'string',
						default: '',
						description:
							'The start-node input that takes the file; files given to one parameter twice or more become a list',
					},
				],
			},
		],
	},
];

interface FileMapping {
	binaryField: string;
	parameter: string;
}

/**
 * The Parameters with the files the options name added: each uploaded first (the same streamed
 * upload as File → Upload: flat memory, the 512 MB check, retries), its parameter given the
 * file's `file_ref`, or a list of them for a parameter given several files. A parameter set both
 * in Parameters and here, or a binary field the item lacks, is refused before anything is
 * uploaded; a failure after some uploads names them (uploads-ledger.ts).
 */
export async function parametersWithFiles(
	this: IExecuteFunctions,
	itemIndex: number,
	parameters: RawJson | IDataObject,
	connection: CozeConnection,
	signal?: AbortSignal,
): Promise<RawJson | IDataObject> {
	const mappings = fileMappings.call(this, itemIndex);
	if (mappings.length === 0) return parameters;
	const typed =
		parameters instanceof RawJson ? (JSON.parse(parameters.text) as IDataObject) : parameters;
	// Only what Parameters itself sets: "toString" or "__proto__" is a parameter, not Object's.
	const twice = mappings.find(({ parameter }) => hasOwn(typed, parameter))?.parameter;
	if (twice) {
		throw new NodeOperationError(
			this.getNode(),
			`Parameters already sets "${twice}", which ${FIELD} also fills`,
			{
				itemIndex,
				description: `Remove "${twice}" from Parameters, or give the file another Workflow Parameter.`,
			},
		);
	}
	// Every file is there before the first is sent: an upload cannot be taken back.
	for (const { binaryField } of mappings)
		findBinary.call(this, itemIndex, binaryField, `${FIELD} → Input Binary Field`);
	const refs = new Map<string, string[]>();
	for (const { binaryField, parameter } of mappings) {
		const file = await uploadBinary.call(
			this,
			itemIndex,
			binaryField,
			connection,
			signal,
			`${FIELD} → Input Binary Field`,
		);
		refs.set(parameter, [...(refs.get(parameter) ?? []), file.file_ref as string]);
	}
	// Each parameter an own key, "__proto__" included (an assignment would set a prototype).
	const files: IDataObject = {};
	for (const [parameter, list] of refs) setOwn(files, parameter, list.length > 1 ? list : list[0]);
	if (!(parameters instanceof RawJson)) return { ...parameters, ...files };
	// Typed JSON is kept as typed (every digit): the files are written in before its closing brace.
	const text = parameters.text.trim();
	const added = JSON.stringify(files).slice(1, -1);
	return new RawJson(
		Object.keys(typed).length === 0 ? `{${added}}` : `${text.slice(0, -1).trimEnd()},${added}}`,
	);
}

/** The (binary field → parameter) pairs the options name, each complete. */
function fileMappings(this: IExecuteFunctions, itemIndex: number): FileMapping[] {
	const options = this.getNodeParameter('options', itemIndex, {}) as {
		filesFromBinary?: { files?: FileMapping[] };
		allBinaryFiles?: boolean;
	};
	const mappings = (options.filesFromBinary?.files ?? []).map(({ binaryField, parameter }) => ({
		binaryField: String(binaryField ?? '').trim(),
		parameter: String(parameter ?? '').trim(),
	}));
	if (options.allBinaryFiles) {
		for (const name of Object.keys(this.getInputData()[itemIndex].binary ?? {}))
			mappings.push({ binaryField: name, parameter: name });
	}
	for (const { binaryField, parameter } of mappings) {
		if (binaryField && parameter) continue;
		throw new NodeOperationError(
			this.getNode(),
			`${FIELD} has a file without ${binaryField ? 'a Workflow Parameter' : 'an Input Binary Field'}`,
			{
				itemIndex,
				description: `Give each file the binary field that holds it and the workflow parameter that takes it${binaryField ? ` (the file in "${binaryField}")` : ''}.`,
			},
		);
	}
	return mappings;
}
