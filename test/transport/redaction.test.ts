import { Redactor } from '../../nodes/Coze/transport/http/redaction';

const KEY_BODY = [
	'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7',
	'VJTUt9Us8cKjMzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDuictGeurT8jNb',
	'vJZtnjSMqq7GPXW3Qa2uk7Hs4LuYXeWWqRw5J2WTfAbsTSxB9xYgBkpNQ4+3',
];
const PRIVATE_KEY = ['-----BEGIN PRIVATE KEY-----', ...KEY_BODY, '-----END PRIVATE KEY-----'].join(
	'\n',
);

describe('Redactor', () => {
	const redact = new Redactor(['pat_simulator_token_0123456789', PRIVATE_KEY, undefined, '  ']);

	it('replaces every occurrence of each secret, in text and deep in values, object keys included', () => {
		expect(redact.text('a pat_simulator_token_0123456789 b pat_simulator_token_0123456789')).toBe(
			'a [redacted] b [redacted]',
		);
		expect(
			redact.deep({
				list: ['x pat_simulator_token_0123456789'],
				['pat_simulator_token_0123456789']: 1,
				n: 5,
				ok: true,
				nothing: null,
			}),
		).toEqual({
			list: ['x [redacted]'],
			'[redacted]': 1,
			n: 5,
			ok: true,
			nothing: null,
		});
	});

	it('copies a value nested a million deep without overflowing the stack, and keeps a "__proto__" key a key', () => {
		let deep: unknown = 'pat_simulator_token_0123456789';
		for (let i = 0; i < 1_000_000; i++) deep = i % 2 ? [deep] : { next: deep };
		let copied = redact.deep(deep);
		for (let i = 999_999; i >= 0; i--)
			copied = i % 2 ? (copied as unknown[])[0] : (copied as { next: unknown }).next;
		expect(copied).toBe('[redacted]');
		const withProto = redact.deep(
			JSON.parse('{"__proto__":{"polluted":true},"a":1}') as Record<string, unknown>,
		);
		expect(Object.keys(withProto)).toEqual(['__proto__', 'a']);
		expect(Object.getPrototypeOf(withProto)).toBe(Object.prototype);
	});

	it('removes a private key whole, and each of its lines when a server re-wraps it', () => {
		expect(redact.text(`key: ${PRIVATE_KEY}`)).toBe('key: [redacted]');
		const rewrapped = KEY_BODY.join('\r\n  ');
		expect(redact.text(rewrapped)).not.toMatch(/MIIE|VJTU|vJZt/);
	});
});

describe('Redactor.snippet', () => {
	const none = new Redactor([]);

	it('never cuts inside a token-like run: the run is dropped whole', () => {
		const text = `${'a '.repeat(50)}pat_simulator_token_0123456789 tail`;
		const cut = none.snippet(text, 110);
		expect(cut).toBe(`${'a '.repeat(50).trimEnd()}…`);
	});

	it('folds whitespace and keeps short text as it is', () => {
		expect(none.snippet(' one\n\ttwo  ', 200)).toBe('one two');
	});

	it('redacts before it cuts: a secret across the cut, whatever characters it has, leaves nothing of itself', () => {
		const odd = 'pat:simulator!token#0123456789';
		const redact = new Redactor([odd]);
		for (let cut = 1; cut < odd.length; cut++) {
			const shown = redact.snippet(`${'b'.repeat(100 - cut)} ${odd} tail`, 101);
			expect(shown).not.toMatch(/pat|simulator|token|0123/);
		}
		expect(redact.snippet(`say ${odd} and more`, 22)).toBe('say [redacted] and…');
	});
});

describe('Redactor: the parts of a JWT', () => {
	const jwt = [
		'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6ImtpZF8xIn0',
		'eyJpc3MiOiIxMTcwMDAwMDAwMDAwMDAwMDAxIiwianRpIjoiYWJjIn0',
		'c2lnbmF0dXJlX29mX3RoZV9qd3RfaXNfbG9uZ19lbm91Z2g',
	].join('.');
	const [header, payload, signature] = jwt.split('.');
	const redact = new Redactor([], () => [jwt]);

	it('removes the whole JWT, and each part echoed alone (payload, signature, and the header too)', () => {
		expect(redact.text(`bearer ${jwt}`)).toBe('bearer [redacted]');
		expect(redact.text(`sig=${signature}; claims=${payload}; head=${header}`)).toBe(
			'sig=[redacted]; claims=[redacted]; head=[redacted]',
		);
		expect(redact.finds(`x${signature.slice(3)}`)).toBe(false);
		expect(redact.finds(`x${signature}`)).toBe(true);
	});
});

describe('Redactor.stream', () => {
	const token = 'pat_simulator_token_0123456789';
	const redact = new Redactor([token, PRIVATE_KEY]);
	const text = `答案是 ${token}，还有 ${KEY_BODY[1]} 以及 pat 和 p`;

	function streamed(pieces: string[]): string[] {
		const stream = redact.stream();
		return [...pieces.map((piece) => stream.push(piece)), stream.flush()];
	}

	it('gives, for every place one cut can fall, the text a whole redaction gives, and no half of a secret ever leaves in one piece', () => {
		for (let cut = 0; cut <= text.length; cut++) {
			const out = streamed([text.slice(0, cut), text.slice(cut)]);
			expect(out.join('')).toBe(redact.text(text));
			for (const piece of out) expect(piece).not.toContain(token.slice(0, 12));
		}
	});

	it('survives the text cut into single characters', () => {
		const out = streamed([...text]);
		expect(out.join('')).toBe(redact.text(text));
		expect(out.join('')).not.toContain(token);
	});

	it('holds back only an end that could start a secret: ordinary text leaves at once', () => {
		const stream = redact.stream();
		expect(stream.push('你好，世界')).toBe('你好，世界');
		expect(stream.push(' and pat_sim')).toBe(' and ');
		expect(stream.push('ple')).toBe('pat_simple');
		expect(stream.push(' end p')).toBe(' end ');
		expect(stream.flush()).toBe('p');
	});
});
