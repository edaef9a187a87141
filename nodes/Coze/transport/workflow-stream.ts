import type { CozeConnection } from './connection';
import { abortFailure } from './abort';
import { causeCode, idleTimeoutFailure, policyOf, readCozeJsonOrRetry, sendCozeRequest } from './client';
import { withRetries } from './retry';
import { CozeError, redactSecret } from './coze-error';
import { readCozeEvents, type CozeStreamEvent } from './events';

/**
 * POSTs to a streaming endpoint (`/v1/workflow/stream_run`, `/v1/workflow/stream_resume`) and
 * yields its events as they arrive, in batches (see readCozeEvents). When the request itself fails Coze answers with its JSON
 * error envelope instead of a stream, so the content type decides how the body is read.
 * The connection is released when the caller stops reading, whatever the reason.
 */
export async function* streamWorkflowEvents(
	connection: CozeConnection,
	path: string,
	body: Record<string, unknown>,
	signal?: AbortSignal,
): AsyncGenerator<CozeStreamEvent[]> {
	// Retried only until the stream begins: once Coze streams, the run has started.
	const response = await withRetries(policyOf(connection), signal, async () => {
		const answer = await sendCozeRequest(connection, { method: 'POST', path, json: body, signal, accept: 'text/event-stream' });
		const contentType = String(answer.headers['content-type'] ?? '');
		if (contentType.includes('text/event-stream')) return answer;
		await readCozeJsonOrRetry(connection, answer, signal);
		throw new CozeError('Coze answered without an event stream', {
			kind: 'protocol',
			httpStatus: answer.statusCode,
			logId: answer.logId,
			description: `It sent ${contentType || 'no content type'} with code 0. Check the Base URL points at the Coze API.`,
		});
	});
	try {
		for await (const batch of readCozeEvents(response.body)) {
			for (const event of batch) {
				if (event.type === 'Error' && event.data.error_message) {
					event.data.error_message = redactSecret(event.data.error_message, connection.accessToken);
				}
			}
			yield batch;
		}
	} catch (error) {
		if (error instanceof CozeError) throw error;
		if (signal?.aborted) throw abortFailure(signal, error);
		if (causeCode(error) === 'UND_ERR_BODY_TIMEOUT') throw idleTimeoutFailure(connection);
		throw new CozeError('The connection to Coze broke while the workflow was streaming', {
			kind: 'network',
			logId: response.logId,
			description: `${(error as Error).message ?? String(error)}. The workflow may still have run in Coze; check it there before running it again.`,
		});
	} finally {
		response.body.destroy();
	}
}
