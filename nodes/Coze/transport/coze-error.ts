/**
 * What went wrong talking to Coze, in terms a user can act on. Plain (no n8n types) so the
 * transport stays testable on its own; actions/node-error.ts turns it into n8n's errors.
 */
export type CozeErrorKind =
	/** Coze answered with its error envelope or an HTTP error status. */
	| 'api'
	/** The server could not be reached, or the connection broke. */
	| 'network'
	/** The answer was not what the API promises (not JSON, a cut stream, a redirect). */
	| 'protocol'
	/** The user stopped the execution. */
	| 'cancelled'
	/** A credential or parameter is wrong before anything was sent. */
	| 'config';

export interface CozeErrorDetails {
	kind: CozeErrorKind;
	description?: string;
	httpStatus?: number;
	/** Coze's own error code (`code` of the envelope, `error_code` of a stream Error event). */
	cozeCode?: number;
	/** Coze's log id: Coze support asks for it. */
	logId?: string;
	debugUrl?: string;
	cause?: unknown;
}

export class CozeError extends Error {
	readonly kind: CozeErrorKind;
	readonly description?: string;
	readonly httpStatus?: number;
	readonly cozeCode?: number;
	readonly logId?: string;
	readonly debugUrl?: string;

	constructor(message: string, details: CozeErrorDetails) {
		super(message, details.cause === undefined ? undefined : { cause: details.cause });
		this.name = 'CozeError';
		this.kind = details.kind;
		this.description = details.description;
		this.httpStatus = details.httpStatus;
		this.cozeCode = details.cozeCode;
		this.logId = details.logId;
		this.debugUrl = details.debugUrl;
	}
}

const REDACTED = '[redacted]';

/**
 * Removes the access token from text that came from outside (a server can echo the
 * Authorization header back in an error body), so it never reaches an error or a log.
 */
export function redactSecret(text: string, secret: string): string {
	if (!secret) return text;
	return text.split(secret).join(REDACTED);
}
