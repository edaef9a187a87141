import { requestCozeJson } from '../../nodes/Coze/transport/http/client';
import type { CozeConnection } from '../../nodes/Coze/transport/http/connection';
import { CozeError } from '../../nodes/Coze/transport/http/coze-error';
import { DEFAULT_POLICY } from '../../nodes/Coze/transport/http/policy';
import { stopSimulator } from '../simulator/stop';
import { CozeSimulator } from '../simulator/server';

async function caught(promise: Promise<unknown>): Promise<CozeError> {
	try {
		await promise;
	} catch (error) {
		if (error instanceof CozeError) return error;
		throw error;
	}
	throw new Error('expected the request to fail');
}

describe('transport client against the simulator', () => {
	let sim: CozeSimulator;
	let connection: CozeConnection;

	beforeEach(async () => {
		sim = await CozeSimulator.start({ flavour: 'cloud' });
		// No retries here: these tests look at how one answer becomes an error (test/faults covers retries).
		connection = {
			baseUrl: sim.baseUrl,
			accessToken: sim.token,
			policy: { ...DEFAULT_POLICY, maxRetries: 0 },
		};
	});
	afterEach(() => stopSimulator(sim));

	const me = (conn: CozeConnection) =>
		requestCozeJson(conn, { method: 'GET', path: '/v1/users/me', kind: 'read' });

	it('sends the bearer token and returns the envelope', async () => {
		const answer = (await me(connection)) as { data: { user_id: string } };
		expect(answer.data.user_id).toBe('7404830425073352713');
		expect(sim.requests[0].authorization).toBe(`Bearer ${sim.token}`);
	});

	it('turns a 401 into an error with code, message, log id and the region hint, without the token', async () => {
		const error = await caught(me({ ...connection, accessToken: 'pat_wrong_token_value' }));
		expect(error.kind).toBe('api');
		expect(error.httpStatus).toBe(401);
		expect(error.cozeCode).toBe(4100);
		expect(error.message).toMatch(/^Coze error 4100: authentication is invalid \(log id \d+\)$/);
		expect(error.description).toMatch(/coze\.com token is refused by coze\.cn/);
		expect(JSON.stringify({ ...error, m: error.message })).not.toContain('pat_wrong_token_value');
	});

	it('treats HTTP 200 with a non-zero code as an error', async () => {
		sim.override('/v1/users/me', (_req, res) => {
			res.writeHead(200, { 'content-type': 'application/json', 'x-tt-logid': 'LOG-200' });
			res.end(JSON.stringify({ code: 4000, msg: 'invalid parameter: workflow_id' }));
		});
		const error = await caught(me(connection));
		expect(error).toMatchObject({ kind: 'api', httpStatus: 200, cozeCode: 4000, logId: 'LOG-200' });
		expect(error.message).toBe('Coze error 4000: invalid parameter: workflow_id (log id LOG-200)');
	});

	it("reads the log id from Coze Studio's X-Log-ID header and from the body's detail", async () => {
		sim.override('/v1/users/me', (_req, res) => {
			res.writeHead(500, { 'content-type': 'application/json', 'X-Log-ID': 'STUDIO-LOG' });
			res.end(JSON.stringify({ code: 5000, msg: 'internal' }));
		});
		expect((await caught(me(connection))).logId).toBe('STUDIO-LOG');
		sim.override('/v1/users/me', (_req, res) => {
			res.writeHead(429, { 'content-type': 'application/json', 'x-tt-logid': 'HEADER' });
			res.end(JSON.stringify({ code: 4013, msg: 'rate limited', detail: { logid: 'BODY' } }));
		});
		const limited = await caught(me(connection));
		expect(limited).toMatchObject({ httpStatus: 429, cozeCode: 4013, logId: 'BODY' });
		expect(limited.description).toMatch(/per second/);
	});

	it('says so when an error page is not JSON', async () => {
		sim.override('/v1/users/me', (_req, res) => {
			res.writeHead(502, { 'content-type': 'text/html' });
			res.end('<html><body><h1>502 Bad Gateway</h1></body></html>');
		});
		const error = await caught(me(connection));
		expect(error.message).toBe('Coze answered HTTP 502 without a Coze error body');
		expect(error.description).toContain('502 Bad Gateway');
	});

	it('does not follow a redirect, so the token stays with the configured host', async () => {
		const elsewhere = await CozeSimulator.start();
		try {
			sim.override('/v1/users/me', (_req, res) => {
				res.writeHead(307, { location: `${elsewhere.baseUrl}/v1/users/me` });
				res.end();
			});
			const error = await caught(me(connection));
			expect(error.kind).toBe('protocol');
			expect(error.message).toMatch(/redirect \(HTTP 307\), which is not followed/);
			expect(error.description).toContain(elsewhere.baseUrl);
			expect(elsewhere.requests).toHaveLength(0);
		} finally {
			await elsewhere.close();
		}
	});

	it('names the address and what to check when the server is gone', async () => {
		const goneUrl = sim.baseUrl;
		await sim.close();
		const error = await caught(me(connection));
		expect(error.kind).toBe('network');
		expect(error.message).toBe(`Could not talk to Coze at ${goneUrl}`);
		expect(error.description).toMatch(/ECONNREFUSED/);
		sim = await CozeSimulator.start();
	});

	it('reports a stopped execution as such', async () => {
		const controller = new AbortController();
		sim.override('/v1/users/me', () => {
			controller.abort();
		});
		const error = await caught(
			requestCozeJson(connection, {
				method: 'GET',
				path: '/v1/users/me',
				kind: 'read',
				signal: controller.signal,
			}),
		);
		expect(error.kind).toBe('cancelled');
		expect(error.message).toBe('The execution was stopped while talking to Coze');
	});
});
