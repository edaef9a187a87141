import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type ResourceMapperField,
} from 'n8n-workflow';

import {
	hasOwn,
	isJsonObject,
	ownValue,
	parseJsonKeepingLongIntegers,
	RawJson,
	setOwn,
	type CozeConnection,
} from '../../transport/http';
import { uploadBinary } from '../file/upload.operation';
import { quoted } from '../quoted';
import { kindOfField, type InputKind } from '../../shared/input-fields';
import { assertExactNumbers, readWorkflowParameters } from './parameters';

interface MapperValue {
	mappingMode?: string;
	value?: Record<string, unknown> | null;
	schema?: ResourceMapperField[];
}

/**
 * A whole number and a number as people type them: JSON's forms, and leading zeros (00012,
 * -01.5), which JSON forbids. Sent as their text without those zeros, so that the body stays
 * JSON and no other digit changes.
 */
const INTEGER_TEXT = /^(-?)0*(\d+)$/;
const NUMBER_TEXT = /^(-?)0*(\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)$/;

/** `text` as a JSON number (leading zeros dropped), or undefined when it is no number of that form. */
function jsonNumber(text: string | undefined, form: RegExp): RawJson | undefined {
	const match = text === undefined ? null : form.exec(text);
	return match ? new RawJson(`${match[1]}${match[2]}`) : undefined;
}

/**
 * The start-node inputs: version 1's Parameters JSON; in version 2 the mapped fields (Inputs →
 * Map Each Input), each read by the type Coze gave it, or the JSON of Inputs → JSON. Values keep
 * every digit: an integer or a number written as text is sent as that text.
 */
export async function readInputs(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: CozeConnection,
	signal?: AbortSignal,
): Promise<RawJson | IDataObject> {
	if (
		this.getNode().typeVersion < 2 ||
		this.getNodeParameter('inputMode', itemIndex, 'fields') === 'json'
	)
		return readWorkflowParameters.call(this, itemIndex);
	const mapper = this.getNodeParameter('inputs', itemIndex, {}) as MapperValue;
	const item = this.getInputData()[itemIndex];
	// Map Automatically: each input takes the input item's field of the same name.
	const automatic = mapper.mappingMode === 'autoMapInputData';
	const values = automatic ? (item?.json ?? {}) : (mapper.value ?? {});
	// Every value is checked before the first upload, so that a wrong value of a later input
	// leaves no file behind in Coze; files are uploaded last, in the inputs' order.
	const checked: Array<{ name: string; value?: unknown; upload?: string }> = [];
	for (const field of mapper.schema ?? []) {
		if (field.removed || field.display === false) continue;
		// An input's name is Coze's data: "constructor" or "toString" is an input, not Object's.
		const value = ownValue(values, field.id);
		const kind = kindOfField(field);
		if (value === undefined || value === null || value === '') {
			if (field.required && kind !== 'boolean') {
				throw new NodeOperationError(
					this.getNode(),
					`Input "${field.id}" is required by the workflow and has no value`,
					{
						itemIndex,
						description:
							!automatic && NAMES_N8N_DROPS.has(field.id)
								? `n8n leaves a value named "${field.id}" out of a node's parameters, so Map Each Input cannot give it. Choose Map Automatically and give the input item a field "${field.id}", or write the inputs under Inputs → JSON.`
								: `Give "${field.id}" a value under Inputs${automatic ? `, or a field "${field.id}" in the input item` : ''}.`,
					},
				);
			}
			continue;
		}
		checked.push(
			kind === 'file'
				? fileValue.call(this, itemIndex, field.id, value)
				: { name: field.id, value: typedValue.call(this, itemIndex, field.id, kind, value) },
		);
	}
	const parameters: IDataObject = {};
	for (const { name, value, upload } of checked) {
		const sent =
			upload === undefined
				? value
				: (await uploadBinary.call(this, itemIndex, upload, connection, signal, `Input "${name}"`))
						.file_ref;
		// "__proto__" too is a key of its own (an assignment would set the object's prototype).
		setOwn(parameters, name, sent);
	}
	return parameters;
}

/**
 * Names n8n leaves out whenever it copies a node's parameters (n8n-workflow's deepCopy,
 * reservedCopyKeys): a value mapped under one of them never reaches the node.
 */
const NAMES_N8N_DROPS = new Set(['__proto__', 'constructor', 'prototype']);

