import type { Readable } from 'node:stream';

import { request, type Dispatcher } from 'undici';

import { abortFailure, runTimeLimit } from './abort';
import type { CozeConnection } from './connection';
import { CozeError } from './coze-error';
import { cozeDispatcher } from './dispatcher';
import { apiErrorFromEnvelope, isPermissionRefusal, type CozeEnvelope } from './envelope';
import { LocalReadError } from './local-read-error';
import { JsonTooDeep, MAX_JSON_DEPTH, parseJsonKeepingLongIntegers } from './lossless-json';
import type { StreamedBody } from './multipart';
import { DEFAULT_POLICY, type RequestPolicy } from './policy';
import { redactorFor } from './redaction';
import { retryAfterMs, withRetries } from './retry';
import type { RequestKind } from './retry-rules';

export interface CozeRequest {
	method: 'GET' | 'POST';
	/** Path under the base URL, starting with "/", e.g. "/v1/files/upload". */
	path: string;
	/** What the request does: it decides which failures are retried (retry-rules.ts). */
	kind: RequestKind;
	query?: Record<string, string>;
	/** A JSON body, already serialised (lossless-json's stringifyJson keeps every digit); exclusive with `body`. */
	json?: string;
	/** A streamed body (a multipart upload), made anew for each try. */
	body?: () => Promise<StreamedBody>;
	/** Fires when the n8n execution is stopped. (Run Time Limit and Idle Timeout are applied inside the transport.) */
	signal?: AbortSignal;
	/** An event stream is asked for: its idle time is measured per event by its reader, not per byte. */
	stream?: boolean;
	/** The bearer token of this try (an OAuth app's, or its JWT for the exchange); the connection's access token by default. */
	bearer?: string;
	/** For a request that starts a run: what Coze may have done with it, when it failed after it went out (retry-rules.ts runMayHaveStarted). */
	mayHaveStarted?: string;
}

export interface CozeResponse {
	statusCode: number;
	headers: Dispatcher.ResponseData['headers'];
	body: Dispatcher.ResponseData['body'];
	/** `x-tt-logid` (cloud) or `X-Log-ID` (Coze Studio). */
	logId?: string;
	/** The path that was asked (CozeRequest.path): an error names the permission its endpoint needs. */
	path?: string;
}

const USER_AGENT = 'n8n-nodes-coze-workflow';

/** Failures of the connection itself: nothing was sent, so any request may be sent again. */
const NOT_CONNECTED_CODES = new Set([
	'ECONNREFUSED',
	'ENOTFOUND',
	'EAI_AGAIN',
	'ENETUNREACH',
	'EHOSTUNREACH',
	'EADDRNOTAVAIL',
	'UND_ERR_CONNECT_TIMEOUT',
]);

export function policyOf(connection: CozeConnection): RequestPolicy {
	return connection.policy ?? DEFAULT_POLICY;
}

/**
 * Sends one request (one try) and hands back the response with its body unread, so that a
 * caller can stream it. Throws a CozeError for what never became a usable response: no
 * connection, a stopped execution, a redirect (not followed: it would carry the token to
 * another host), or a body encoded in a way that was not asked for.
 */
export async function sendCozeRequest(
	connection: CozeConnection,
	req: CozeRequest,
): Promise<CozeResponse> {
	const url = new URL(connection.baseUrl + req.path);
	for (const [key, value] of Object.entries(req.query ?? {})) url.searchParams.set(key, value);
	const policy = policyOf(connection);

	const headers: Record<string, string> = {
		authorization: `Bearer ${req.bearer ?? connection.accessToken}`,
		accept: req.stream ? 'text/event-stream' : 'application/json',
		'user-agent': USER_AGENT,
	};
	let body: string | AsyncIterable<Uint8Array> | undefined;
	if (req.json !== undefined) {
		headers['content-type'] = 'application/json';
		body = req.json;
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
			// A stream's reader times whole events instead (workflow-stream.ts); 0 turns undici's off.
			bodyTimeout: req.stream ? 0 : policy.idleTimeoutMs,
		});
	} catch (error) {
		throw requestFailure(error, connection, req.signal);
	}

	const logId =
		headerText(response.headers['x-tt-logid']) ?? headerText(response.headers['x-log-id']);
	if (response.statusCode >= 300 && response.statusCode < 400) {
		await response.body.dump();
		const location = headerText(response.headers.location) ?? 'another address';
		throw new CozeError(
			`Coze answered with a redirect (HTTP ${response.statusCode}), which is not followed`,
			{
				kind: 'protocol',
				httpStatus: response.statusCode,
				logId,
				description: `The server points to ${location}. Following it would send your access token there, so set the credential's Base URL to the final address instead.`,
			},
		);
	}
	const encoding = headerText(response.headers['content-encoding'])?.trim().toLowerCase();
	if (encoding && encoding !== 'identity') {
		await response.body.dump().catch(() => undefined);
		throw new CozeError(
			`Coze answered with a ${encoding}-encoded body, which the node did not ask for`,
			{
				kind: 'protocol',
				httpStatus: response.statusCode,
				logId,
				description: `The node asks for plain bodies. Something between n8n and Coze (a proxy or gateway at ${connection.baseUrl}) encoded it: configure it to pass Coze's answers through unchanged.`,
			},
		);
	}
	return {
		statusCode: response.statusCode,
		headers: response.headers,
		body: response.body,
		logId,
		path: req.path,
	};
}

