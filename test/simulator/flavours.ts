import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';

/** Which real server the simulator imitates: the Coze cloud (coze.cn / coze.com) or Coze Studio. */
export type Flavour = 'cloud' | 'studio';

let logCounter = 0;
/** The cloud's log id: a digit string here (its real format is not in any SDK fixture: no evidence). */
export function nextLogId(): string {
	logCounter += 1;
	return `20261124${String(logCounter).padStart(12, '0')}`;
}

/**
 * Sends JSON with the log id header each flavour uses: the cloud's x-tt-logid (cozepy request.py
 * reads it), Studio's X-Log-ID, a UUID v4 (coze-studio api/middleware/log.go, SetLogIDMW).
 */
export function sendJson(
	res: ServerResponse,
	flavour: Flavour,
	status: number,
	body: unknown,
): void {
	const logId = flavour === 'cloud' ? nextLogId() : randomUUID();
	res.writeHead(status, {
		'content-type': 'application/json; charset=utf-8',
		[flavour === 'cloud' ? 'x-tt-logid' : 'X-Log-ID']: logId,
	});
	res.end(JSON.stringify(body));
}

/**
 * A wrong or missing token. The cloud: HTTP 401 with code 4100 (coze-js error.ts maps 401 and 4100
 * to AuthenticationError; the msg text and detail.logid are coze-api.md's, no fixture). Studio:
 * HTTP 200 with 700012006 "authentication failed: …" (coze-studio api/middleware/openapi_auth.go,
 * types/errno/user.go).
 */
export function sendBadToken(res: ServerResponse, flavour: Flavour): void {
	if (flavour === 'cloud') {
		sendJson(res, flavour, 401, {
			code: 4100,
			msg: 'authentication is invalid',
			detail: { logid: nextLogId() },
		});
	} else {
		sendJson(res, flavour, 200, { code: 700012006, msg: 'authentication failed: api key invalid' });
	}
}

/**
 * A path the server does not serve. Studio's session middleware answers every such path with 401
 * "missing session_key in cookie" (coze-studio api/middleware/session.go, request_inspector.go).
 * The cloud's answer is not in any SDK fixture (no evidence): a 404 with 4200 here.
 */
export function sendUnknownPath(res: ServerResponse, flavour: Flavour): void {
	if (flavour === 'studio')
		sendJson(res, flavour, 401, { code: 401, msg: 'missing session_key in cookie' });
	else sendJson(res, flavour, 404, { code: 4200, msg: 'resource not found' });
}
