import { setTimeout as sleep } from 'node:timers/promises';

import { abortFailure } from './abort';
import { CozeError } from './coze-error';
import type { RequestPolicy } from './policy';

/** A try that failed where no run or upload can have started: worth another try. */
export class RetryableFailure extends Error {
	constructor(
		readonly failure: CozeError,
		/** What the server asked for (Retry-After), in ms. */
		readonly retryAfterMs?: number,
	) {
		super(failure.message);
		this.name = 'RetryableFailure';
	}
}

const FIRST_WAIT_MS = 500;

/**
 * Runs `attempt` until it succeeds, fails for good, or the retries run out. Waits grow
 * exponentially with jitter (so items retrying together spread out), or follow Retry-After.
 * The final error says how many tries were made.
 */
export async function withRetries<T>(policy: RequestPolicy, signal: AbortSignal | undefined, attempt: () => Promise<T>): Promise<T> {
	for (let tries = 1; ; tries++) {
		try {
			return await attempt();
		} catch (error) {
			if (!(error instanceof RetryableFailure)) throw tries > 1 && error instanceof CozeError ? afterTries(error, tries) : error;
			if (tries > policy.maxRetries) throw tries > 1 ? afterTries(error.failure, tries) : error.failure;
			const wait = error.retryAfterMs ?? backoff(tries, policy.maxRetryWaitMs);
			if (wait > policy.maxRetryWaitMs) {
				throw afterTries(error.failure, tries, `Coze asked to wait ${Math.ceil(wait / 1000)} s before trying again, longer than Max Retry Wait.`);
			}
			try {
				await sleep(wait, undefined, { signal });
			} catch (abort) {
				throw abortFailure(signal, abort);
			}
		}
	}
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

function afterTries(error: CozeError, tries: number, extra?: string): CozeError {
	return new CozeError(`${error.message} (after ${tries} tries)`, {
		kind: error.kind,
		httpStatus: error.httpStatus,
		cozeCode: error.cozeCode,
		logId: error.logId,
		debugUrl: error.debugUrl,
		description: [extra, error.description].filter(Boolean).join(' ') || undefined,
	});
}
