import { CozeError } from './coze-error';

/**
 * What a request does decides when it may be sent again:
 * - `startsRun` (stream_run, stream_resume, workflows/resume, a synchronous run, an async run's start): only where
 *   Coze provably did not take it on, so one item never runs a workflow twice (and a resume is
 *   never spent twice: Coze allows three per interrupt);
 * - `read` (run history, who am I): on any transient failure;
 * - `upload`: also when the connection breaks part-way (a resent file costs an orphan file, not
 *   a second run).
 */
export type RequestKind = 'startsRun' | 'read' | 'upload';

const RATE_LIMITED_STATUS = 429;
const RATE_LIMITED_CODE = 4013;
/** A gateway in front of Coze failed or Coze was busy. */
const GATEWAY_STATUSES = new Set([502, 503, 504]);
/** Worth asking a read again. */
const TRANSIENT_READ_STATUSES = new Set([408, 500, 502, 503, 504]);

function isRateLimited(error: CozeError): boolean {
	return error.httpStatus === RATE_LIMITED_STATUS || error.cozeCode === RATE_LIMITED_CODE;
}

/** A connection that was refused, not found or timed out while connecting: nothing was sent. */
function neverConnected(error: CozeError): boolean {
	return error.kind === 'network' && error.connected === false;
}

/** A connection that broke after it was made (reset, closed): the request may have arrived. */
function brokeAfterConnecting(error: CozeError): boolean {
	return error.kind === 'network' && error.connected === true;
}

export function isWorthRetrying(kind: RequestKind, error: CozeError): boolean {
	if (isRateLimited(error) || neverConnected(error)) return true;
	switch (kind) {
		case 'startsRun':
			return false;
		case 'read':
			return brokeAfterConnecting(error) || TRANSIENT_READ_STATUSES.has(error.httpStatus ?? 0);
		case 'upload':
			return brokeAfterConnecting(error) || GATEWAY_STATUSES.has(error.httpStatus ?? 0);
	}
}

/**
 * For a request that starts a run and failed without a retry: could Coze have started it? A
 * 5xx (on `/v1/workflow/run` the answer comes only once the run ends, so a gateway's 504 means
 * it was running), a connection that broke after the request went out, no answer in time, or
 * a successful status whose body was unusable.
 */
export function mayHaveStartedRun(error: CozeError): boolean {
	if (isRateLimited(error) || neverConnected(error) || error.tokenExchange) return false;
	if (brokeAfterConnecting(error) || error.kind === 'timeout') return true;
	const status = error.httpStatus ?? 0;
	return status >= 500 || (error.kind === 'protocol' && status >= 200 && status < 300);
}

/** What a workflow run's error adds where Coze may have taken the request (the default of runMayHaveStarted). */
export const WORKFLOW_MAY_HAVE_STARTED =
	"Coze may have started the run before this failure, so the node did not send it again (that could run the workflow twice). Check the workflow's run history in Coze before running it again.";

/** `error` with `note`, what Coze may have done with the request (a bot's chat says its own: bot-chat.ts). */
export function runMayHaveStarted(
	error: CozeError,
	note: string = WORKFLOW_MAY_HAVE_STARTED,
): CozeError {
	return error.with({
		description: [note, error.description].filter(Boolean).join(' '),
	});
}
