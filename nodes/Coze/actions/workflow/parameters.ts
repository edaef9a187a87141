import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { isJsonObject, RawJson } from '../../transport/http';
import { MIN_POLL_INTERVAL_MS, type Polling } from '../../transport/protocols/workflow-run';
import { quoted } from '../quoted';
import { isLocator, LIST_END_NOTICE } from '../../shared/workflow-locator';
import { COZE_ID } from '../../transport/protocols/coze-address';
import { workflowIdFromUrl } from '../../transport/protocols/workflow-url';

/** An interrupt's event id, "<execute_id>/<n>" on the cloud: printable, no spaces, bounded. */
const EVENT_ID = /^[\w./:-]{1,200}$/;

/** A field that names a Coze thing by its ID: a resource locator (From List, By URL, By ID), or its ID as text. */
export interface LocatorField {
	/** The parameter: workflowId, botId. */
	name: string;
	/** The field as the editor shows it: Workflow, Bot. */
	label: string;
	/** What an error calls the ID itself: Workflow ID (version 1's field), Bot. */
	idLabel: string;
	/** What the field names: workflow, bot. */
	thing: string;
	/** The ID in the address of the thing's page in Coze, or undefined. */
	idFromUrl: (address: string) => string | undefined;
	/** How to give an address that holds the ID. */
	urlHelp: string;
	/** Where the ID comes from, for an empty field. */
	emptyHint: string;
	/** What an ID looks like, for one that is not. */
	idHelp: string;
}

const WORKFLOW_FIELD: LocatorField = {
	name: 'workflowId',
	label: 'Workflow',
	idLabel: 'Workflow ID',
	thing: 'workflow',
	idFromUrl: workflowIdFromUrl,
	urlHelp:
		'Open the workflow in Coze and paste the address from the browser: it has workflow_id= in it, e.g. https://www.coze.cn/work_flow?space_id=…&workflow_id=7404830425073352713. Or choose By ID.',
	emptyHint: 'It is the number after workflow_id= in the address of the workflow in Coze.',
	idHelp:
		"A workflow ID is a number, e.g. 7404830425073352713: the digits after workflow_id= in the workflow's address in Coze.",
};

/**
 * Reads the workflow: version 1's Workflow ID text, or version 2's resource locator (picked from
 * the list, an address in Coze, or an ID). Digits only, exactly as given.
 */
export function readWorkflowId(this: IExecuteFunctions, itemIndex: number): string {
	return readLocatorId.call(this, itemIndex, WORKFLOW_FIELD);
}

/**
 * Reads a locator field's ID: from the address By URL, refusing the list's end notice, or the
 * list's or By ID's value (or an expression's text) as an exact string of digits.
 */
export function readLocatorId(
	this: IExecuteFunctions,
	itemIndex: number,
	field: LocatorField,
): string {
	const locator = this.getNodeParameter(field.name, itemIndex) as unknown;
	if (isLocator(locator) && locator.mode === 'url') {
		const address = String(locator.value ?? '').trim();
		const id = field.idFromUrl(address);
		if (id) return id;
		throw new NodeOperationError(
			this.getNode(),
			address
				? `The address ${quoted(address, 200)} holds no Coze ${field.thing} ID`
				: `${field.label} (By URL) is empty`,
			{ itemIndex, description: field.urlHelp },
		);
	}
	if (
		isLocator(locator) &&
		locator.mode === 'list' &&
		String(locator.value).startsWith(LIST_END_NOTICE)
	) {
		throw new NodeOperationError(
			this.getNode(),
			`${field.label}: the list's notice that it ends there is chosen, not a ${field.thing}`,
			{
				itemIndex,
				description: `Choose a ${field.thing} from the list, or choose By URL or By ID for a ${field.thing} the list does not show.`,
			},
		);
	}
	const id = readId.call(this, field.name, field.idLabel, itemIndex, field.emptyHint);
	if (COZE_ID.test(id)) return id;
	throw new NodeOperationError(
		this.getNode(),
		`${field.idLabel} ${quoted(id, 80)} is not a Coze ${field.thing} ID`,
		{ itemIndex, description: field.idHelp },
	);
}

/** Reads the Event ID of an interrupt being answered. */
export function readEventId(this: IExecuteFunctions, itemIndex: number): string {
	const id = readId.call(
		this,
		'eventId',
		'Event ID',
		itemIndex,
		"It comes from the Coze node's Interrupts output.",
	);
	if (EVENT_ID.test(id) && !id.split('/').includes('..')) return id;
	throw new NodeOperationError(
		this.getNode(),
		`Event ID ${quoted(id, 120)} is not a Coze interrupt's event ID`,
		{
			itemIndex,
			description:
				"Use the event_id of the Coze node's interrupt item unchanged, e.g. {{ $json.event_id }} (it looks like 7404830425073352999/6961231853298581504).",
		},
	);
}

/**
 * Reads a Coze id parameter (or a resource locator's value) as an exact string: ids are 19
 * digits, never a JS number. `emptyHint` says where the id comes from.
 */
