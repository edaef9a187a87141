import type { CozeConnection } from '../http/connection';
import { CozeError } from '../http/coze-error';
import { streamEvents } from '../http/stream-request';
import { decodeWorkflowEvent, type CozeStreamEvent } from './workflow-events';

/**
 * When a run cannot start, Coze Studio's stream handler has already taken over the response, and
 * its error body is lost: HTTP 200, a JSON content type, nothing else (coze-studio
 * workflow_service.go with hertz v0.10.2's writeResponse).
 */
const EMPTY_RUN_ANSWER = new CozeError('Coze answered the run with an empty body', {
	kind: 'protocol',
	description:
		'Coze Studio answers so when a run cannot start, most often because the workflow is not published or the Workflow ID is wrong: publish it and check the ID. Its log (and the X-Log-ID of the answer) has the reason.',
});

/** A workflow run's events (`/v1/workflow/stream_run`, `/v1/workflow/stream_resume`) as they arrive, in batches. */
export function streamWorkflowEvents(
	connection: CozeConnection,
	path: string,
	/** The request body, serialised (lossless-json's stringifyJson). */
	json: string,
	signal?: AbortSignal,
): AsyncGenerator<CozeStreamEvent[]> {
	return streamEvents(
		connection,
		{ path, json, decode: decodeWorkflowEvent, emptyAnswer: EMPTY_RUN_ANSWER },
		signal,
	);
}
