// The token exchange's refusals, as Coze documents them, and the odd `expires_in` a test may
// make the exchange answer.
//
// Evidence: the error codes and messages are the table "错误码" of Coze's API page for the
// exchange, oauth_jwt.md (coze-dev/coze-sdk-gen docs/api-markdown/oauth_jwt.md): invalid_request
// "invalid request: {parameter}", invalid_client (no message given), unsupported_grant_type "not
// supported grant type: {grant type}", access_deny "app: {app name} is currently deactivated by
// the owner", internal_error "Service internal error.". The body is {error_code, error_message,
// error} as coze-go reads it (error.go authErrorFormat). Only invalid_client's HTTP status is seen
// from coze.cn: 401, with error "invalid_client" (coze-go issue 43's log: "HttpCode: 401, Code:
// invalid_client, Message: invalid jwt: kid not been registred, Param: invalid_client"). The other
// statuses have no evidence: 400 for a bad request, 403 for a refusal, 500 for Coze's own fault.

export type OAuthErrorCode =
	| 'invalid_request'
	| 'invalid_client'
	| 'unsupported_grant_type'
	| 'access_deny'
	| 'internal_error';

export interface OAuthRefusal {
	status: number;
	body: { error_code: OAuthErrorCode; error_message: string; error: string };
}

const STATUS: Record<OAuthErrorCode, number> = {
	invalid_request: 400,
	invalid_client: 401,
	unsupported_grant_type: 400,
	access_deny: 403,
	internal_error: 500,
};

/** Coze's answer refusing a token with `code`; `message` is its error_message (the page's pattern filled in). */
export function oauthRefusal(code: OAuthErrorCode, message: string): OAuthRefusal {
	return { status: STATUS[code], body: { error_code: code, error_message: message, error: code } };
}

/** The page's message for each code, for a test that makes the exchange refuse with it. */
export function documentedMessage(code: OAuthErrorCode, appName: string): string {
	switch (code) {
		case 'invalid_request':
			return 'invalid request: duration_seconds';
		case 'invalid_client':
			return 'invalid jwt: kid not been registred';
		case 'unsupported_grant_type':
			return 'not supported grant type: urn:ietf:params:oauth:grant-type:jwt-bearer';
		case 'access_deny':
			return `app: ${appName} is currently deactivated by the owner`;
		case 'internal_error':
			return 'Service internal error.';
	}
}

/**
 * What the exchange's answer says in `expires_in`, given the Unix time (seconds) the token really
 * ends at and its lifetime. Coze documents a Unix time; every other shape here is hostile input
 * with no evidence that Coze sends it: absent, not a number, a duration, a time already past.
 */
export type ExpiresInShape = (endsAt: number, lifetimeSeconds: number) => unknown;
