/**
 * A Coze error code as a number, from wherever a server put it: a JSON number (the cloud), a
 * string of digits (Coze Studio, the chatflow page's `conversation.chat.failed`, run histories).
 * Undefined for anything else, and for a code no JavaScript number holds exactly: a rounded code
 * would name another error.
 */
export function errorCode(code: unknown): number | undefined {
	if (typeof code === 'number') return Number.isSafeInteger(code) ? code : undefined;
	if (typeof code !== 'string' || !/^-?\d+$/.test(code.trim())) return undefined;
	const value = Number(code);
	return Number.isSafeInteger(value) ? value : undefined;
}