/** Sends a request whose answer is Coze's JSON envelope, with retries by its kind, and returns it once `code` is 0. */
export async function requestCozeJson<T extends CozeEnvelope>(
	connection: CozeConnection,
	req: CozeRequest,
): Promise<T> {
	const policy = policyOf(connection);
	const limit = runTimeLimit(policy.runTimeLimitMs, req.kind, req.signal);
	try {
		return await withRetries(
			policy,
			req.kind,
			limit.signal,
			() =>
				withFreshToken(connection, limit.signal, async (bearer) => {
					const response = await sendCozeRequest(connection, {
						...req,
						bearer,
						signal: limit.signal,
					});
					return await readCozeJson<T>(connection, response, limit.signal);
				}),
			req.mayHaveStarted,
		);
	} finally {
		limit.clear();
	}
}

/** Coze refused the token itself: HTTP 401, or code 4100 (coze-js error.ts maps both to AuthenticationError). */
function isTokenRefused(error: unknown): boolean {
	return (
		error instanceof CozeError &&
		error.kind === 'api' &&
		(error.httpStatus === 401 || error.cozeCode === 4100)
	);
}

/**
 * One try with the connection's token. An OAuth app's token that Coze refuses (revoked, or
 * expired before its time) is dropped and the try made once more with a new one: a refused
 * request was not taken on, so even one that starts a run may be sent again. A second refusal
 * is final. A personal access token is what it is: its refusal is final at once.
 */
export async function withFreshToken<T>(
	connection: CozeConnection,
	signal: AbortSignal | undefined,
	attempt: (bearer: string) => Promise<T>,
): Promise<T> {
	const { oauth } = connection;
	if (!oauth) return await attempt(connection.accessToken);
	const token = await oauth.token(connection, signal);
	try {
		return await attempt(token);
	} catch (error) {
		if (!isTokenRefused(error)) throw forOAuthApp(error);
		oauth.invalidate(token);
	}
	try {
		return await attempt(await oauth.token(connection, signal));
	} catch (error) {
		if (!isTokenRefused(error) || !(error instanceof CozeError)) throw forOAuthApp(error);
		throw error.with({
			description:
				`Coze refused a token the OAuth app had just been given. Check that the app has the permissions this needs (workflow, file) and is authorised for the workspace. ${error.description ?? ''}`.trim(),
		});
	}
}

/** A missing permission (HTTP 403, code 4101) is the OAuth app's, not a token's to edit. */
function forOAuthApp(error: unknown): unknown {
	if (
		!(error instanceof CozeError) ||
		error.kind !== 'api' ||
		!isPermissionRefusal(error.httpStatus, error.cozeCode)
	)
		return error;
	const needed = error.permission;
	const what = needed
		? `the ${needed.permission} permission, which ${needed.use} needs`
		: 'the permission (running workflows, uploading files, conversations)';
	return error.with({
		description: `The OAuth app lacks a permission this needs: in Coze, open the app under API → Authorization → OAuth apps, grant it ${what}, and authorise it for the workspace of this workflow. Or the credential's Region is not the site where the app was made.`,
	});
}

/**
 * Reads a JSON answer whole, up to the policy's output cap, and checks it: an HTTP error status
 * or a non-zero `code` (Coze also sends those with HTTP 200) becomes a CozeError, which carries
 * the answer's Retry-After for the retry loop.
 */
export async function readCozeJson<T extends CozeEnvelope>(
	connection: CozeConnection,
	response: CozeResponse,
	signal?: AbortSignal,
	/** What a successful status with no body at all means for this request, when it means something. */
	emptyAnswer?: CozeError,
): Promise<T> {
	const text = await readText(connection, response, signal);
	if (emptyAnswer && response.statusCode < 300 && text.trim() === '')
		throw emptyAnswer.with({ httpStatus: response.statusCode, logId: response.logId });
	let parsed: unknown;
	try {
		parsed = parseJsonKeepingLongIntegers(text);
	} catch (error) {
		if (error instanceof JsonTooDeep) {
			throw new CozeError(`Coze answered with JSON nested deeper than ${MAX_JSON_DEPTH} levels`, {
				kind: 'protocol',
				httpStatus: response.statusCode,
				logId: response.logId,
				description: `The node reads JSON up to ${MAX_JSON_DEPTH} levels deep, so that such data cannot overflow n8n's call stack. Coze's own answers are a few levels deep: check the workflow's output in Coze, and that the Base URL points at the Coze API.`,
			});
		}
		throw notJson(connection, response, text);
	}
	if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
		throw notJson(connection, response, text);
	}
	const envelope = parsed as T;
	const failed = response.statusCode >= 400 || (envelope.code !== undefined && envelope.code !== 0);
	if (failed)
		throw apiErrorFromEnvelope(envelope, response.statusCode, response.logId, response.path).with({
			retryAfterMs: retryAfterMs(response.headers['retry-after']),
		});
	return envelope;
}

