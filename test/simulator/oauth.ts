// The cloud's OAuth token exchange for service apps (POST /api/permission/oauth2/token), checking
// the app's JWT for real: the signature against the app's public key, kid, iss, aud, exp, iat,
// and a jti never seen before.
//
// Evidence: the request (Bearer JWT, {"duration_seconds", "grant_type": "urn:ietf:params:oauth:
// grant-type:jwt-bearer"}) and the flat answer {access_token, expires_in (a Unix time),
// refresh_token "", token_type} are cozepy's (auth/__init__.py, tests/test_auth.py) and coze-js's
// (auth.ts, auth.spec.ts). Errors are OAuth-style {error_code, error_message, error} with the
// x-tt-logid header, their codes those of Coze's page (oauth-errors.ts). A JWT Coze does not take
// is HTTP 401 invalid_client; the one message seen from coze.cn is "invalid jwt: kid not been
// registred" (coze-py issues 148, 230; coze-go issue 43); the other JWT messages here have no
// evidence. Coze Studio has no such route (its session middleware answers 401 "missing
// session_key in cookie").
import { createHash, randomBytes, verify, type KeyObject } from 'node:crypto';

import {
	documentedMessage,
	oauthRefusal,
	type ExpiresInShape,
	type OAuthErrorCode,
} from './oauth-errors';

export interface SimOAuthApp {
	appId: string;
	publicKeyId: string;
	publicKey: KeyObject;
}

export interface ExchangeAnswer {
	status: number;
	body: Record<string, unknown>;
}

/** How far ahead of the server's clock an `iat` may be (no evidence for Coze's own allowance). */
const ALLOWED_SKEW_SECONDS = 60;

export class SimOAuth {
	/** Token exchanges answered with a token. */
	exchanges = 0;
	/** When set, the lifetime of every token issued (tests see renewals), whatever was asked for. */
	tokenLifetimeSeconds?: number;
	/** The server's clock against this machine's, in seconds (a clock-skew test moves it). */
	clockOffsetSeconds = 0;
	/** When set, every exchange whose JWT is good is refused with this code, as Coze's page words it. */
	refuseWith?: OAuthErrorCode;
	/** When set, what the answer says in `expires_in` (the token still ends when it really does). */
	expiresIn?: ExpiresInShape;
	private readonly apps = new Map<string, SimOAuthApp>();
	private readonly usedJti = new Set<string>();
	private readonly tokens = new Map<string, number>();

	register(app: SimOAuthApp): void {
		this.apps.set(app.publicKeyId, app);
	}

	/** Whether `token` is one this server issued and still honours. */
	accepts(token: string): boolean {
		const expiresAt = this.tokens.get(token);
		return expiresAt !== undefined && Date.now() < expiresAt;
	}

	/** Every token issued so far stops working (revoked, as by the app's owner). */
	revokeAll(): void {
		this.tokens.clear();
	}

	/** The tokens issued and still honoured (tests look for them in outputs). */
	liveTokens(): string[] {
		return [...this.tokens.keys()];
	}

	exchange(authorization: string | undefined, body: string, host: string): ExchangeAnswer {
		const refuse = (message: string): ExchangeAnswer => oauthRefusal('invalid_client', message);
		const jwt = authorization?.startsWith('Bearer ') ? authorization.slice(7) : '';
		const [headerPart, payloadPart, signaturePart] = jwt.split('.');
		if (!headerPart || !payloadPart || !signaturePart) return refuse('verify jwt empty error');
		let header: Record<string, unknown>;
		let payload: Record<string, unknown>;
		try {
			header = JSON.parse(Buffer.from(headerPart, 'base64url').toString('utf8')) as Record<
				string,
				unknown
			>;
			payload = JSON.parse(Buffer.from(payloadPart, 'base64url').toString('utf8')) as Record<
				string,
				unknown
			>;
		} catch {
			return refuse('invalid jwt: malformed');
		}
		const app = this.apps.get(String(header.kid));
		if (header.alg !== 'RS256' || header.typ !== 'JWT')
			return refuse('invalid jwt: alg must be RS256');
		if (!app) return refuse('invalid jwt: kid not been registred');
		if (
			!verify(
				'sha256',
				Buffer.from(`${headerPart}.${payloadPart}`),
				app.publicKey,
				Buffer.from(signaturePart, 'base64url'),
			)
		) {
			return refuse('invalid jwt: signature verification failed');
		}
		if (payload.iss !== app.appId)
			return refuse('invalid jwt: iss is not the client id of this key');
		if (payload.aud !== host) return refuse(`invalid jwt: aud must be ${host}`);
		const now = Math.floor(Date.now() / 1000) + this.clockOffsetSeconds;
		if (typeof payload.iat !== 'number' || payload.iat > now + ALLOWED_SKEW_SECONDS)
			return refuse('invalid jwt: iat is in the future');
		if (typeof payload.exp !== 'number' || payload.exp <= now)
			return refuse('invalid jwt: token has expired');
		const jti = typeof payload.jti === 'string' ? payload.jti : '';
		if (!jti || this.usedJti.has(jti)) return refuse('invalid jwt: jti has been used');
		this.usedJti.add(jti);
		const request = JSON.parse(body || '{}') as {
			grant_type?: unknown;
			duration_seconds?: unknown;
		};
		if (request.grant_type !== 'urn:ietf:params:oauth:grant-type:jwt-bearer')
			return oauthRefusal(
				'unsupported_grant_type',
				`not supported grant type: ${String(request.grant_type)}`,
			);
		if (this.refuseWith)
			return oauthRefusal(
				this.refuseWith,
				documentedMessage(this.refuseWith, `n8n app ${app.appId}`),
			);
		const lifetime =
			this.tokenLifetimeSeconds ??
			(typeof request.duration_seconds === 'number' ? request.duration_seconds : 900);
		const token = `czs_${randomBytes(24).toString('hex')}`;
		// The token ends at the second the answer names, not later.
		const endsAt = Math.floor(Date.now() / 1000) + lifetime;
		this.tokens.set(token, endsAt * 1000);
		this.exchanges += 1;
		const expiresIn = this.expiresIn ? this.expiresIn(endsAt, lifetime) : endsAt;
		return {
			status: 200,
			body: { access_token: token, expires_in: expiresIn, refresh_token: '', token_type: 'Bearer' },
		};
	}
}

/** A stable short name of a public key, for test names. */
export function keyName(key: KeyObject): string {
	return createHash('sha256')
		.update(key.export({ type: 'spki', format: 'der' }))
		.digest('hex')
		.slice(0, 8);
}