export function readId(
	this: IExecuteFunctions,
	name: string,
	label: string,
	itemIndex: number,
	emptyHint: string,
): string {
	const parameter = this.getNodeParameter(name, itemIndex, '') as unknown;
	const text = idText.call(
		this,
		isLocator(parameter) ? parameter.value : parameter,
		label,
		itemIndex,
	);
	if (text) return text;
	throw new NodeOperationError(this.getNode(), `${label} is empty`, {
		itemIndex,
		description: `Set "${label}". ${emptyHint}`,
	});
}

/**
 * A Coze id as given: text trimmed, or the digits of a number JavaScript holds exactly ('' when
 * empty). A number beyond 2^53 has already lost digits (an expression read a 19-digit id as a
 * number): refused, naming `label`, rather than sent as some other id.
 */
export function idText(
	this: IExecuteFunctions,
	value: unknown,
	label: string,
	itemIndex: number,
): string {
	if (value === undefined || value === null) return '';
	if (typeof value === 'string') return value.trim();
	if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
	if (typeof value === 'number') {
		throw new NodeOperationError(
			this.getNode(),
			`${label} arrived as a number and has lost digits`,
			{
				itemIndex,
				description: `Coze ids are longer than a JavaScript number can hold exactly. Pass it as a string: for an expression, use {{ String(...) }} on the original text, or quote it in the source data.`,
			},
		);
	}
	throw new NodeOperationError(this.getNode(), `${label} must be a Coze id`, {
		itemIndex,
		description: `It is ${Array.isArray(value) ? 'a list' : `a ${typeof value}`}. Give the id's digits as text, e.g. 7404830425073352713.`,
	});
}

/**
 * Resume's Interrupt Type, as the JSON number it is written as: every digit, of any length
 * (RawJson), leading zeros dropped so that the body stays JSON.
 */
export function readInterruptType(this: IExecuteFunctions, itemIndex: number): RawJson {
	const hint = "Use the interrupt item's interrupt_type, e.g. {{ $json.interrupt_type }}.";
	const text = idText.call(
		this,
		this.getNodeParameter('interruptType', itemIndex, ''),
		'Interrupt Type',
		itemIndex,
	);
	if (!text)
		throw new NodeOperationError(this.getNode(), 'Interrupt Type is empty', {
			itemIndex,
			description: `Set "Interrupt Type". ${hint}`,
		});
	const digits = /^0*(\d+)$/.exec(text)?.[1];
	if (digits) return new RawJson(digits);
	throw new NodeOperationError(this.getNode(), 'Interrupt Type must be a whole number', {
		itemIndex,
		description: `It is "${text.slice(0, 60)}". ${hint}`,
	});
}

/**
 * The workflow's start-node inputs: a JSON object, typed or produced by an expression. Typed
 * JSON is sent as it was typed (RawJson), so `7404830425073352713` and `1e400` reach Coze with
 * every digit. An object from an expression is already JavaScript: a number JavaScript cannot
 * hold exactly has lost digits by now, so it is refused with the field's path.
 */
export function readWorkflowParameters(
	this: IExecuteFunctions,
	itemIndex: number,
): RawJson | IDataObject {
	const value = this.getNodeParameter('parameters', itemIndex, '{}') as unknown;
	if (typeof value === 'string') {
		const text = value.trim() === '' ? '{}' : value;
		let parsed: unknown;
		try {
			parsed = JSON.parse(text);
		} catch (error) {
			throw new NodeOperationError(
				this.getNode(),
				`Parameters is not valid JSON: ${whereJsonBreaks(text, error as Error)}`,
				{
					itemIndex,
					description:
						'Give a JSON object of the workflow\'s start-node inputs, e.g. {"input": "hello", "file": "{\\"file_id\\":\\"…\\"}"}',
				},
			);
		}
		assertObject.call(this, parsed, itemIndex);
		return new RawJson(text.trim());
	}
	assertObject.call(this, value, itemIndex);
	assertExactNumbers.call(this, value, 'Parameters', itemIndex);
	return value as IDataObject;
}

