import type { Readable } from 'node:stream';

import { request, type Dispatcher } from 'undici';

import { abortFailure } from './abort';
import type { CozeConnection } from './connection';
import { CozeError, redactSecret } from './coze-error';
import { cozeDispatcher } from './dispatcher';
import { apiErrorFromEnvelope, type CozeEnvelope } from './envelope';
import { parseJsonKeepingLongIntegers } from './lossless-json';
import type { StreamedBody } from './multipart';
import { DEFAULT_POLICY, type RequestPolicy } from './policy';
import { RetryableFailure, retryAfterMs, withRetries } from './retry';

export interface CozeRequest {
	method: 'GET' | 'POST';
	/** Path under the base URL, starting with "/", e.g. "/v1/files/upload". */
	path: string;
	query?: Record<string, string>;
	/** A JSON body; mutually exclusive with `body`. */
	json?: unknown;
	/** A streamed body (a multipart upload), made anew for each try. */
	body?: () => Promise<StreamedBody>;
	/** Fires when the n8n execution is stopped or the run's time limit passes. */
	signal?: AbortSignal;
	accept?: string;
}

export interface CozeResponse {
	statusCode: number;
	headers: Dispatcher.ResponseData['headers'];
	body: Dispatcher.ResponseData['body'];
	/** `x-tt-logid` (cloud) or `X-Log-ID` (Coze Studio). */
	logId?: string;
}

const USER_AGENT = 'n8n-nodes-coze-workflow';

/** Socket failures before any answer: the request cannot have reached Coze's handler whole. */
const RETRYABLE_NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT']);
/** Answers that say the request was not taken on: rate limited, or a gateway in front of Coze failed. */
const RETRYABLE_STATUSES = new Set([429, 502, 503, 504]);
const RATE_LIMITED_CODE = 4013;

export function policyOf(connection: CozeConnection): RequestPolicy {
	return connection.policy ?? DEFAULT_POLICY;
}

/**
 * Sends one request (one try) and hands back the response with its body unread, so that a
 * caller can stream it. Throws a CozeError for what never became a usable response: no
 * connection, a stopped execution, or a redirect (not followed: it would carry the token to
 * another host); a RetryableFailure where the socket failed before any answer.
 */
export async function sendCozeRequest(connection: CozeConnection, req: CozeRequest): Promise<CozeResponse> {
	const url = new URL(connection.baseUrl + req.path);
	for (const [key, value] of Object.entries(req.query ?? {})) url.searchParams.set(key, value);
	const policy = policyOf(connection);

	const headers: Record<string, string> = {
		authorization: `Bearer ${connection.accessToken}`,
		accept: req.accept ?? 'application/json',
		'user-agent': USER_AGENT,
	};
	let body: string | AsyncIterable<Uint8Array> | undefined;
	if (req.json !== undefined) {
		headers['content-type'] = 'application/json';
		body = JSON.stringify(req.json);
	} else if (req.body) {
		const streamed = await req.body();
		headers['content-type'] = streamed.contentType;
		headers['content-length'] = String(streamed.contentLength);
		body = streamed.chunks;
	}

	let response: Dispatcher.ResponseData;
	try {
		response = await request(url, {
			method: req.method,
			headers,
			// undici takes any (async) iterable body and writes its chunks as they come; its
			// type declaration lists only Readable among streams.
			body: body as string | Readable | undefined,
			signal: req.signal,
			dispatcher: cozeDispatcher(policy.connectTimeoutMs),
			headersTimeout: policy.idleTimeoutMs,
			bodyTimeout: policy.idleTimeoutMs,
		});
	} catch (error) {
		const failure = requestFailure(error, connection, req.signal);
		// undici resolves at the answer's headers: any failure here came before an answer.
		if (failure.kind === 'network' && RETRYABLE_NETWORK_CODES.has(causeCode(error) ?? '')) throw new RetryableFailure(failure);
		throw failure;
	}

	const logId = headerText(response.headers['x-tt-logid']) ?? headerText(response.headers['x-log-id']);
	if (response.statusCode >= 300 && response.statusCode < 400) {
		await response.body.dump();
		const location = headerText(response.headers.location) ?? 'another address';
		throw new CozeError(`Coze answered with a redirect (HTTP ${response.statusCode}), which is not followed`, {
			kind: 'protocol',
			httpStatus: response.statusCode,
			logId,
			description: `The server points to ${location}. Following it would send your access token there, so set the credential's Base URL to the final address instead.`,
		});
	}
	return { statusCode: response.statusCode, headers: response.headers, body: response.body, logId };
}

/** Sends a request whose answer is Coze's JSON envelope, with retries, and returns it once `code` is 0. */
export async function requestCozeJson<T extends CozeEnvelope>(connection: CozeConnection, req: CozeRequest): Promise<T> {
	return await withRetries(policyOf(connection), req.signal, async () => {
		const response = await sendCozeRequest(connection, req);
		return await readCozeJsonOrRetry<T>(connection, response, req.signal);
	});
}

