import type { EventSourceMessage } from 'eventsource-parser';

import { abortFailure, deadline, runTimeLimit, type Deadline } from './abort';
import {
	idleTimeoutFailure,
	policyOf,
	readCozeJson,
	sendCozeRequest,
	withFreshToken,
	type CozeResponse,
} from './client';
import type { CozeConnection } from './connection';
import { CozeError } from './coze-error';
import { apiErrorFromEnvelope } from './envelope';
import { EnvelopeInStream, readEventStream } from './event-stream';
import { redactorFor, type Redactor } from './redaction';
import { withRetries } from './retry';

export interface StreamRequest<T> {
	/** `/v1/workflow/stream_run`, `/v1/workflows/chat`, `/v3/chat`, … */
	path: string;
	/** Query parameters (`/v3/chat` takes the conversation there). */
	query?: Record<string, string>;
	/** What runs, for a broken connection's message: "workflow" unless given (a bot's "bot chat"). */
	runName?: string;
	/** What Coze may have done with a request it may have taken (retry-rules.ts): a workflow run's words unless given. */
	mayHaveStarted?: string;
	/** What may still be going on in Coze when the stream breaks part-way: the run's, unless given. */
	mayStillRun?: string;
	/** The request body, serialised (lossless-json's stringifyJson). */
	json: string;
	/** Types one event of the protocol, or skips it; `redact` is for server text it quotes cut short. */
	decode: (event: EventSourceMessage, redact: Redactor) => T | undefined;
	/** The error for an empty answer where a stream was due (what it means depends on the endpoint). */
	emptyAnswer: CozeError;
}

/**
 * POSTs to one of Coze's streaming endpoints, each of which starts a run, and yields its events
 * as they arrive, in batches (see readEventStream). The status decides first: any HTTP error is
 * an error, whatever its content type, its body read as Coze's envelope. Idle Timeout counts
 * whole events (a PING is one): a server that trickles bytes without ever ending an event is cut
 * like a silent one. The connection is released when the caller stops reading, whatever the
 * reason.
 */
export async function* streamEvents<T>(
	connection: CozeConnection,
	request: StreamRequest<T>,
	signal?: AbortSignal,
): AsyncGenerator<T[]> {
	const policy = policyOf(connection);
	const limit = runTimeLimit(policy.runTimeLimitMs, 'startsRun', signal);
	let opened: { response: CozeResponse; idle: Deadline };
	try {
		// Retried only where Coze provably did not start the run (retry-rules.ts).
		opened = await withRetries(
			policy,
			'startsRun',
			limit.signal,
			async () => {
				// Idle Timeout of this try: the wait for the answer, then (refreshed) for each event.
				const idle = deadline(
					policy.idleTimeoutMs,
					() => idleTimeoutFailure(connection, request.mayStillRun),
					limit.signal,
				);
				try {
					return {
						response: await withFreshToken(connection, idle.signal, (bearer) =>
							openStream(connection, request, bearer, idle.signal),
						),
						idle,
					};
				} catch (error) {
					idle.clear();
					throw error;
				}
			},
			request.mayHaveStarted,
		);
	} catch (error) {
		limit.clear();
		throw error;
	}
	const { response, idle: timer } = opened;
	try {
		const redact = redactorFor(connection);
		for await (const batch of readEventStream(response.body, (event) =>
			request.decode(event, redact),
		)) {
			// Every whole event, a PING included, is a sign of life.
			timer.refresh();
			yield batch;
		}
	} catch (error) {
		if (error instanceof CozeError) throw error;
		if (error instanceof EnvelopeInStream)
			throw apiErrorFromEnvelope(
				error.envelope,
				response.statusCode,
				response.logId,
				response.path,
			);
		if (timer.signal.aborted) throw abortFailure(timer.signal, error);
		const runName = request.runName ?? 'workflow';
		throw new CozeError(`The connection to Coze broke while the ${runName} was streaming`, {
			kind: 'network',
			connected: true,
			logId: response.logId,
			description: `${(error as Error).message ?? String(error)}. ${request.mayStillRun ?? `The ${runName} may still have run in Coze; check it there before running it again.`}`,
		});
	} finally {
		timer.clear();
		limit.clear();
		response.body.destroy();
	}
}

/** One try: the answer, once it is an event stream; anything else is read as the error it is. */
async function openStream<T>(
	connection: CozeConnection,
	request: StreamRequest<T>,
	bearer: string,
	signal: AbortSignal,
): Promise<CozeResponse> {
	const answer = await sendCozeRequest(connection, {
		method: 'POST',
		path: request.path,
		query: request.query,
		kind: 'startsRun',
		json: request.json,
		bearer,
		signal,
		stream: true,
	});
	const contentType = String(answer.headers['content-type'] ?? '');
	if (answer.statusCode < 300 && contentType.includes('text/event-stream')) return answer;
	await readCozeJson(connection, answer, signal, request.emptyAnswer);
	throw new CozeError('Coze answered without an event stream', {
		kind: 'protocol',
		httpStatus: answer.statusCode,
		logId: answer.logId,
		description: `It sent ${contentType || 'no content type'} with code 0. Check the Base URL points at the Coze API.`,
	});
}
