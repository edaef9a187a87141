import { requestFailure } from '../../nodes/Coze/transport/http/client';
import { CozeError } from '../../nodes/Coze/transport/http/coze-error';
import {
	isWorthRetrying,
	mayHaveStartedRun,
	type RequestKind,
} from '../../nodes/Coze/transport/http/retry-rules';

const connection = { baseUrl: 'https://api.coze.cn', accessToken: 'pat_x' };

/** An undici failure as it arrives: its own error wrapping the socket's. */
function undiciFailure(code: string): Error {
	const socket = Object.assign(new Error(`${code} while talking`), { code });
	return Object.assign(new Error('fetch failed', { cause: socket }), {
		code: code.startsWith('UND_ERR') ? code : 'UND_ERR_SOCKET',
	});
}

const kinds: RequestKind[] = ['startsRun', 'read', 'upload'];
const decisions = (error: CozeError) => kinds.map((kind) => isWorthRetrying(kind, error));

describe('which failures are sent again, by what the request does', () => {
	it.each([
		'ECONNREFUSED',
		'ENOTFOUND',
		'EAI_AGAIN',
		'ENETUNREACH',
		'EHOSTUNREACH',
		'UND_ERR_CONNECT_TIMEOUT',
	])('%s: no connection was made, so every kind is retried and no run can have started', (code) => {
		const error = requestFailure(undiciFailure(code), connection);
		expect(error.connected).toBe(false);
		expect(error.message).toBe('Could not talk to Coze at https://api.coze.cn');
		expect(decisions(error)).toEqual([true, true, true]);
		expect(mayHaveStartedRun(error)).toBe(false);
	});

	it.each(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'ETIMEDOUT', 'ESOMETHINGNEW'])(
		'%s: the request may have arrived, so a run is not retried',
		(code) => {
			const error = requestFailure(undiciFailure(code), connection);
			expect(error.connected).toBe(true);
			expect(decisions(error)).toEqual([false, true, true]);
			expect(mayHaveStartedRun(error)).toBe(true);
		},
	);

	it.each<[number, number | undefined, boolean[], boolean]>([
		[429, 4013, [true, true, true], false],
		[200, 4013, [true, true, true], false],
		[502, undefined, [false, true, true], true],
		[503, undefined, [false, true, true], true],
		[504, undefined, [false, true, true], true],
		[500, 5000, [false, true, false], true],
		[408, undefined, [false, true, false], false],
		[400, 4000, [false, false, false], false],
		[401, 4100, [false, false, false], false],
		[200, 4200, [false, false, false], false],
	])(
		'HTTP %i with code %s: retried as %j; a run may have started: %s',
		(httpStatus, cozeCode, retried, started) => {
			const error = new CozeError('answered', { kind: 'api', httpStatus, cozeCode });
			expect(decisions(error)).toEqual(retried);
			expect(mayHaveStartedRun(error)).toBe(started);
		},
	);

	it('never retries a timeout, and counts it as a run that may have started', () => {
		const error = new CozeError('Coze sent nothing for 120 s (Idle Timeout)', { kind: 'timeout' });
		expect(decisions(error)).toEqual([false, false, false]);
		expect(mayHaveStartedRun(error)).toBe(true);
	});
});
