/** How patient and how generous the transport is: retries, their waits, timeouts, sizes. */
export interface RequestPolicy {
	/** Retries after the first try, only where retry-rules.ts allows one. */
	maxRetries: number;
	/** The longest wait between two tries; a server asking for more ends the retrying. */
	maxRetryWaitMs: number;
	connectTimeoutMs: number;
	/**
	 * How long Coze may send nothing usable: no answer yet, no byte of a JSON answer, no whole
	 * event on a stream (a PING counts; a trickle of bytes that never ends an event does not).
	 */
	idleTimeoutMs: number;
	/** The most a run's collected output (or one JSON answer) may hold, in bytes of UTF-8. */
	maxOutputBytes: number;
	/**
	 * The longest one call may take, retries included: a streamed run or resume, a synchronous
	 * run, an upload, one request of an asynchronous run (its waiting is bounded by Max Wait).
	 * 0 for none.
	 */
	runTimeLimitMs: number;
}

/**
 * Coze ends a workflow run that is not asynchronous after 10 minutes (its run API's limits:
 * "超时时间 未开启异步时为 10 分钟"), so a call still going a minute later is not coming back.
 */
const COZE_RUN_LIMIT_MS = 10 * 60_000;

export const DEFAULT_POLICY: RequestPolicy = {
	maxRetries: 3,
	maxRetryWaitMs: 30_000,
	connectTimeoutMs: 10_000,
	idleTimeoutMs: 120_000,
	maxOutputBytes: 256 * 1024 * 1024,
	runTimeLimitMs: COZE_RUN_LIMIT_MS + 60_000,
};

/**
 * Idle Timeout for a self-hosted Coze Studio: it sends no heartbeat and writes its answer's
 * headers only with its first event (coze-studio workflow_service.go), so a slow first node is
 * minutes without a byte; its nginx in front allows 600 s (proxy_read_timeout 600s).
 */
export const STUDIO_IDLE_TIMEOUT_MS = 600_000;

/** A size in the words of the node's errors: megabytes to one decimal ("256 MB", "0.5 MB"). */
export function megabytes(bytes: number): string {
	return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;
}
