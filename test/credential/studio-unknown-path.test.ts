import type { ICredentialTestFunctions } from 'n8n-workflow';

import { Coze } from '../../nodes/Coze/Coze.node';
import { CozeError } from '../../nodes/Coze/transport/http/coze-error';
import {
	isStudioUnknownPath,
	namesMissingSessionKey,
} from '../../nodes/Coze/transport/http/envelope';
import { sendJson } from '../simulator/flavours';
import { CozeSimulator } from '../simulator/server';
import { sendStudioBefore05UnknownPath } from '../simulator/studio-before-0.5';
import { stopSimulator } from '../simulator/stop';

async function testCredential(data: Record<string, unknown>) {
	const credentialTest = new Coze().methods.credentialTest.cozeApiCredentialTest;
	return await credentialTest.call({} as ICredentialTestFunctions, {
		id: '1',
		name: 'Coze',
		type: 'cozeApi',
		data: data as never,
	});
}

describe("how the node knows Coze Studio does not serve a path (so it asks one Studio serves): by Studio's code", () => {
	let sim: CozeSimulator;
	beforeEach(async () => (sim = await CozeSimulator.start({ flavour: 'studio' })));
	afterEach(() => stopSimulator(sim));

	it("takes Studio's web-API refusal (HTTP 401, code 401) whatever its words say", async () => {
		// Studio's httputil.Unauthorized writes the HTTP status as the code (coze-studio
		// backend/api/internal/httputil/error_resp.go). Other words: no evidence, they stand for a
		// Studio whose message changed (a message is no API contract).
		sim.override('/v1/users/me', (_req, res) =>
			sendJson(res, 'studio', 401, { code: 401, msg: '请先登录' }),
		);
		expect(
			await testCredential({ region: 'custom', baseUrl: sim.baseUrl, accessToken: sim.token }),
		).toEqual({ status: 'OK', message: 'Connected to Coze Studio: the token was accepted' });
	});

	it("reads Studio's words only where its code cannot tell: Studio before 0.5 answered an unknown path with the wrong token's code", async () => {
		sim.override('/v1/users/me', (_req, res) => sendStudioBefore05UnknownPath(res));
		expect(
			await testCredential({ region: 'custom', baseUrl: sim.baseUrl, accessToken: sim.token }),
		).toEqual({ status: 'OK', message: 'Connected to Coze Studio: the token was accepted' });

		sim.override('/v1/users/me', (_req, res) => sendStudioBefore05UnknownPath(res));
		const wrong = await testCredential({
			region: 'custom',
			baseUrl: sim.baseUrl,
			accessToken: 'pat_wrong_but_plausible',
		});
		expect(wrong).toEqual({
			status: 'Error',
			message: expect.stringMatching(
				/^Coze error 700012006: authentication failed: api key invalid/,
			),
		});
	});

	it('lets a code decide over the words, and falls back on the words only without a deciding code', () => {
		const refusal = (httpStatus: number, cozeCode: number | undefined, msg: string) =>
			new CozeError(`Coze error ${cozeCode ?? httpStatus}: ${msg}`, {
				kind: 'api',
				httpStatus,
				cozeCode,
			});
		expect(isStudioUnknownPath(refusal(401, 401, 'anything'))).toBe(true);
		// The cloud's wrong token is code 4100: never an unknown path, whatever it says.
		expect(isStudioUnknownPath(refusal(401, 4100, 'missing session_key in cookie'))).toBe(false);
		expect(
			isStudioUnknownPath(
				refusal(200, 700012006, 'authentication failed: missing session_key in cookie'),
			),
		).toBe(true);
		expect(
			isStudioUnknownPath(refusal(200, 700012006, 'authentication failed: api key invalid')),
		).toBe(false);
		expect(isStudioUnknownPath(refusal(401, undefined, 'missing session_key in cookie'))).toBe(
			true,
		);
		expect(isStudioUnknownPath(new Error('missing session_key in cookie'))).toBe(false);
		expect(namesMissingSessionKey('authentication failed: missing session_key in cookie')).toBe(
			true,
		);
		expect(namesMissingSessionKey('authentication failed: api key invalid')).toBe(false);
	});
});
