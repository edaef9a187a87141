import { connectionFromCredentials } from '../../nodes/Coze/transport/http/connection';
import {
	JsonTooDeep,
	MAX_JSON_DEPTH,
	parseJsonKeepingLongIntegers,
	RawJson,
	stringifyJson,
	textOfServerValue,
} from '../../nodes/Coze/transport/http/lossless-json';

describe('connectionFromCredentials', () => {
	it('maps the regions to the cloud API hosts', () => {
		expect(connectionFromCredentials({ region: 'cn', accessToken: 'pat_x' }).baseUrl).toBe(
			'https://api.coze.cn',
		);
		expect(connectionFromCredentials({ region: 'com', accessToken: 'pat_x' }).baseUrl).toBe(
			'https://api.coze.com',
		);
	});

	it('takes a custom base URL without its trailing slash', () => {
		expect(
			connectionFromCredentials({
				region: 'custom',
				baseUrl: ' http://localhost:8888/ ',
				accessToken: 'pat_x',
			}).baseUrl,
		).toBe('http://localhost:8888');
		expect(
			connectionFromCredentials({
				region: 'custom',
				baseUrl: 'https://coze.example.com/api/',
				accessToken: 'pat_x',
			}).baseUrl,
		).toBe('https://coze.example.com/api');
	});

	it.each([
		[{ region: 'cn', accessToken: '  ' }, /no Access Token/],
		[{ region: 'custom', baseUrl: 'localhost:8888', accessToken: 'pat_x' }, /must start with http/],
		[
			{ region: 'custom', baseUrl: 'not a url', accessToken: 'pat_x' },
			/Base URL "not a url" is not a URL/,
		],
		[{ region: 'custom', baseUrl: 'http://u:p@host', accessToken: 'pat_x' }, /plain address/],
		[{ region: 'mars', accessToken: 'pat_x' }, /unknown Region "mars"/],
		[
			{ region: 'custom', baseUrl: 'http://coze.example.com', accessToken: 'pat_x' },
			/must use https:\/\/ for coze\.example\.com/,
		],
		[
			{ region: 'custom', baseUrl: 'http://8.8.8.8:8888', accessToken: 'pat_x' },
			/must use https:\/\/ for 8\.8\.8\.8/,
		],
		[
			{ region: 'custom', baseUrl: 'http://172.32.0.1', accessToken: 'pat_x' },
			/must use https:\/\//,
		],
		[
			{ region: 'custom', baseUrl: 'http://localhost:8888/?', accessToken: 'pat_x' },
			/must be a plain address/,
		],
		[
			{ region: 'custom', baseUrl: 'http://localhost:8888/#', accessToken: 'pat_x' },
			/must be a plain address/,
		],
		[
			{ region: 'custom', baseUrl: 'https://coze.example.com/?x=1', accessToken: 'pat_x' },
			/must be a plain address/,
		],
		[
			{ region: 'custom', baseUrl: 'http://169.254.169.254', accessToken: 'pat_x' },
			/must use https:\/\/ for 169\.254\.169\.254/,
		],
		[
			{ region: 'custom', baseUrl: 'http://[fe80::1]:8888', accessToken: 'pat_x' },
			/must use https:\/\//,
		],
		[
			{ region: 'custom', baseUrl: 'http://[fd00:ec2::254]', accessToken: 'pat_x' },
			/must use https:\/\//,
		],
		[
			{ region: 'custom', baseUrl: 'http://metadata.google.internal', accessToken: 'pat_x' },
			/must use https:\/\/ for metadata\.google\.internal/,
		],
		[
			{ region: 'custom', baseUrl: 'http://metadata/computeMetadata', accessToken: 'pat_x' },
			/must use https:\/\/ for metadata/,
		],
		[
			{ region: 'custom', baseUrl: 'http://[::ffff:8.8.8.8]', accessToken: 'pat_x' },
			/must use https:\/\//,
		],
	])('names the wrong field of %j', (credentials, message) => {
		expect(() => connectionFromCredentials(credentials)).toThrow(message);
	});
});

describe('the request policy of each server', () => {
	it('waits 600 s for a Coze Studio (Custom) that sends no heartbeat, 120 s for the cloud, unless told otherwise', () => {
		const studio = { region: 'custom', baseUrl: 'http://localhost:8888', accessToken: 'pat_x' };
		expect(connectionFromCredentials(studio).policy).toMatchObject({
			idleTimeoutMs: 600_000,
			maxRetries: 3,
			runTimeLimitMs: 660_000,
		});
		expect(connectionFromCredentials({ region: 'cn', accessToken: 'pat_x' }).policy).toMatchObject({
			idleTimeoutMs: 120_000,
		});
		expect(
			connectionFromCredentials(studio, { idleTimeoutMs: 5_000, maxRetries: 0 }).policy,
		).toMatchObject({ idleTimeoutMs: 5_000, maxRetries: 0, connectTimeoutMs: 10_000 });
	});
});

