// The cloud's answer to a token that lacks the permission an endpoint needs: code 4101 with the
// text coze-py issue #227 quotes, HTTP 403 by coze-api.md's mapping of 4101 (no fixture shows
// the status for these endpoints: no evidence), and detail.logid as the cloud's envelopes carry it.
import type { IncomingMessage, ServerResponse } from 'node:http';

import { nextLogId, sendJson } from './flavours';

export const PERMISSION_MSG =
	'Your token does not have permission to access resource. Please verify whether the resource ID or token is correct.';

/** An override (server.ts `override`) that refuses one request as the cloud refuses a missing permission. */
export async function refuseForPermission(
	_req: IncomingMessage,
	res: ServerResponse,
	body: () => Promise<string>,
): Promise<void> {
	await body();
	sendJson(res, 'cloud', 403, { code: 4101, msg: PERMISSION_MSG, detail: { logid: nextLogId() } });
}
