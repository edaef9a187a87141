import { CozeError } from './coze-error';

/** Coze's JSON answer: `code` 0 and `data`, or a non-zero `code` with `msg`. */
export interface CozeEnvelope {
	code?: number;
	msg?: unknown;
	detail?: { logid?: unknown };
}

/** Coze Studio answers a token it does not know with this code, on HTTP 200. */
export const STUDIO_INVALID_TOKEN_CODE = 700012006;

/**
 * Coze Studio's session middleware answers every path Studio does not serve with HTTP 401
 * "missing session_key in cookie", whatever the token: a path to ask elsewhere, not a bad token.
 */
export function isStudioUnknownPath(error: unknown): boolean {
	return error instanceof CozeError && error.httpStatus === 401 && /session_key/i.test(error.message);
}

const REGION_HINT =
	'Check that the access token is valid and not expired, and that the credential\'s Region matches the site where the token was made: a coze.com token is refused by coze.cn and the reverse.';

/** What the user should do about each family of Coze errors (codes as Coze's own SDKs map them). */
function hintFor(httpStatus: number, code: number | undefined): string | undefined {
	if (httpStatus === 401 || code === 4100 || code === STUDIO_INVALID_TOKEN_CODE) return REGION_HINT;
	if (httpStatus === 403 || code === 4101)
		return 'The token lacks a permission: in Coze, edit the token to grant the needed scope (workflow, file) and access to the workspace.';
	if (httpStatus === 404 || code === 4200)
		return 'Check the ID. A workflow must be published before the API can run it.';
	if (httpStatus === 429 || code === 4013)
		return 'Coze limits how many requests a token may make per second (about 10 for uploads on a personal plan). Wait and retry, or send fewer items at once.';
	if (code === 4000) return 'Coze found a field of the request invalid: see its message.';
	if (httpStatus >= 500) return 'Coze had a problem of its own. Try again later; if it persists, give Coze support the log id.';
	return undefined;
}

export function apiErrorFromEnvelope(
	envelope: CozeEnvelope,
	httpStatus: number,
	headerLogId: string | undefined,
): CozeError {
	const code = typeof envelope.code === 'number' && envelope.code !== 0 ? envelope.code : undefined;
	const msg = typeof envelope.msg === 'string' ? envelope.msg : envelope.msg === undefined ? '' : JSON.stringify(envelope.msg);
	const logId = typeof envelope.detail?.logid === 'string' ? envelope.detail.logid : headerLogId;
	const what = code === undefined ? `HTTP ${httpStatus}` : `error ${code}`;
	const message = `Coze ${what}${msg ? `: ${msg}` : ''}${logId ? ` (log id ${logId})` : ''}`;
	return new CozeError(message, {
		kind: 'api',
		httpStatus,
		cozeCode: code,
		logId,
		description: hintFor(httpStatus, code),
	});
}