/** readCozeJson, with the answers that mean "not taken on, try again" turned into RetryableFailure. */
export async function readCozeJsonOrRetry<T extends CozeEnvelope>(connection: CozeConnection, response: CozeResponse, signal?: AbortSignal): Promise<T> {
	try {
		return await readCozeJson<T>(connection, response, signal);
	} catch (error) {
		if (error instanceof CozeError && (RETRYABLE_STATUSES.has(error.httpStatus ?? 0) || error.cozeCode === RATE_LIMITED_CODE)) {
			throw new RetryableFailure(error, retryAfterMs(response.headers['retry-after']));
		}
		throw error;
	}
}

/**
 * Reads a JSON answer whole (envelopes are small) and checks it: an HTTP error status or a
 * non-zero `code` (Coze also sends those with HTTP 200) becomes a CozeError.
 */
async function readCozeJson<T extends CozeEnvelope>(connection: CozeConnection, response: CozeResponse, signal?: AbortSignal): Promise<T> {
	let text: string;
	try {
		text = await response.body.text();
	} catch (error) {
		throw requestFailure(error, connection, signal);
	}
	let parsed: unknown;
	try {
		parsed = parseJsonKeepingLongIntegers(text);
	} catch {
		throw notJson(connection, response, text);
	}
	if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
		throw notJson(connection, response, text);
	}
	const envelope = parsed as T;
	const failed = response.statusCode >= 400 || (envelope.code !== undefined && envelope.code !== 0);
	if (failed) throw apiErrorFromEnvelope(envelope, response.statusCode, response.logId, connection.accessToken);
	return envelope;
}

function notJson(connection: CozeConnection, response: CozeResponse, text: string): CozeError {
	const snippet = redactSecret(text.replace(/\s+/g, ' ').trim().slice(0, 200), connection.accessToken);
	const status = response.statusCode;
	return new CozeError(
		status >= 400 ? `Coze answered HTTP ${status} without a Coze error body` : 'Coze answered with something that is not JSON',
		{
			kind: status >= 400 ? 'api' : 'protocol',
			httpStatus: status,
			logId: response.logId,
			description: `${snippet ? `It said: "${snippet}". ` : ''}Check the credential's Base URL points at the Coze API (${connection.baseUrl}), not a web page or a proxy's error page.`,
		},
	);
}

/** Turns undici's failure into a CozeError that says where we tried to go and what to check. */
function requestFailure(error: unknown, connection: CozeConnection, signal?: AbortSignal): CozeError {
	if (error instanceof CozeError) return error;
	if (signal?.aborted) return abortFailure(signal, error);
	const code = causeCode(error);
	if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') return idleTimeoutFailure(connection);
	const detail = redactSecret(describeCause(error), connection.accessToken);
	return new CozeError(`Could not talk to Coze at ${connection.baseUrl}`, {
		kind: 'network',
		description: `${detail}. Check the credential's Region or Base URL, your network, and HTTPS_PROXY / NO_PROXY if n8n reaches the internet through a proxy.`,
	});
}

export function idleTimeoutFailure(connection: CozeConnection): CozeError {
	const seconds = Math.round(policyOf(connection).idleTimeoutMs / 1000);
	return new CozeError(`Coze sent nothing for ${seconds} s (Idle Timeout)`, {
		kind: 'network',
		description: 'The connection looked dead, so it was closed. If Coze is just slow, raise Idle Timeout in the node\'s Request Options. A workflow may still be running in Coze.',
	});
}

interface ChainLink {
	code?: string;
	message?: string;
	cause?: unknown;
}

/**
 * The most specific link of undici's error chain: the first with a socket-level code (undici
 * wraps ECONNREFUSED and the like in its own UND_ERR_* errors), else the first with any code.
 * Duck-typed rather than instanceof: errors can come from another realm (jest's VM).
 */
function specificLink(error: unknown): ChainLink | undefined {
	let current = error as ChainLink | undefined;
	let firstCoded: ChainLink | undefined;
	for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
		if (current.code) {
			if (!current.code.startsWith('UND_ERR')) return current;
			firstCoded ??= current;
		}
		current = current.cause as ChainLink | undefined;
	}
	return firstCoded;
}

/** The most specific error code in undici's error chain. */
export function causeCode(error: unknown): string | undefined {
	return specificLink(error)?.code;
}

/** The most specific reason in undici's error chain, e.g. "connect ECONNREFUSED 127.0.0.1:8888". */
function describeCause(error: unknown): string {
	const link = specificLink(error);
	if (link?.message && !link.code?.startsWith('UND_ERR')) return withCode(link.code, link.message);
	const top = error as ChainLink | undefined;
	if (top && typeof top === 'object' && top.message) return withCode(top.code, top.message);
	return String(error);
}

function withCode(code: string | undefined, message: string): string {
	return code && !message.includes(code) ? `${code}: ${message}` : message;
}

function headerText(value: string | string[] | undefined): string | undefined {
	return Array.isArray(value) ? value[0] : value;
}
