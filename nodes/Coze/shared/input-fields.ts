import type { FieldType, ResourceMapperField } from 'n8n-workflow';

import type { CozeInputParameter } from '../transport/protocols/workflow-catalog';

/** How the node reads and sends a start-node input, from the type Coze gives it. */
export type InputKind = 'string' | 'integer' | 'number' | 'boolean' | 'object' | 'array' | 'file';

const INPUT_KINDS: ReadonlySet<string> = new Set<InputKind>([
	'string',
	'integer',
	'number',
	'boolean',
	'object',
	'array',
	'file',
]);

/**
 * The name of the option entry that carries a field's kind. n8n saves a mapper field whole with
 * the node's parameters (the mapper's schema) and shows its options only for a field of type
 * 'options', a dropdown, which no input field is (n8n's editor, ResourceMapper MappingFields).
 * The field's id cannot carry it: it is the input's name, sent to Coze and keyed in saved values.
 */
const KIND_OPTION = 'cozeInputKind';

/**
 * Coze's file types: "file", or the kind of file directly as the type (coze-openapi.yaml
 * OpenAPIParameter: default, image, svg, audio, video, voice, doc, ppt, excel, txt, code, zip).
 */
const FILE_TYPES = new Set([
	'file',
	'default',
	'image',
	'svg',
	'audio',
	'video',
	'voice',
	'doc',
	'ppt',
	'excel',
	'txt',
	'code',
	'zip',
]);

/**
 * Coze's type of an input, in lower case. Coze names every type as text; anything else (a number,
 * an object, null, none) says nothing of the value, so the field takes JSON ("object").
 */
function cozeType(parameter: CozeInputParameter): string {
	const type: unknown = parameter.type;
	return typeof type === 'string' ? type.toLowerCase() : 'object';
}

function kindOf(parameter: CozeInputParameter): InputKind {
	const type = cozeType(parameter);
	if (FILE_TYPES.has(type)) return 'file';
	if (
		type === 'integer' ||
		type === 'number' ||
		type === 'boolean' ||
		type === 'object' ||
		type === 'array'
	)
		return type;
	// string, time, and any type Coze adds later: text is what it takes.
	return 'string';
}

/** What the field shows after the input's name: Coze's type, in Coze's words. */
function typeLabel(parameter: CozeInputParameter): string {
	const type = cozeType(parameter);
	if (type === 'array') return `array of ${parameter.items ? typeLabel(parameter.items) : 'any'}`;
	if (type === 'file' || !FILE_TYPES.has(type)) return type;
	return `${type === 'default' ? '' : `${type} `}file`.trim();
}

/**
 * n8n's widget for each kind. An integer is typed as text: n8n's number field holds a JavaScript
 * number, which cannot carry a 19-digit id; the node sends the digits as a JSON number itself.
 */
const FIELD_TYPES: Record<InputKind, FieldType> = {
	string: 'string',
	integer: 'string',
	number: 'number',
	boolean: 'boolean',
	object: 'object',
	array: 'array',
	file: 'string',
};

/**
 * n8n's widget for an optional object or array input: a text field. n8n gives an object or array
 * field its JSON editor, whose JSON linter marks an empty editor as an error (JSON.parse of
 * nothing fails) though an empty input is simply left out of the run. A text field takes the
 * same JSON, read by the same rules (the run reads the kind from the field's data), and shows nothing
 * wrong when empty. A required one keeps the JSON editor: empty, it is rightly marked.
 */
function fieldTypeOf(kind: InputKind, required: boolean): FieldType {
	return (kind === 'object' || kind === 'array') && !required ? 'string' : FIELD_TYPES[kind];
}

/**
 * One mapper field for one start-node input. Its label ends with Coze's type, for the user; its
 * kind, which the run reads back (kindOfField), is in its data.
 */
export function fieldOfInput(name: string, parameter: CozeInputParameter): ResourceMapperField {
	const kind = kindOf(parameter);
	const required = parameter.required === true;
	const field: ResourceMapperField = {
		id: name,
		displayName: `${name} (${typeLabel(parameter)})`,
		required,
		defaultMatch: false,
		canBeUsedToMatch: false,
		display: true,
		type: fieldTypeOf(kind, required),
		options: [{ name: KIND_OPTION, value: kind }],
	};
	const defaultValue = defaultOf(kind, parameter.default_value);
	if (defaultValue !== undefined) field.defaultValue = defaultValue;
	return field;
}

/** Coze's default_value is always text; a field shows it as its own type. */
function defaultOf(
	kind: InputKind,
	text: string | undefined,
): string | number | boolean | undefined {
	if (text === undefined || text === '') return undefined;
	if (kind === 'boolean') return text === 'true' ? true : text === 'false' ? false : undefined;
	if (kind === 'number') return Number.isFinite(Number(text)) ? Number(text) : undefined;
	if (kind === 'string' || kind === 'integer') return text;
	return undefined;
}

/**
 * The kind a saved field was made for: the one its data carries; for a field saved before it
 * carried one, the one its label names (kindFromLabel); for a field without either, n8n's type.
 */
export function kindOfField(
	field: Pick<ResourceMapperField, 'displayName' | 'type' | 'options'>,
): InputKind {
	return (
		kindInData(field.options) ??
		kindFromLabel(field.displayName ?? '') ??
		kindOfFieldType(field.type)
	);
}

function kindInData(options: ResourceMapperField['options']): InputKind | undefined {
	const value = Array.isArray(options)
		? options.find((option) => option?.name === KIND_OPTION)?.value
		: undefined;
	return typeof value === 'string' && INPUT_KINDS.has(value) ? (value as InputKind) : undefined;
}

/**
 * Fallback for a field saved before its kind was in its data: the type its label ends with, in
 * Coze's words as fieldOfInput wrote them ("(integer)", "(array of string)", "(image file)").
 */
export function kindFromLabel(displayName: string): InputKind | undefined {
	const label = /\(([^()]+)\)$/.exec(displayName)?.[1];
	if (!label) return undefined;
	if (label.startsWith('array of ')) return 'array';
	if (label === 'file' || label.endsWith(' file')) return 'file';
	if (
		label === 'integer' ||
		label === 'number' ||
		label === 'boolean' ||
		label === 'object' ||
		label === 'array'
	)
		return label;
	return 'string';
}

function kindOfFieldType(type: ResourceMapperField['type']): InputKind {
	switch (type) {
		case 'number':
		case 'boolean':
		case 'object':
		case 'array':
			return type;
		default:
			return 'string';
	}
}
