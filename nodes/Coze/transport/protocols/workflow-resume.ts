import { requestCozeJson } from '../http/client';
import type { CozeConnection } from '../http/connection';
import { CozeError } from '../http/coze-error';
import { isStudioUnknownPath, type CozeEnvelope } from '../http/envelope';
import { stringifyJson } from '../http/lossless-json';
import type { CollectedRun } from './run-collector';
import { blockingResult, followAsyncRun, type Polling, type RunAnswer } from './workflow-run';

/** What every resume sends: the interrupt being answered, exactly as its item gave it, and the answer. */
export interface ResumeBody {
	workflow_id: string;
	event_id: string;
	/** The interrupt's type, as its digits (lossless-json sends a RawJson as written). */
	interrupt_type: unknown;
	resume_data: string;
}

/**
 * `POST /v1/workflows/resume` (Coze's resume_workflow.md): the resume of a run started with
 * `POST /v1/workflow/run`. It runs on as that run did: a synchronous run's resume answers with
 * the result (or the next interrupt), an asynchronous run's with its execute_id, whose result
 * the run history then gives. A streamed run is resumed by `/v1/workflow/stream_resume` instead.
 */
const RESUME_PATH = '/v1/workflows/resume';

export async function resumeSync(
	connection: CozeConnection,
	body: ResumeBody,
	signal?: AbortSignal,
): Promise<CollectedRun> {
	return blockingResult(await requestResume(connection, body, signal));
}

/** Resumes an asynchronous run, then follows it in its history; the interrupt just answered is not taken for a new one. */
export async function resumeAsync(
	connection: CozeConnection,
	body: ResumeBody,
	polling: Polling,
	signal?: AbortSignal,
): Promise<CollectedRun> {
	const started = await requestResume(connection, body, signal);
	return await followAsyncRun(
		connection,
		body.workflow_id,
		started,
		polling,
		signal,
		body.event_id,
	);
}

async function requestResume(
	connection: CozeConnection,
	body: ResumeBody,
	signal?: AbortSignal,
): Promise<CozeEnvelope & RunAnswer> {
	try {
		return await requestCozeJson<CozeEnvelope & RunAnswer>(connection, {
			method: 'POST',
			path: RESUME_PATH,
			kind: 'startsRun',
			json: stringifyJson(body),
			signal,
		});
	} catch (error) {
		if (!isStudioUnknownPath(error)) throw error;
		// Coze Studio serves only /v1/workflow/stream_resume (coze-studio api/middleware/openapi_auth.go);
		// its synchronous runs refuse to stop on an interrupt (error 6039) and its history names none.
		throw new CozeError(
			'This server has no resume for synchronous or asynchronous runs (Coze Studio serves only the streamed one)',
			{
				kind: 'config',
				description:
					'Set Options → Run Mode of Resume to Stream, for an interrupt of a run made with Run Mode "Stream".',
			},
		);
	}
}
