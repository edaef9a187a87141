import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

/**
 * A text parameter that may not be empty: a value an expression made into a number or an object
 * is taken as its text. Empty, it fails the item naming the field (`label`) and saying how to fill it (`hint`).
 */
export function readText(
	this: IExecuteFunctions,
	name: string,
	label: string,
	itemIndex: number,
	hint: string,
): string {
	const value = this.getNodeParameter(name, itemIndex, '') as unknown;
	const text =
		typeof value === 'string'
			? value
			: value === undefined || value === null
				? ''
				: typeof value === 'object'
					? JSON.stringify(value)
					: String(value);
	if (text.trim() !== '') return text;
	throw new NodeOperationError(this.getNode(), `${label} is empty`, {
		itemIndex,
		description: hint,
	});
}