async function readText(
	connection: CozeConnection,
	response: CozeResponse,
	signal?: AbortSignal,
): Promise<string> {
	const limit = policyOf(connection).maxOutputBytes;
	const chunks: Buffer[] = [];
	let bytes = 0;
	try {
		for await (const chunk of response.body) {
			bytes += (chunk as Buffer).length;
			if (bytes > limit) {
				response.body.destroy();
				throw new CozeError(
					`Coze's answer is larger than Max Output Size (${Math.round(limit / 1024 / 1024)} MB)`,
					{
						kind: 'protocol',
						httpStatus: response.statusCode,
						logId: response.logId,
						description:
							"Raise Max Output Size in the node's Request Options if n8n has the memory for it.",
					},
				);
			}
			chunks.push(chunk as Buffer);
		}
	} catch (error) {
		throw requestFailure(error, connection, signal, true);
	}
	return Buffer.concat(chunks).toString('utf8');
}

function notJson(connection: CozeConnection, response: CozeResponse, text: string): CozeError {
	const said = redactorFor(connection).snippet(text, 200);
	const status = response.statusCode;
	return new CozeError(
		status >= 400
			? `Coze answered HTTP ${status} without a Coze error body`
			: 'Coze answered with something that is not JSON',
		{
			kind: status >= 400 ? 'api' : 'protocol',
			httpStatus: status,
			logId: response.logId,
			retryAfterMs: retryAfterMs(response.headers['retry-after']),
			...(said ? { bodyText: said } : {}),
			description: `${said ? `It said: "${said}". ` : ''}Check the credential's Base URL points at the Coze API (${connection.baseUrl}), not a web page or a proxy's error page.`,
		},
	);
}

/**
 * Turns undici's failure into a CozeError that says where we tried to go and what to check,
 * and whether a connection had been made (retry-rules.ts decides on that).
 */
export function requestFailure(
	error: unknown,
	connection: CozeConnection,
	signal?: AbortSignal,
	answered = false,
): CozeError {
	if (error instanceof CozeError) return error;
	if (signal?.aborted) return abortFailure(signal, error);
	const local = LocalReadError.within(error);
	if (local) return local.toCozeError();
	const code = causeCode(error);
	if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT')
		return idleTimeoutFailure(connection);
	// Only a failure known to come before the connection proves nothing was sent; any other
	// (a reset, a closed socket, a code not seen before) may have come after the request went out.
	const connected = answered || !NOT_CONNECTED_CODES.has(code ?? '');
	return new CozeError(
		connected
			? `The connection to Coze at ${connection.baseUrl} broke`
			: `Could not talk to Coze at ${connection.baseUrl}`,
		{
			kind: 'network',
			connected,
			description: `${describeCause(error)}. Check the credential's Region or Base URL, your network, and HTTPS_PROXY / NO_PROXY if n8n reaches the internet through a proxy.`,
		},
	);
}

/** Idle Timeout's error; `mayStillRun` says what may still be going on in Coze (a workflow unless given). */
export function idleTimeoutFailure(
	connection: CozeConnection,
	mayStillRun = 'A workflow may still be running in Coze.',
): CozeError {
	const seconds = Math.round(policyOf(connection).idleTimeoutMs / 1000);
	return new CozeError(`Coze sent nothing for ${seconds} s (Idle Timeout)`, {
		kind: 'timeout',
		description: `The connection looked dead, so it was closed. If Coze is just slow, raise Idle Timeout in the node's Request Options. ${mayStillRun}`,
	});
}

interface ChainLink {
	code?: unknown;
	message?: string;
	cause?: unknown;
}

/** A link's code, when it is a string: a DOMException's `code` is a number (an abort's reason). */
function codeOf(link: ChainLink): string | undefined {
	return typeof link.code === 'string' ? link.code : undefined;
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
		const code = codeOf(current);
		if (code) {
			if (!code.startsWith('UND_ERR')) return current;
			firstCoded ??= current;
		}
		current = current.cause as ChainLink | undefined;
	}
	return firstCoded;
}

/** The most specific error code in undici's error chain. */
function causeCode(error: unknown): string | undefined {
	const link = specificLink(error);
	return link ? codeOf(link) : undefined;
}

/** The most specific reason in undici's error chain, e.g. "connect ECONNREFUSED 127.0.0.1:8888". */
function describeCause(error: unknown): string {
	const link = specificLink(error);
	const code = link ? codeOf(link) : undefined;
	if (link?.message && !code?.startsWith('UND_ERR')) return withCode(code, link.message);
	const top = error as ChainLink | undefined;
	if (top && typeof top === 'object' && top.message) return withCode(codeOf(top), top.message);
	return String(error);
}

function withCode(code: string | undefined, message: string): string {
	return code && !message.includes(code) ? `${code}: ${message}` : message;
}

function headerText(value: string | string[] | undefined): string | undefined {
	return Array.isArray(value) ? value[0] : value;
}