describe('plain http:// for a self-hosted Coze Studio', () => {
	it.each([
		'http://localhost:8888',
		'http://127.0.0.1:8888',
		'http://[::ffff:127.0.0.1]:8888',
		'http://[::ffff:192.168.1.20]',
		'http://10.1.2.3',
		'http://172.20.0.5:8888',
		'http://192.168.1.20',
		'http://[::1]:8888',
		'http://[fd00::5]',
		'http://coze-server:8888',
		'http://studio.local',
		'https://coze.example.com',
	])('is allowed for %s', (baseUrl) => {
		expect(
			connectionFromCredentials({ region: 'custom', baseUrl, accessToken: 'pat_x' }).baseUrl,
		).toBe(new URL(baseUrl).href.replace(/\/$/, ''));
	});
});

describe('parseJsonKeepingLongIntegers', () => {
	it('keeps 19-digit integers exact, as strings, and leaves the rest alone', () => {
		const text =
			'{"execute_id":7404830425073352713,"n":-1234567890123456789,"small":42,"f":1.5,"e":12345678901234567e2,"s":"7404830425073352713 \\" 1234567890123456789"}';
		expect(parseJsonKeepingLongIntegers(text)).toEqual({
			execute_id: '7404830425073352713',
			n: '-1234567890123456789',
			small: 42,
			f: 1.5,
			e: 12345678901234567e2,
			s: '7404830425073352713 " 1234567890123456789',
		});
	});

	it.each([
		['[9007199254740991, -9007199254740991]', [9007199254740991, -9007199254740991]],
		['[9007199254740992, -9007199254740993]', ['9007199254740992', '-9007199254740993']],
		['[1234567890123456, -1234567890123456]', [1234567890123456, -1234567890123456]],
		[
			'{"id":7404830425073352713,"score":0.30000000000000004}',
			{ id: '7404830425073352713', score: 0.30000000000000004 },
		],
		[
			'[12345678901234567890.5, 1.2345678901234567890e5, 12345678901234567890E-3, -0.000000000000000001]',
			[12345678901234567890.5, 1.234567890123456789e5, 12345678901234567890e-3, -1e-18],
		],
		[
			'[[7404830425073352713],{"a":[-7404830425073352713]}]',
			[['7404830425073352713'], { a: ['-7404830425073352713'] }],
		],
	])('reads %s with only unsafe integers as strings', (text, expected) => {
		expect(parseJsonKeepingLongIntegers(text)).toEqual(expected);
	});
});

describe('JSON from a server, nested too deep or of the wrong type', () => {
	const nested = (depth: number) => `${'[{"a":'.repeat(depth / 2)}1${'}]'.repeat(depth / 2)}`;

	it(`reads ${MAX_JSON_DEPTH} levels and refuses one more, two million deep included, without overflowing the stack`, () => {
		expect(() => parseJsonKeepingLongIntegers(nested(MAX_JSON_DEPTH))).not.toThrow();
		expect(() => parseJsonKeepingLongIntegers(`[${nested(MAX_JSON_DEPTH)}]`)).toThrow(JsonTooDeep);
		expect(() =>
			parseJsonKeepingLongIntegers(`${'['.repeat(2_000_000)}${']'.repeat(2_000_000)}`),
		).toThrow(JsonTooDeep);
		// Nesting inside a string is text, not depth.
		expect(parseJsonKeepingLongIntegers(JSON.stringify({ content: '['.repeat(10_000) }))).toEqual({
			content: '['.repeat(10_000),
		});
	});

	it.each([
		['text', 'as is', 'as is'],
		['nothing', undefined, ''],
		['null', null, ''],
		['a number', 42, '42'],
		['an object', { a: [1, '7404830425073352713'] }, '{"a":[1,"7404830425073352713"]}'],
	])('gives %s where text belongs as text', (_what, value, text) => {
		expect(textOfServerValue(value)).toBe(text);
	});
});

describe('stringifyJson', () => {
	it('writes RawJson as it is and the rest as JSON.stringify does, leaving undefined out', () => {
		const body = {
			workflow_id: '7404830425073352713',
			parameters: new RawJson('{"n": 7404830425073352713, "x": 1e400}'),
			bot_id: undefined,
			ext: { a: 'b' },
			list: [1, 'two', null],
		};
		expect(stringifyJson(body)).toBe(
			'{"workflow_id":"7404830425073352713","parameters":{"n": 7404830425073352713, "x": 1e400},"ext":{"a":"b"},"list":[1,"two",null]}',
		);
	});
});
