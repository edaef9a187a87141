import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

import { isJsonObject, RawJson } from '../../transport/http';
import { assertExactNumbers, whereJsonBreaks } from '../workflow/parameters';

/**
 * One of Bot → Chat's JSON options (Additional Messages, Custom Variables, Meta Data,
 * Parameters): typed JSON is sent as typed (RawJson, every digit kept), a value from an
 * expression as it is, once its numbers are exact. Undefined when the option is not set or empty.
 * The wrong shape fails the item naming the option, with an example of the right one.
 */
export function readJsonOption(
	this: IExecuteFunctions,
	value: unknown,
	label: string,
	shape: 'object' | 'array',
	example: string,
	itemIndex: number,
): RawJson | unknown[] | Record<string, unknown> | undefined {
	if (value === undefined || value === null || (typeof value === 'string' && value.trim() === ''))
		return undefined;
	const fail = (why: string) =>
		new NodeOperationError(this.getNode(), `Options → ${label} ${why}`, {
			itemIndex,
			description: `Give a JSON ${shape}, e.g. ${example}`,
		});
	let parsed: unknown = value;
	if (typeof value === 'string') {
		try {
			parsed = JSON.parse(value);
		} catch (error) {
			throw fail(`is not valid JSON: ${whereJsonBreaks(value, error as Error)}`);
		}
	}
	const fits = shape === 'array' ? Array.isArray(parsed) : isJsonObject(parsed);
	if (!fits)
		throw fail(
			`must be a JSON ${shape}: it is ${Array.isArray(parsed) ? 'an array' : parsed === null ? 'null' : `a ${typeof parsed}`}`,
		);
	if (typeof value === 'string') return new RawJson(value.trim());
	assertExactNumbers.call(this, parsed, `Options → ${label}`, itemIndex);
	return parsed as unknown[] | Record<string, unknown>;
}
