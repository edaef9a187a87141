import type { EndpointPermission } from './permissions';

/**
 * What went wrong talking to Coze, in terms a user can act on. Plain (no n8n types) so the
 * transport stays testable on its own; actions/node-error.ts turns it into n8n's errors.
 */
export type CozeErrorKind =
	/** Coze answered with its error envelope or an HTTP error status. */
	| 'api'
	/** The server could not be reached, or the connection broke. */
	| 'network'
	/** Idle Timeout or Run Time Limit passed. */
	| 'timeout'
	/** The answer was not what the API promises (not JSON, a cut stream, a redirect). */
	| 'protocol'
	/** The user stopped the execution. */
	| 'cancelled'
	/** A credential or parameter is wrong before anything was sent. */
	| 'config'
	/** This machine failed: n8n's binary data could not be read. */
	| 'local';

export interface CozeErrorDetails {
	kind: CozeErrorKind;
	description?: string;
	httpStatus?: number;
	/** Coze's own error code (`code` of the envelope, `error_code` of a stream Error event). */
	cozeCode?: number;
	/** The OAuth error code of a token exchange's refusal (`error_code`: "invalid_client", "access_deny", …). */
	oauthCode?: string;
	/** Coze's log id: Coze support asks for it. */
	logId?: string;
	debugUrl?: string;
	/** For a network failure: false when no connection was ever made, so nothing was sent. */
	connected?: boolean;
	/** What the server asked for (Retry-After), in ms. */
	retryAfterMs?: number;
	/** It happened getting an OAuth app's access token: the request it was for was never sent. */
	tokenExchange?: boolean;
	/** For a refusal for want of a permission (HTTP 403, code 4101): the one the refused endpoint needs. */
	permission?: EndpointPermission;
	/** An answer that was not Coze's JSON: the start of its text, redacted (for a protocol that knows its server's plain-text errors). */
	bodyText?: string;
	cause?: unknown;
}

export class CozeError extends Error {
	readonly kind: CozeErrorKind;
	readonly description?: string;
	readonly httpStatus?: number;
	readonly cozeCode?: number;
	readonly oauthCode?: string;
	readonly logId?: string;
	readonly debugUrl?: string;
	readonly connected?: boolean;
	readonly retryAfterMs?: number;
	readonly tokenExchange?: boolean;
	readonly permission?: EndpointPermission;
	readonly bodyText?: string;

	constructor(message: string, details: CozeErrorDetails) {
		super(message, details.cause === undefined ? undefined : { cause: details.cause });
		this.name = 'CozeError';
		this.kind = details.kind;
		this.description = details.description;
		this.httpStatus = details.httpStatus;
		this.cozeCode = details.cozeCode;
		this.oauthCode = details.oauthCode;
		this.logId = details.logId;
		this.debugUrl = details.debugUrl;
		this.connected = details.connected;
		this.retryAfterMs = details.retryAfterMs;
		this.tokenExchange = details.tokenExchange;
		this.permission = details.permission;
		this.bodyText = details.bodyText;
	}

	/** The same error with some details changed (errors stay immutable once thrown). */
	with(changes: Partial<CozeErrorDetails> & { message?: string }): CozeError {
		const { message = this.message, ...details } = changes;
		return new CozeError(message, {
			kind: this.kind,
			description: this.description,
			httpStatus: this.httpStatus,
			cozeCode: this.cozeCode,
			oauthCode: this.oauthCode,
			logId: this.logId,
			debugUrl: this.debugUrl,
			connected: this.connected,
			retryAfterMs: this.retryAfterMs,
			tokenExchange: this.tokenExchange,
			permission: this.permission,
			bodyText: this.bodyText,
			cause: this.cause,
			...details,
		});
	}
}