function typedValue(
	this: IExecuteFunctions,
	itemIndex: number,
	name: string,
	kind: Exclude<InputKind, 'file'>,
	value: unknown,
): unknown {
	const refuse = (expected: string, hint: string) =>
		new NodeOperationError(this.getNode(), `Input "${name}" must be ${expected}`, {
			itemIndex,
			description: `It is ${describe(value)}. ${hint}`,
		});
	const text = typeof value === 'string' ? value.trim() : undefined;
	switch (kind) {
		case 'string':
			return typeof value === 'object' ? JSON.stringify(value) : String(value);
		case 'integer':
		case 'number': {
			const whole = kind === 'integer';
			if (typeof value === 'number' && (!whole || Number.isInteger(value))) {
				assertExactNumbers.call(this, value, `Input "${name}"`, itemIndex);
				return value;
			}
			const typed = jsonNumber(text, whole ? INTEGER_TEXT : NUMBER_TEXT);
			if (typed) return typed;
			throw whole
				? refuse(
						'a whole number',
						'Type its digits, e.g. 42 or 7404830425073352713 (sent with every digit).',
					)
				: refuse('a number', 'Type a number such as 3.5 or -2.');
		}
		case 'boolean':
			if (typeof value === 'boolean') return value;
			if (text === 'true' || text === 'false') return text === 'true';
			throw refuse(
				'true or false',
				'Switch it on or off, or give an expression that is true or false.',
			);
		case 'object':
		case 'array': {
			const wanted = kind === 'object' ? 'a JSON object' : 'a JSON array';
			const isWanted = (entry: unknown) =>
				kind === 'array' ? Array.isArray(entry) : isJsonObject(entry);
			if (text !== undefined) {
				let parsed: unknown;
				try {
					parsed = parseJsonKeepingLongIntegers(text);
				} catch {
					parsed = undefined;
				}
				if (!isWanted(parsed))
					throw refuse(
						wanted,
						`Write it as JSON, e.g. ${kind === 'object' ? '{"city": "Hangzhou"}' : '["a", "b"]'}.`,
					);
				// Sent as written: every digit of every number in it.
				return new RawJson(text);
			}
			if (!isWanted(value))
				throw refuse(
					wanted,
					kind === 'object'
						? 'Give an object, e.g. {{ $json.profile }}.'
						: 'Give a list, e.g. {{ $json.tags }}.',
				);
			assertExactNumbers.call(this, value, `Input "${name}"`, itemIndex);
			return value;
		}
	}
}

/**
 * A file input: a URL or a file reference ({"file_id": "…"}, the file_ref of File → Upload) is
 * sent as it is; the name of one of the item's binary fields is uploaded (after every input is
 * checked) and what the server's workflows take for it is sent.
 */
function fileValue(
	this: IExecuteFunctions,
	itemIndex: number,
	name: string,
	value: unknown,
): { name: string; value?: unknown; upload?: string } {
	if (
		value !== null &&
		typeof value === 'object' &&
		typeof ownValue(value as IDataObject, 'file_id') === 'string'
	) {
		return { name, value: JSON.stringify({ file_id: ownValue(value as IDataObject, 'file_id') }) };
	}
	const text = typeof value === 'string' ? value.trim() : '';
	if (/^https?:\/\//i.test(text)) return { name, value: text };
	if (text.startsWith('{') && /"file_id"\s*:/.test(text)) return { name, value: text };
	const binary = this.getInputData()[itemIndex]?.binary ?? {};
	if (text && hasOwn(binary, text)) return { name, upload: text };
	const fields = Object.keys(binary);
	throw new NodeOperationError(
		this.getNode(),
		`Input "${name}" is a file, and ${describe(value)} is not a URL, a file reference or a binary field of the item`,
		{
			itemIndex,
			description: `Give the file's URL (https://…), the file_ref of File → Upload ({"file_id": "…"}), or the name of the item's binary field that holds it${fields.length ? ` (this item has: ${fields.join(', ')})` : ' (this item has no binary data)'}.`,
		},
	);
}

function describe(value: unknown): string {
	if (typeof value === 'string')
		return value.length > 60 ? `a text ${quoted(value, 60)}` : quoted(value, 60);
	if (Array.isArray(value)) return 'a list';
	if (value !== null && typeof value === 'object') return 'an object';
	return `${typeof value} ${String(value)}`;
}
