import { Redactor, snippet } from '../../nodes/Coze/transport/http/redaction';

const KEY_BODY = ['MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7', 'VJTUt9Us8cKjMzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDuictGeurT8jNb', 'vJZtnjSMqq7GPXW3Qa2uk7Hs4LuYXeWWqRw5J2WTfAbsTSxB9xYgBkpNQ4+3'];
const PRIVATE_KEY = ['-----BEGIN PRIVATE KEY-----', ...KEY_BODY, '-----END PRIVATE KEY-----'].join('\n');

describe('Redactor', () => {
	const redact = new Redactor(['pat_simulator_token_0123456789', PRIVATE_KEY, undefined, '  ']);

	it('replaces every occurrence of each secret, in text and deep in values, object keys included', () => {
		expect(redact.text('a pat_simulator_token_0123456789 b pat_simulator_token_0123456789')).toBe('a [redacted] b [redacted]');
		expect(redact.deep({ list: ['x pat_simulator_token_0123456789'], ['pat_simulator_token_0123456789']: 1, n: 5, ok: true, nothing: null })).toEqual({
			list: ['x [redacted]'],
			'[redacted]': 1,
			n: 5,
			ok: true,
			nothing: null,
		});
	});

	it('removes a private key whole, and each of its lines when a server re-wraps it', () => {
		expect(redact.text(`key: ${PRIVATE_KEY}`)).toBe('key: [redacted]');
		const rewrapped = KEY_BODY.join('\r\n  ');
		expect(redact.text(rewrapped)).not.toMatch(/MIIE|VJTU|vJZt/);
	});
});

describe('snippet', () => {
	it('never cuts inside a token-like run: the run is dropped whole', () => {
		const text = `${'a '.repeat(50)}pat_simulator_token_0123456789 tail`;
		const cut = snippet(text, 110);
		expect(cut).toBe(`${'a '.repeat(50).trimEnd()}…`);
	});

	it('folds whitespace and keeps short text as it is', () => {
		expect(snippet(' one\n\ttwo  ', 200)).toBe('one two');
	});
});
