import type { KeyObject } from 'node:crypto';

import { abortFailure } from './abort';
import { policyOf, readCozeJson, sendCozeRequest } from './client';
import type { CozeConnection } from './connection';
import { processCache } from './bounded-cache';
import { apiErrorFromEnvelope, type CozeEnvelope } from './envelope';
import { keyFingerprint, signAppJwt } from './jwt-sign';
import { exchangeFailure, noTokenInAnswer } from './oauth-errors';
import { renewalTime } from './oauth-expiry';
import { withRetries } from './retry';

/** An OAuth service application (服务类应用) of Coze, as the credential describes it. */
export interface OAuthApp {
	appId: string;
	publicKeyId: string;
	key: KeyObject;
	/** Seconds an access token should last (`duration_seconds`): 900 unless set; Coze's maximum is 86399. */
	tokenLifetime: number;
}

/** The exchange's answer: flat, not Coze's envelope; `expires_in` is a Unix time in seconds (how it is read: oauth-expiry.ts). */
interface TokenAnswer extends CozeEnvelope {
	access_token?: unknown;
	expires_in?: unknown;
}

/** How many of the secrets a source made are kept for redaction (tokens and JWTs of this process). */
const REMEMBERED_SECRETS = 32;

/**
 * Access tokens of one OAuth app on one Coze server, for the whole n8n process: made on first
 * use, renewed ahead of expiry but kept at least a lifetime floor (oauth-expiry.ts), one exchange
 * at a time however many items and executions ask.
 * Each process (a queue-mode worker too) exchanges for itself; tokens are never stored.
 */
export class OAuthTokens {
	private current?: { token: string; renewAt: number };
	private exchanging?: Promise<string>;
	/** Replaced, never changed in place: a redactor sees by its identity that it changed. */
	private issued: readonly string[] = [];

	constructor(private readonly app: OAuthApp) {}

	/**
	 * A token to send now: the cached one while it is fresh, else a new one, exchanged over
	 * `connection` (its address and request policy) and shared with anyone asking meanwhile.
	 */
	async token(connection: CozeConnection, signal?: AbortSignal): Promise<string> {
		if (this.current && Date.now() < this.current.renewAt) return this.current.token;
		// Not stopped by one asker's cancel signal, which would fail everyone waiting on it; the
		// request policy's timeouts bound it.
		this.exchanging ??= this.exchange(connection).finally(() => (this.exchanging = undefined));
		return await abortable(this.exchanging, signal);
	}

	/** Coze refused `token` (revoked, expired early): the next request exchanges a new one. */
	invalidate(token: string): void {
		if (this.current?.token === token) this.current = undefined;
	}

	/** Every token and JWT this source made lately: none may leave the node in any text. */
	secrets(): readonly string[] {
		return this.issued;
	}

	private remember(secret: string): void {
		this.issued = [...this.issued.slice(1 - REMEMBERED_SECRETS), secret];
	}

	private async exchange(connection: CozeConnection): Promise<string> {
		try {
			return await this.exchangeOnce(connection);
		} catch (error) {
			throw exchangeFailure(error, this.app);
		}
	}

	private async exchangeOnce(connection: CozeConnection): Promise<string> {
		// The JWT is for the API host (cozepy: urlparse(base_url).netloc; coze-js's examples: api.coze.cn).
		const audience = new URL(connection.baseUrl).host;
		// A token asked for twice is harmless: retried like a read.
		const { answer, httpStatus, logId } = await withRetries(
			policyOf(connection),
			'read',
			undefined,
			async () => {
				const jwt = signAppJwt({ ...this.app, audience });
				this.remember(jwt);
				const response = await sendCozeRequest(connection, {
					method: 'POST',
					path: '/api/permission/oauth2/token',
					kind: 'read',
					json: JSON.stringify({
						duration_seconds: this.app.tokenLifetime,
						grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
					}),
					bearer: jwt,
				});
				const read = await readCozeJson<TokenAnswer>(connection, response);
				// A refusal may come with HTTP 200 (cozepy's tests send {"error_code": …} so): its code says it is one.
				if (typeof read.error_code === 'string' && read.error_code)
					throw apiErrorFromEnvelope(read, response.statusCode, response.logId);
				return { answer: read, httpStatus: response.statusCode, logId: response.logId };
			},
		);
		const token = typeof answer.access_token === 'string' ? answer.access_token.trim() : '';
		if (!token) throw noTokenInAnswer(httpStatus, logId);
		this.remember(token);
		this.current = {
			token,
			renewAt: renewalTime(answer.expires_in, Date.now(), this.app.tokenLifetime),
		};
		return token;
	}
}

/** `promise`, or the abort failure as soon as `signal` fires (the promise goes on for others). */
function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
	if (!signal) return promise;
	if (signal.aborted) return Promise.reject(abortFailure(signal));
	return new Promise<T>((resolve, reject) => {
		const onAbort = () => reject(abortFailure(signal));
		signal.addEventListener('abort', onAbort, { once: true });
		promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
	});
}

/**
 * The most OAuth apps (by server, app, key and token lifetime) whose tokens the process keeps.
 * Past it the least recently used app's go: its next request exchanges a new token, and an
 * execution still holding its source goes on with it.
 */
export const MAX_OAUTH_SOURCES = 100;

/** Every OAuth app's tokens in this process, by server, app and key. */
const sources = processCache<string, OAuthTokens>('oauth-token-sources', {
	maxEntries: MAX_OAUTH_SOURCES,
});

export function oauthTokens(baseUrl: string, app: OAuthApp): OAuthTokens {
	const key = [
		baseUrl,
		app.appId,
		app.publicKeyId,
		keyFingerprint(app.key),
		app.tokenLifetime,
	].join('\u0000');
	let source = sources.get(key);
	if (!source) {
		source = new OAuthTokens(app);
		sources.set(key, source);
	}
	return source;
}
