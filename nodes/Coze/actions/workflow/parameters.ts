import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

/** Reads a Coze id parameter as an exact string of digits (ids are 19 digits: never a JS number). */
export function readId(this: IExecuteFunctions, name: string, label: string, itemIndex: number): string {
	const value = this.getNodeParameter(name, itemIndex) as unknown;
	if (typeof value === 'number') {
		if (!Number.isSafeInteger(value)) {
			throw new NodeOperationError(this.getNode(), `${label} arrived as a number and has lost digits`, {
				itemIndex,
				description: `Coze ids are longer than a JavaScript number can hold exactly. Pass it as a string: for an expression, use {{ String(...) }} on the original text, or quote it in the source data.`,
			});
		}
		return String(value);
	}
	const text = typeof value === 'string' ? value.trim() : '';
	if (!text) {
		throw new NodeOperationError(this.getNode(), `${label} is empty`, {
			itemIndex,
			description: `Set "${label}". ${label === 'Workflow ID' ? 'It is the number after workflow_id= in the address of the workflow in Coze.' : 'It comes from the Coze node\'s Interrupts output.'}`,
		});
	}
	return text;
}

/** The workflow's start-node inputs: a JSON object, typed or produced by an expression. */
export function readWorkflowParameters(this: IExecuteFunctions, itemIndex: number): IDataObject {
	const value = this.getNodeParameter('parameters', itemIndex, '{}') as unknown;
	let parsed: unknown = value;
	if (typeof value === 'string') {
		const text = value.trim() === '' ? '{}' : value;
		try {
			parsed = JSON.parse(text);
		} catch (error) {
			throw new NodeOperationError(this.getNode(), `Parameters is not valid JSON: ${whereJsonBreaks(text, error as Error)}`, {
				itemIndex,
				description: 'Give a JSON object of the workflow\'s start-node inputs, e.g. {"input": "hello", "file": "{\\"file_id\\":\\"…\\"}"}',
			});
		}
	}
	if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
		throw new NodeOperationError(this.getNode(), 'Parameters must be a JSON object', {
			itemIndex,
			description: `It is ${Array.isArray(parsed) ? 'an array' : parsed === null ? 'null' : `a ${typeof parsed}`}. Wrap the inputs in {…}, one key per start-node input.`,
		});
	}
	return parsed as IDataObject;
}

/** JSON.parse's message, with the line and column of the position it names. */
function whereJsonBreaks(text: string, error: Error): string {
	const position = /position (\d+)/.exec(error.message);
	if (!position) return error.message;
	const offset = Number(position[1]);
	const before = text.slice(0, offset);
	const line = before.split('\n').length;
	const column = offset - before.lastIndexOf('\n');
	return `${error.message} (line ${line}, column ${column})`;
}

/** The optional fields of a run, as Coze names them in the request body. */
export function readRunOptions(this: IExecuteFunctions, itemIndex: number): IDataObject {
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const body: IDataObject = {};
	const text = (key: string) => (typeof options[key] === 'string' ? (options[key] as string).trim() : options[key] === undefined ? '' : String(options[key]));
	if (text('botId') && text('appId')) {
		throw new NodeOperationError(this.getNode(), 'Bot ID and App ID cannot both be set', {
			itemIndex,
			description: 'Coze refuses a run with both. Set App ID only for a workflow inside a Coze app, Bot ID only for one that needs an agent (database or variable nodes).',
		});
	}
	if (text('botId')) body.bot_id = text('botId');
	if (text('appId')) body.app_id = text('appId');
	if (text('workflowVersion')) body.workflow_version = text('workflowVersion');
	if (text('connectorId')) body.connector_id = text('connectorId');
	const ext = options.ext as IDataObject | undefined;
	if (ext) {
		const entries = Object.entries(ext).filter(([, value]) => value !== undefined && String(value).trim() !== '');
		if (entries.length) body.ext = Object.fromEntries(entries.map(([key, value]) => [key, String(value).trim()]));
	}
	return body;
}
