/**
 * JSON that keeps every digit, both ways.
 *
 * Reading: Coze ids are 19-digit numbers, beyond Number.MAX_SAFE_INTEGER, and some answers
 * (Coze Studio's run history) send them as JSON numbers, which JSON.parse would round. An
 * integer literal that is not a safe integer is read as the string of its digits; every other
 * number (safe integers, fractions, exponents) is read as JSON.parse reads it.
 *
 * Depth: nesting deeper than MAX_JSON_DEPTH is refused with JsonTooDeep (see there).
 *
 * Writing: a value may hold RawJson, JSON text written out as it is (the Parameters a user
 * typed: `7404830425073352713` or `1e400` must reach Coze unchanged).
 */
export function parseJsonKeepingLongIntegers(text: string): unknown {
	const value: unknown = JSON.parse(quoteUnsafeIntegers(text));
	assertDepth(value);
	return value;
}

/**
 * The deepest nesting of objects and arrays read from a server. JSON.parse itself reads any
 * depth, but every recursive walk after it (JSON.stringify, n8n's copies of items, the editor's
 * JSON view) overflows the call stack somewhere past a few thousand levels, far from the item
 * that carried it. Real Coze data is a few levels deep; 128 is serde_json's default limit.
 */
export const MAX_JSON_DEPTH = 128;

/** JSON nested deeper than MAX_JSON_DEPTH: refused as a whole, so no recursion ever meets it. */
export class JsonTooDeep extends Error {
	constructor() {
		super(`JSON nested deeper than ${MAX_JSON_DEPTH} levels`);
		this.name = 'JsonTooDeep';
	}
}

/** Walks the parsed value without recursion (a hostile depth must not overflow the walk itself). */
function assertDepth(value: unknown): void {
	if (value === null || typeof value !== 'object') return;
	const pending: Array<{ container: object; depth: number }> = [{ container: value, depth: 1 }];
	for (let next = pending.pop(); next; next = pending.pop()) {
		if (next.depth > MAX_JSON_DEPTH) throw new JsonTooDeep();
		for (const entry of Array.isArray(next.container)
			? next.container
			: Object.values(next.container)) {
			if (entry !== null && typeof entry === 'object')
				pending.push({ container: entry as object, depth: next.depth + 1 });
		}
	}
}

/**
 * A value a server sent where text belongs (a message's content): a string as it is, nothing as
 * "", anything else as its JSON, so that no number or object is lost or breaks text handling.
 * Values come from parseJsonKeepingLongIntegers, so their depth is bounded.
 */
export function textOfServerValue(value: unknown): string {
	if (typeof value === 'string') return value;
	if (value === undefined || value === null) return '';
	return JSON.stringify(value) ?? '';
}

/** Digits of Number.MAX_SAFE_INTEGER; an integer with fewer digits is always safe. */
const MAX_SAFE_DIGITS = '9007199254740991';
/** A number of 16 or more digits can only follow ":", "," or "[" (ids sent as strings do not match). */
const LONG_LITERAL_CANDIDATE = /[:,[]\s*-?\d{16}/;

function isUnsafeInteger(digits: string): boolean {
	if (digits.length !== MAX_SAFE_DIGITS.length) return digits.length > MAX_SAFE_DIGITS.length;
	return digits > MAX_SAFE_DIGITS;
}

/** Whether a parsed JSON value is an object (not null, not an array). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** `text` read as a JSON object (losslessly), or undefined when it is not one: for fields that may hold JSON. */
export function parseJsonObject(text: string): Record<string, unknown> | undefined {
	const trimmed = text.trim();
	if (!trimmed.startsWith('{')) return undefined;
	try {
		const value = parseJsonKeepingLongIntegers(trimmed);
		return isJsonObject(value) ? value : undefined;
	} catch {
		return undefined;
	}
}

function quoteUnsafeIntegers(text: string): string {
	if (!LONG_LITERAL_CANDIDATE.test(text)) return text;
	let out = '';
	let copiedUpTo = 0;
	let inString = false;
	for (let i = 0; i < text.length; i++) {
		const ch = text.charCodeAt(i);
		if (inString) {
			if (ch === 0x5c /* \ */) i++;
			else if (ch === 0x22 /* " */) inString = false;
			continue;
		}
		if (ch === 0x22) {
			inString = true;
			continue;
		}
		if (!isDigit(ch) && ch !== 0x2d /* - */) continue;
		// One whole number token: -?digits(.digits)?([eE][+-]?digits)?
		const start = i;
		let end = ch === 0x2d ? i + 1 : i;
		const intStart = end;
		while (end < text.length && isDigit(text.charCodeAt(end))) end++;
		const digits = text.slice(intStart, end);
		let isInteger = true;
		if (text[end] === '.') {
			isInteger = false;
			end++;
			while (end < text.length && isDigit(text.charCodeAt(end))) end++;
		}
		if (text[end] === 'e' || text[end] === 'E') {
			isInteger = false;
			end++;
			if (text[end] === '+' || text[end] === '-') end++;
			while (end < text.length && isDigit(text.charCodeAt(end))) end++;
		}
		// Digits with leading zeros (007…) are no JSON number: left as they are, for JSON.parse to
		// refuse. Quoted they would pass, and typed JSON checked this way is sent as written.
		if (isInteger && !/^0\d/.test(digits) && isUnsafeInteger(digits)) {
			out += `${text.slice(copiedUpTo, start)}"${text.slice(start, end)}"`;
			copiedUpTo = end;
		}
		i = end - 1;
	}
	return out + text.slice(copiedUpTo);
}

function isDigit(ch: number): boolean {
	return ch >= 0x30 && ch <= 0x39;
}

/** JSON text to be written into a request body exactly as it is. */
export class RawJson {
	constructor(readonly text: string) {}
}

/** JSON.stringify for request bodies, writing RawJson as its text; undefined properties are left out. */
export function stringifyJson(value: unknown): string {
	if (value instanceof RawJson) return value.text;
	if (Array.isArray(value))
		return `[${value.map((entry) => (entry === undefined ? 'null' : stringifyJson(entry))).join(',')}]`;
	if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
		const fields: string[] = [];
		for (const [key, entry] of Object.entries(value)) {
			if (entry !== undefined) fields.push(`${JSON.stringify(key)}:${stringifyJson(entry)}`);
		}
		return `{${fields.join(',')}}`;
	}
	return JSON.stringify(value) ?? 'null';
}
