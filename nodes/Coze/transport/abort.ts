import { CozeError } from './coze-error';

/** The error for a request ended by its signal: the user stopped the execution, or the Run Time Limit passed. */
export function abortFailure(signal: AbortSignal | undefined, cause?: unknown): CozeError {
	const reason = signal?.reason as { name?: string } | undefined;
	if (reason?.name === 'TimeoutError') {
		return new CozeError('The Coze run took longer than the Run Time Limit', {
			kind: 'network',
			cause,
			description: 'Raise Run Time Limit in the node\'s Request Options, or leave it empty for no limit. The workflow may still be running in Coze.',
		});
	}
	return new CozeError('The execution was stopped while talking to Coze', { kind: 'cancelled', cause });
}
