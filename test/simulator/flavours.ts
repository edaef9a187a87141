import type { ServerResponse } from 'node:http';

/** Which real server the simulator imitates: the Coze cloud (coze.cn / coze.com) or Coze Studio. */
export type Flavour = 'cloud' | 'studio';

let logCounter = 0;
export function nextLogId(): string {
	logCounter += 1;
	return `20261124${String(logCounter).padStart(12, '0')}`;
}

/** Sends JSON with the log id header each flavour uses. */
export function sendJson(res: ServerResponse, flavour: Flavour, status: number, body: unknown): void {
	const logId = nextLogId();
	res.writeHead(status, {
		'content-type': 'application/json; charset=utf-8',
		[flavour === 'cloud' ? 'x-tt-logid' : 'X-Log-ID']: logId,
	});
	res.end(JSON.stringify(body));
}

/** A wrong or missing token, as each flavour answers it (Studio: HTTP 200 with its own code). */
export function sendBadToken(res: ServerResponse, flavour: Flavour): void {
	if (flavour === 'cloud') {
		sendJson(res, flavour, 401, {
			code: 4100,
			msg: 'authentication is invalid',
			detail: { logid: nextLogId() },
		});
	} else {
		sendJson(res, flavour, 200, { code: 700012006, msg: 'access token invalid' });
	}
}

/** A path the server does not serve. Studio's session middleware answers every such path with 401. */
export function sendUnknownPath(res: ServerResponse, flavour: Flavour): void {
	if (flavour === 'studio') sendJson(res, flavour, 401, { code: 401, msg: 'missing session_key in cookie' });
	else sendJson(res, flavour, 404, { code: 4200, msg: 'resource not found' });
}
