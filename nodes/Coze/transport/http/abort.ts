import { CozeError } from './coze-error';

/**
 * The error for a request ended by its signal. A timer of ours (Run Time Limit, Idle Timeout)
 * aborts with the CozeError that explains it as the reason; any other abort is the user
 * stopping the execution.
 */
export function abortFailure(signal: AbortSignal | undefined, cause?: unknown): CozeError {
	const reason: unknown = signal?.reason;
	if (reason instanceof CozeError) return reason;
	return new CozeError('The execution was stopped while talking to Coze', {
		kind: 'cancelled',
		cause,
	});
}

/** The most a Node.js timer can wait (2^31 - 1 ms, about 24.8 days); a longer one fires at once. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export interface Deadline {
	signal: AbortSignal;
	/** Starts the wait again from now (an idle timer, on each sign of life). */
	refresh: () => void;
	/** Stops the timer: call it when the work is done, so no timer outlives it. */
	clear: () => void;
}

/** A signal that aborts after `ms` with `failure` as its reason, or when `parent` aborts. */
export function deadline(ms: number, failure: () => CozeError, parent?: AbortSignal): Deadline {
	if (!(ms > 0 && ms <= MAX_TIMER_MS))
		throw new RangeError(`a deadline of ${ms} ms is out of range`);
	const controller = new AbortController();
	const timer = setTimeout(() => controller.abort(failure()), ms);
	const onParentAbort = () => controller.abort(parent?.reason);
	if (parent?.aborted) onParentAbort();
	parent?.addEventListener('abort', onParentAbort, { once: true });
	return {
		signal: controller.signal,
		refresh: () => void timer.refresh(),
		clear: () => {
			clearTimeout(timer);
			parent?.removeEventListener('abort', onParentAbort);
		},
	};
}

/** A limit that may be off: then its signal is the parent's. */
interface TimeLimit {
	signal?: AbortSignal;
	clear: () => void;
}

/** What each kind of call is called in the Run Time Limit's message. */
const CALL_NAMES = {
	startsRun: 'The Coze run',
	upload: 'The upload to Coze',
	read: 'A request to Coze',
} as const;

/**
 * The Run Time Limit of one call (see RequestPolicy.runTimeLimitMs): a signal that aborts with
 * its own message when the limit passes, or `parent` itself when there is no limit.
 */
export function runTimeLimit(
	limitMs: number,
	kind: keyof typeof CALL_NAMES,
	parent?: AbortSignal,
): TimeLimit {
	if (!limitMs) return { signal: parent, clear: () => undefined };
	const seconds = Math.round(limitMs / 1000);
	return deadline(
		limitMs,
		() =>
			new CozeError(`${CALL_NAMES[kind]} took longer than the Run Time Limit (${seconds} s)`, {
				kind: 'timeout',
				description:
					"Raise Run Time Limit in the node's Request Options (0 turns it off). A workflow may still be running in Coze.",
			}),
		parent,
	);
}
