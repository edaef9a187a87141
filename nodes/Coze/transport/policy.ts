/** How patient the transport is: retries, their waits, and timeouts. */
export interface RequestPolicy {
	/** Retries after the first try, only where no run or upload can have started. */
	maxRetries: number;
	/** The longest wait between two tries; a server asking for more ends the retrying. */
	maxRetryWaitMs: number;
	connectTimeoutMs: number;
	/**
	 * No byte from Coze for this long fails the request: while waiting for the answer's headers
	 * and between bytes of its body (a stream's events). Coze sends PING every few seconds on
	 * a stream and answers a synchronous run within 90 s, so this sits well above both.
	 */
	idleTimeoutMs: number;
}

export const DEFAULT_POLICY: RequestPolicy = {
	maxRetries: 3,
	maxRetryWaitMs: 30_000,
	connectTimeoutMs: 10_000,
	idleTimeoutMs: 120_000,
};
