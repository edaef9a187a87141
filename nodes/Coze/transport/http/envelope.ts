import { CozeError } from './coze-error';
import { textOfServerValue } from './lossless-json';
import { permissionOf, type EndpointPermission } from './permissions';

/** Coze's JSON answer: `code` 0 and `data`, or a non-zero `code` with `msg`. */
export interface CozeEnvelope {
	code?: number;
	msg?: unknown;
	/** What coze-js's streaming test sends in place of msg ({"code": 4101, "message": "Unauthorized"}). */
	message?: unknown;
	detail?: { logid?: unknown };
	/** The run that failed (cozepy request.py reads it; Coze Studio's run handler sets it). */
	debug_url?: unknown;
	/** OAuth's error fields (the token exchange's errors: coze-go error.go authErrorFormat, coze-java CozeError). */
	error_code?: unknown;
	error_message?: unknown;
}

/** Coze Studio answers a token it does not know with this code, on HTTP 200. */
export const STUDIO_INVALID_TOKEN_CODE = 700012006;

/**
 * Coze Studio's refusal of a request its web API would serve with a login: its session middleware
 * answers every path Studio does not serve to a token this way, whatever the token (a path to ask
 * elsewhere, not a bad token). From v0.5.0 that is HTTP 401 with code 401, as Studio's
 * httputil.Unauthorized writes the HTTP status as the code (coze-studio
 * backend/api/internal/httputil/error_resp.go, backend/api/middleware/session.go); the cloud's
 * 401 is code 4100.
 */
const STUDIO_LOGIN_REQUIRED_CODE = 401;

/**
 * Whether Coze Studio said it does not serve the path to a token: by its code, or, where the code
 * cannot tell, by its words (namesMissingSessionKey). Studio before v0.5.0 answered with HTTP 200
 * and the code of a wrong token, 700012006, whose reason alone says "missing session_key in
 * cookie" (session.go before coze-studio commit 2b021a3d4); an answer without a code has only
 * words.
 */
export function isStudioUnknownPath(error: unknown): boolean {
	if (!(error instanceof CozeError)) return false;
	if (error.httpStatus === 401 && error.cozeCode === STUDIO_LOGIN_REQUIRED_CODE) return true;
	const codeCannotTell =
		error.cozeCode === undefined
			? error.httpStatus === 401
			: error.cozeCode === STUDIO_INVALID_TOKEN_CODE;
	return codeCannotTell && namesMissingSessionKey(error.message);
}

/** Fallback where no code tells: Studio's session middleware names the cookie it misses, "session_key". */
export function namesMissingSessionKey(message: string): boolean {
	return /session_key/i.test(message);
}

const OTHER_SITE = 'a coze.com token is refused by coze.cn and the reverse.';
const REGION_HINT = `Check that the access token is valid and not expired, and that the credential's Region matches the site where the token was made: ${OTHER_SITE}`;

const PUBLISH_HINT =
	'Check the ID. A workflow must be published before the API can run it: publish it in Coze (or Coze Studio) and run again.';

/** Coze Studio's codes for an unpublished workflow: its internal one, and the one its OpenAPI maps it to (coze-studio types/errno/workflow.go). */
const STUDIO_NOT_PUBLISHED_CODES = new Set([720702011, 6031]);

/** A refusal for want of a permission: HTTP 403, or code 4101 (coze-js maps both to PermissionDeniedError). */
export function isPermissionRefusal(
	httpStatus: number | undefined,
	code: number | undefined,
): boolean {
	return httpStatus === 403 || code === 4101;
}

/**
 * What to grant, named by the endpoint that was refused. coze-js treats 4101 as a missing
 * permission and warns it may be a coze.com token sent to coze.cn: the hint says both.
 */
function permissionHint(needed: EndpointPermission | undefined): string {
	const region = `Or the credential's Region is not the site the token was made on: ${OTHER_SITE}`;
	if (!needed)
		return `The token lacks a permission: in Coze, edit the token to grant the needed scope (workflow, file) and access to the workspace. ${region}`;
	return `The token lacks the ${needed.permission} permission, which ${needed.use} needs: in Coze, edit the personal access token to add ${needed.permission} and access to the workspace. ${region}`;
}

/** What the user should do about each family of Coze errors (codes as Coze's own SDKs and Coze Studio map them). */
function hintFor(
	httpStatus: number,
	code: number | undefined,
	needed: EndpointPermission | undefined,
): string | undefined {
	if (httpStatus === 401 || code === 4100 || code === STUDIO_INVALID_TOKEN_CODE) return REGION_HINT;
	if (isPermissionRefusal(httpStatus, code)) return permissionHint(needed);
	if (httpStatus === 404 || code === 4200 || STUDIO_NOT_PUBLISHED_CODES.has(code ?? 0))
		return PUBLISH_HINT;
	if (httpStatus === 429 || code === 4013)
		return 'Coze limits how many requests a token may make per second (about 10 for uploads on a personal plan). Wait and retry, or send fewer items at once.';
	if (code === 6003)
		return 'Asynchronous runs are a paid Coze feature this account does not have: set Run Mode to Stream.';
	if (code === 6039)
		return 'A synchronous run cannot stop to ask a question: set Run Mode to Stream, whose questions leave by the Interrupts output.';
	if (code === 4000) return 'Coze found a field of the request invalid: see its message.';
	if (httpStatus >= 500)
		return 'Coze had a problem of its own. Try again later; if it persists, give Coze support the log id.';
	return undefined;
}

/** Coze's error envelope as a CozeError; `path` is the endpoint that answered it, which names the permission a 4101 lacks. */
export function apiErrorFromEnvelope(
	envelope: CozeEnvelope,
	httpStatus: number,
	headerLogId: string | undefined,
	path?: string,
): CozeError {
	const code = typeof envelope.code === 'number' && envelope.code !== 0 ? envelope.code : undefined;
	const oauthCode =
		typeof envelope.error_code === 'string' && envelope.error_code
			? envelope.error_code
			: undefined;
	const said = envelope.msg ?? envelope.message ?? envelope.error_message;
	const msg = textOfServerValue(said);
	const logId = typeof envelope.detail?.logid === 'string' ? envelope.detail.logid : headerLogId;
	const debugUrl =
		typeof envelope.debug_url === 'string' && envelope.debug_url ? envelope.debug_url : undefined;
	const what =
		code !== undefined ? `error ${code}` : oauthCode ? `error ${oauthCode}` : `HTTP ${httpStatus}`;
	const message = `Coze ${what}${msg ? `: ${msg}` : ''}${logId ? ` (log id ${logId})` : ''}`;
	const needed = isPermissionRefusal(httpStatus, code) ? permissionOf(path) : undefined;
	const hint = hintFor(httpStatus, code, needed);
	return new CozeError(message, {
		kind: 'api',
		httpStatus,
		cozeCode: code,
		oauthCode,
		logId,
		debugUrl,
		permission: needed,
		description:
			[hint, debugUrl ? `See the run in Coze: ${debugUrl}` : undefined].filter(Boolean).join(' ') ||
			undefined,
	});
}
