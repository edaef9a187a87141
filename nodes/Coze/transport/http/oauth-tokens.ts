import type { KeyObject } from 'node:crypto';

import { abortFailure } from './abort';
import { policyOf, readCozeJson, sendCozeRequest } from './client';
import type { CozeConnection } from './connection';
import { CozeError } from './coze-error';
import { apiErrorFromEnvelope, isStudioUnknownPath, type CozeEnvelope } from './envelope';
import { keyFingerprint, signAppJwt } from './jwt-sign';
import { withRetries } from './retry';

/** An OAuth service application (服务类应用) of Coze, as the credential describes it. */
export interface OAuthApp {
	appId: string;
	publicKeyId: string;
	key: KeyObject;
	/** Seconds an access token should last (`duration_seconds`): 900 unless set; Coze's maximum is 86399. */
	tokenLifetime: number;
}

/** The exchange's answer: flat, not Coze's envelope; `expires_in` is a Unix time in seconds (cozepy OAuthToken, coze-go auth_token.go). */
interface TokenAnswer extends CozeEnvelope {
	access_token?: unknown;
	expires_in?: unknown;
}

/** How many of the secrets a source made are kept for redaction (tokens and JWTs of this process). */
const REMEMBERED_SECRETS = 32;

/**
 * Access tokens of one OAuth app on one Coze server, for the whole n8n process: made on first
 * use, renewed ahead of expiry, one exchange at a time however many items and executions ask.
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
		const answer = await withRetries(policyOf(connection), 'read', undefined, async () => {
			const jwt = signAppJwt({ ...this.app, audience });
			this.remember(jwt);
			const response = await sendCozeRequest(connection, {
				method: 'POST',
				path: '/api/permission/oauth2/token',
				kind: 'read',
				json: JSON.stringify({ duration_seconds: this.app.tokenLifetime, grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer' }),
				bearer: jwt,
			});
			return await readCozeJson<TokenAnswer>(connection, response);
		});
		const token = typeof answer.access_token === 'string' ? answer.access_token.trim() : '';
		const expiresAt = Number(answer.expires_in) * 1000;
		// An error may come with HTTP 200 (cozepy's tests send {"error_code": …} so).
		if (!token || !Number.isFinite(expiresAt)) throw apiErrorFromEnvelope(answer, 200, undefined);
		this.remember(token);
		const now = Date.now();
		// Renewed ahead of expiry (coze-go renews 30 s before a 15-minute token ends): a fifth of its life, at most 30 s.
		const margin = Math.min(30_000, Math.max(0, expiresAt - now) / 5);
		this.current = { token, renewAt: expiresAt - margin };
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
 * What to fix when the app gets no token: Coze's words, and the field they point at. No SDK or
 * server source maps JWT faults to codes: the field is read from Coze's message ("invalid jwt:
 * kid not been registred" is one seen from coze.cn, in coze-py issues 148 and 230).
 */
function exchangeFailure(error: unknown, app: OAuthApp): unknown {
	if (!(error instanceof CozeError)) return error;
	if (error.kind !== 'api') return error.with({ message: `Could not get an access token for the OAuth app: ${error.message}`, tokenExchange: true });
	if (isStudioUnknownPath(error)) {
		return new CozeError('This Coze server has no OAuth token exchange', {
			kind: 'config',
			httpStatus: error.httpStatus,
			logId: error.logId,
			tokenExchange: true,
			description: "Coze Studio accepts personal access tokens only: set the credential's Authentication to Personal Access Token.",
		});
	}
	const said = error.message.toLowerCase();
	const field = /\bkid\b|public key/.test(said)
		? `Public Key ID "${app.publicKeyId}" is not a key of this app on this server: check it, and that the credential's Region is the site where the app was made.`
		: /signature|verify|sign/.test(said)
			? 'The Private Key does not match the Public Key ID: paste the private key of that key pair.'
			: /\biss\b|client|app/.test(said)
				? `App ID "${app.appId}" is not an OAuth app of this server: use the app's ID (client id) from Coze's OAuth apps page.`
				: /\bexp\b|\biat\b|expire|time|clock/.test(said)
					? 'Coze refused the time in the token: the clock of the machine n8n runs on is probably wrong (check NTP).'
					: "Check the credential's App ID, Public Key ID and Private Key (the key pair of that public key id), and that the Region is the site where the OAuth app was made.";
	return error.with({ message: `Coze refused the OAuth app's token request: ${error.message}`, description: field, tokenExchange: true });
}

/** Every OAuth app's tokens in this process, by server, app and key. */
const sources = new Map<string, OAuthTokens>();

export function oauthTokens(baseUrl: string, app: OAuthApp): OAuthTokens {
	const key = [baseUrl, app.appId, app.publicKeyId, keyFingerprint(app.key), app.tokenLifetime].join('\u0000');
	let source = sources.get(key);
	if (!source) {
		source = new OAuthTokens(app);
		sources.set(key, source);
	}
	return source;
}
