/**
 * JSON.parse that keeps long integers exact. Coze ids are 19-digit numbers, beyond
 * Number.MAX_SAFE_INTEGER; some answers (Coze Studio's run history) send them as JSON numbers,
 * which JSON.parse would round. Every integer literal longer than 15 digits is read as a string.
 */
const SAFE_DIGITS = 15;
const LONG_LITERAL_CANDIDATE = /[:,[]\s*-?\d{16}/;

export function parseJsonKeepingLongIntegers(text: string): unknown {
	return JSON.parse(quoteLongIntegers(text));
}

function quoteLongIntegers(text: string): string {
	// Fast path: a long integer literal can only follow ":", "," or "[". Long digit runs inside
	// strings (ids already sent as strings) do not match, so most texts skip the scan.
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
		const isDigit = ch >= 0x30 && ch <= 0x39;
		if (!isDigit && ch !== 0x2d /* - */) continue;
		let end = i + (ch === 0x2d ? 1 : 0);
		while (end < text.length && text.charCodeAt(end) >= 0x30 && text.charCodeAt(end) <= 0x39) end++;
		const digits = end - i - (ch === 0x2d ? 1 : 0);
		const next = text[end];
		const isInteger = next !== '.' && next !== 'e' && next !== 'E';
		if (digits > SAFE_DIGITS && isInteger) {
			out += `${text.slice(copiedUpTo, i)}"${text.slice(i, end)}"`;
			copiedUpTo = end;
		}
		i = end - 1;
	}
	return out + text.slice(copiedUpTo);
}
