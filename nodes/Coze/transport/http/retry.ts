import { setTimeout as sleep } from 'node:timers/promises';

import { abortFailure } from './abort';
import { CozeError } from './coze-error';
import type { RequestPolicy } from './policy';
import {
	isWorthRetrying,
	mayHaveStartedRun,
	runMayHaveStarted,
	type RequestKind,
} from './retry-rules';

const FIRST_WAIT_MS = 500;

/**
 * Runs `attempt` until it succeeds, fails for good, or the retries run out; which failures are
 * retried depends on what the request does (retry-rules.ts). Waits grow exponentially with
 * jitter (so items retrying together spread out), or follow Retry-After. The final error says
 * how many tries were made, and, for a run, whether Coze may have started it.
 */
export async function withRetries<T>(
	policy: RequestPolicy,
	kind: RequestKind,
	signal: AbortSignal | undefined,
	attempt: () => Promise<T>,
	/** For a request that starts a run: what the error says Coze may have done (a workflow run's words unless given). */
	mayHaveStarted?: string,
): Promise<T> {
	for (let tries = 1; ; tries++) {
		try {
			return await attempt();
		} catch (error) {
			if (!(error instanceof CozeError)) throw error;
			const retry = isWorthRetrying(kind, error) && !signal?.aborted;
			if (!retry || tries > policy.maxRetries)
				throw finalError(error, kind, tries, undefined, mayHaveStarted);
			const wait = error.retryAfterMs ?? backoff(tries, policy.maxRetryWaitMs);
			if (wait > policy.maxRetryWaitMs) {
				throw finalError(
					error,
					kind,
					tries,
					`Coze asked to wait ${Math.ceil(wait / 1000)} s before trying again, longer than Max Retry Wait.`,
					mayHaveStarted,
				);
			}
			try {
				await sleep(wait, undefined, { signal });
			} catch (abort) {
				throw abortFailure(signal, abort);
			}
		}
	}
}

function finalError(
	error: CozeError,
	kind: RequestKind,
	tries: number,
	extra?: string,
	mayHaveStarted?: string,
): CozeError {
	let final = error;
	if (tries > 1 || extra) {
		final = error.with({
			message: tries > 1 ? `${error.message} (after ${tries} tries)` : error.message,
			description: [extra, error.description].filter(Boolean).join(' ') || undefined,
		});
	}
	return kind === 'startsRun' && mayHaveStartedRun(error)
		? runMayHaveStarted(final, mayHaveStarted)
		: final;
}

function backoff(tries: number, cap: number): number {
	const exponential = Math.min(cap, FIRST_WAIT_MS * 2 ** (tries - 1));
	return Math.round(exponential * (0.5 + Math.random() / 2));
}

/** Retry-After as seconds or an HTTP date, in ms. */
export function retryAfterMs(header: string | string[] | undefined): number | undefined {
	const value = Array.isArray(header) ? header[0] : header;
	if (!value) return undefined;
	const seconds = Number(value);
	if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
	const date = Date.parse(value);
	return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
