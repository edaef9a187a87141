import type { ServerResponse } from 'node:http';

import { sendJson } from './flavours';

/**
 * A path Coze Studio does not serve, as Studio answered it up to v0.3: its session middleware
 * returned errno.ErrUserAuthenticationFailed with the reason "missing session_key in cookie",
 * which httputil.InternalError writes as HTTP 200 {code: 700012006, msg: "authentication failed:
 * missing session_key in cookie"} (coze-studio backend/api/middleware/session.go and
 * backend/api/internal/httputil/error_resp.go before commit 2b021a3d4, "feat(model): add model
 * management module (#2303)", first in v0.5.0; the message template is in
 * backend/types/errno/user.go). The same code answers a wrong token on a path it serves.
 */
export function sendStudioBefore05UnknownPath(res: ServerResponse): void {
	sendJson(res, 'studio', 200, {
		code: 700012006,
		msg: 'authentication failed: missing session_key in cookie',
	});
}