function assertObject(this: IExecuteFunctions, value: unknown, itemIndex: number): void {
	if (isJsonObject(value)) return;
	throw new NodeOperationError(this.getNode(), 'Parameters must be a JSON object', {
		itemIndex,
		description: `It is ${Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`}. Wrap the inputs in {…}, one key per start-node input.`,
	});
}

/** Refuses numbers that JSON cannot carry exactly: integers beyond 2^53 (already rounded), NaN, Infinity. */
export function assertExactNumbers(
	this: IExecuteFunctions,
	value: unknown,
	path: string,
	itemIndex: number,
): void {
	if (typeof value === 'number') {
		if (Number.isFinite(value) && (!Number.isInteger(value) || Number.isSafeInteger(value))) return;
		const what = Number.isFinite(value)
			? `the integer ${value}, beyond what JavaScript holds exactly (2^53), so it has lost digits`
			: `${value}, which JSON cannot carry`;
		throw new NodeOperationError(this.getNode(), `${path} is ${what}`, {
			itemIndex,
			description:
				'Quote it as a string in the data it comes from (a Coze id is a string of digits), or type Parameters as JSON text, which is sent digit for digit.',
		});
	}
	if (Array.isArray(value))
		value.forEach((entry, i) => assertExactNumbers.call(this, entry, `${path}[${i}]`, itemIndex));
	else if (value !== null && typeof value === 'object') {
		for (const [key, entry] of Object.entries(value))
			assertExactNumbers.call(this, entry, `${path}.${key}`, itemIndex);
	}
}

/**
 * JSON.parse's message, with the line and column of the position it names, once: Node 22 and
 * later already add "(line L column C)" themselves (n8n 2.x runs on Node 24), Node 20 does not.
 * The piece of the text JavaScript quotes (`Unexpected token 'p', "{"a": pat_abcdef"... is not
 * valid JSON`: ten characters either side of the fault) is left out: it is cut wherever the
 * fault is, so it can hold half of a secret that the error mapper would no longer recognise.
 */
export function whereJsonBreaks(text: string, error: Error): string {
	const message = error.message
		.replace(/\s*\(line \d+ column \d+\)/, '')
		.replace(/, (?:\.\.\.)?"[\s\S]*"(?:\.\.\.)? is not valid JSON$/, '');
	const position = /position (\d+)/.exec(message);
	if (!position) return message;
	const offset = Number(position[1]);
	const before = text.slice(0, offset);
	const line = before.split('\n').length;
	const column = offset - before.lastIndexOf('\n');
	return `${message} (line ${line}, column ${column})`;
}

/** The optional fields of a run, as Coze names them in the request body. */
export function readRunOptions(this: IExecuteFunctions, itemIndex: number): IDataObject {
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const body: IDataObject = {};
	const text = (key: string) =>
		typeof options[key] === 'string'
			? (options[key] as string).trim()
			: options[key] === undefined
				? ''
				: String(options[key]);
	const id = (key: string, label: string) =>
		idText.call(this, options[key], `Options → ${label}`, itemIndex);
	const botId = id('botId', 'Bot ID');
	const appId = id('appId', 'App ID');
	const connectorId = id('connectorId', 'Connector ID');
	if (botId && appId) {
		throw new NodeOperationError(this.getNode(), 'Bot ID and App ID cannot both be set', {
			itemIndex,
			description:
				'Coze refuses a run with both. Set App ID only for a workflow inside a Coze app, Bot ID only for one that needs an agent (database or variable nodes).',
		});
	}
	if (botId) body.bot_id = botId;
	if (appId) body.app_id = appId;
	if (text('workflowVersion')) {
		// The cloud reads workflow_version (coze-api.md, coze-go RunWorkflowsReq); Coze Studio reads
		// version (coze-studio OpenAPIRunFlowRequest). Each ignores the other's, so both go.
		body.workflow_version = text('workflowVersion');
		body.version = text('workflowVersion');
	}
	if (connectorId) body.connector_id = connectorId;
	const ext = options.ext as IDataObject | undefined;
	if (ext) {
		const entries = Object.entries(ext).filter(
			([, value]) => value !== undefined && String(value).trim() !== '',
		);
		if (entries.length)
			body.ext = Object.fromEntries(entries.map(([key, value]) => [key, String(value).trim()]));
	}
	return body;
}

/** What a polled wait uses when its options are not set (the fields' defaults: pollingOptions). */
export interface PollingDefaults {
	intervalSeconds: number;
	maxWaitMinutes: number;
}

/** A workflow's asynchronous run: asked every 5 s, for up to an hour. */
export const RUN_POLLING_DEFAULTS: PollingDefaults = { intervalSeconds: 5, maxWaitMinutes: 60 };

/**
 * Asynchronous mode's Poll Interval and Max Wait. Either may come from an expression, so both
 * are checked here; an interval under a second is raised to one (the transport enforces it too).
 */
export function readPolling(
	this: IExecuteFunctions,
	options: IDataObject,
	itemIndex: number,
	defaults: PollingDefaults = RUN_POLLING_DEFAULTS,
): Polling {
	const read = (name: string, label: string, fallback: number, unitMs: number): number => {
		const value = options[name] ?? fallback;
		const number = typeof value === 'number' ? value : Number(value);
		if (Number.isFinite(number) && number >= 0) return number * unitMs;
		throw new NodeOperationError(this.getNode(), `Options → ${label} must be a number`, {
			itemIndex,
			description: `It is ${JSON.stringify(value)}. Remove it to use the default (${fallback}).`,
		});
	};
	return {
		intervalMs: Math.max(
			MIN_POLL_INTERVAL_MS,
			read('pollIntervalSeconds', 'Poll Interval', defaults.intervalSeconds, 1000),
		),
		maxWaitMs: read('maxWaitMinutes', 'Max Wait', defaults.maxWaitMinutes, 60_000),
	};
}
