import { isIP } from 'node:net';

import { CozeError } from './coze-error';
import { DEFAULT_POLICY, STUDIO_IDLE_TIMEOUT_MS, type RequestPolicy } from './policy';
import { readPrivateKey } from './jwt-sign';
import { oauthTokens, type OAuthApp, type OAuthTokens } from './oauth-tokens';

/** Where to send requests, with which token, and how patiently. */
export interface CozeConnection {
	/** Origin and optional path prefix, without a trailing slash. */
	baseUrl: string;
	/** A personal access token; empty for an OAuth app, whose tokens come from `oauth`. */
	accessToken: string;
	/** An OAuth app's access tokens (the credential's Authentication: OAuth App (JWT)). */
	oauth?: OAuthTokens;
	/** Retries and timeouts; the defaults when absent. */
	policy?: RequestPolicy;
	/** What else the credential holds that must never be shown (a private key), beyond the token. */
	secrets?: string[];
}

/** The credential's fields that are secrets (its password fields): none of them may ever be shown. */
const SECRET_FIELDS = ['accessToken', 'privateKey'];

export function credentialSecrets(credentials: Record<string, unknown>): string[] {
	return SECRET_FIELDS.map((field) => credentials[field]).filter(
		(value): value is string => typeof value === 'string' && value.trim() !== '',
	);
}

// Where the node's callers have always found it; it lives with the Redactor, which the HTTP
// client uses too (client.ts cannot import this file: it imports the client).
export { redactorFor } from './redaction';

export type CozeRegion = 'cn' | 'com' | 'custom';

/** A Map: the Region is the credential's text, and "constructor" is no region. */
const REGION_BASE_URLS = new Map<string, string>([
	['cn', 'https://api.coze.cn'],
	['com', 'https://api.coze.com'],
]);

/**
 * Turns the stored `cozeApi` credential into a connection, or says which field is wrong. The
 * policy is `requested` on top of the defaults for the credential's server.
 */
export function connectionFromCredentials(
	credentials: Record<string, unknown>,
	requested: Partial<RequestPolicy> = {},
): CozeConnection {
	const secrets = credentialSecrets(credentials);
	const { baseUrl, policy } = serverOf(credentials, requested);
	if (credentials.authentication === 'oauthJwt')
		return {
			baseUrl,
			accessToken: '',
			oauth: oauthTokens(baseUrl, oauthAppOf(credentials)),
			secrets,
			policy,
		};
	const accessToken =
		typeof credentials.accessToken === 'string' ? credentials.accessToken.trim() : '';
	if (!accessToken) {
		throw new CozeError('The Coze API credential has no Access Token', {
			kind: 'config',
			description:
				'Open the credential and paste a personal access token (it starts with "pat_"), created under Coze → API → Personal access tokens.',
		});
	}
	return { baseUrl, accessToken, secrets, policy };
}

/** The server of the credential's Region, and the request policy for it: `requested` on top of its defaults. */
function serverOf(
	credentials: Record<string, unknown>,
	requested: Partial<RequestPolicy>,
): { baseUrl: string; policy: RequestPolicy } {
	const region = (credentials.region ?? 'cn') as CozeRegion;
	if (region === 'custom') {
		// Custom is a self-hosted Coze Studio, whose streams are silent until their first event.
		return {
			baseUrl: normaliseCustomBaseUrl(credentials.baseUrl),
			policy: { ...DEFAULT_POLICY, idleTimeoutMs: STUDIO_IDLE_TIMEOUT_MS, ...requested },
		};
	}
	const baseUrl = REGION_BASE_URLS.get(region);
	if (!baseUrl) {
		throw new CozeError(`The Coze API credential has an unknown Region "${String(region)}"`, {
			kind: 'config',
			description: 'Choose coze.cn, coze.com or Custom in the credential.',
		});
	}
	return { baseUrl, policy: { ...DEFAULT_POLICY, ...requested } };
}

/** The longest an OAuth app's access token may last (`duration_seconds`; cozepy's docstring). */
export const MAX_TOKEN_LIFETIME_SECONDS = 86399;

/** The credential's OAuth app (Authentication: OAuth App (JWT)), each field checked. */
function oauthAppOf(credentials: Record<string, unknown>): OAuthApp {
	const text = (name: string) =>
		typeof credentials[name] === 'string'
			? (credentials[name] as string).trim()
			: credentials[name] === undefined
				? ''
				: String(credentials[name]);
	const missing = (
		[
			['appId', 'App ID', "the OAuth app's ID (client id), on Coze's OAuth apps page"],
			['publicKeyId', 'Public Key ID', "the id Coze shows beside the app's public key"],
			['privateKey', 'Private Key', 'the private key file of that key pair'],
		] as const
	).find(([name]) => !text(name));
	if (missing) {
		throw new CozeError(`The Coze API credential has no ${missing[1]}`, {
			kind: 'config',
			description: `Open the credential and fill in ${missing[1]}: ${missing[2]}.`,
		});
	}
	const lifetime =
		credentials.tokenLifetime === undefined || credentials.tokenLifetime === ''
			? 900
			: Number(credentials.tokenLifetime);
	if (!Number.isInteger(lifetime) || lifetime < 1 || lifetime > MAX_TOKEN_LIFETIME_SECONDS) {
		throw new CozeError(
			`The Coze API credential's Token Lifetime must be a whole number of seconds from 1 to ${MAX_TOKEN_LIFETIME_SECONDS}`,
			{
				kind: 'config',
				description: `It is ${JSON.stringify(credentials.tokenLifetime)}. Leave it empty for 900 (15 minutes).`,
			},
		);
	}
	return {
		appId: text('appId'),
		publicKeyId: text('publicKeyId'),
		key: readPrivateKey(credentials.privateKey),
		tokenLifetime: lifetime,
	};
}

function normaliseCustomBaseUrl(raw: unknown): string {
	const text = typeof raw === 'string' ? raw.trim() : '';
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		throw new CozeError(`The Coze API credential's Base URL "${text}" is not a URL`, {
			kind: 'config',
			description: 'Give the address of your Coze Studio, for example http://localhost:8888',
		});
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') {
		throw new CozeError(`The Coze API credential's Base URL must start with http:// or https://`, {
			kind: 'config',
			description: `"${text}" uses ${url.protocol}; for example http://localhost:8888`,
		});
	}
	// The URL parser drops an empty "?" or "#"; either would still break every path appended to it.
	if (url.username || url.password || text.includes('?') || text.includes('#')) {
		throw new CozeError(`The Coze API credential's Base URL must be a plain address`, {
			kind: 'config',
			description:
				'Remove any user name, password, "?query" or "#fragment" from it, e.g. http://localhost:8888',
		});
	}
	if (url.protocol === 'http:' && !isLocalOrPrivateHost(url.hostname)) {
		throw new CozeError(
			`The Coze API credential's Base URL must use https:// for ${url.hostname}`,
			{
				kind: 'config',
				description:
					'Plain http:// would send your access token unencrypted across the internet. It is allowed only for this machine or a private network (localhost, 10.x, 172.16–31.x, 192.168.x, fc00::/7, or a one-word host name such as a Docker service).',
			},
		);
	}
	return url.href.replace(/\/+$/, '');
}

/**
 * Cloud metadata services answer on link-local or private-looking addresses and names; they
 * are not a Coze Studio, and sending a token there in plain text is what an attacker wants.
 */
const METADATA_HOSTS = new Set([
	'metadata',
	'metadata.google.internal',
	'instance-data',
	'instance-data.ec2.internal',
	'fd00:ec2::254',
]);

/** Loopback, private ranges and names that only resolve inside a private network; not link-local. */
function isLocalOrPrivateHost(hostname: string): boolean {
	const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
	if (METADATA_HOSTS.has(host)) return false;
	if (host === 'localhost' || host.endsWith('.localhost')) return true;
	const version = isIP(host);
	if (version === 4) return isPrivateIPv4(host);
	if (version === 6) {
		const mapped = mappedIPv4(host);
		if (mapped) return isPrivateIPv4(mapped);
		// Loopback and unique local addresses (fc00::/7); link-local fe80::/10 is not a network of yours.
		return host === '::1' || /^f[cd]/.test(host);
	}
	// One-word names (a Docker or Kubernetes service such as "coze-server") and private suffixes.
	return !host.includes('.') || /\.(local|internal|lan|home\.arpa)$/.test(host);
}

function isPrivateIPv4(host: string): boolean {
	const [a, b] = host.split('.').map(Number);
	return a === 127 || a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
}

/** The IPv4 address inside an IPv4-mapped IPv6 one (the URL parser writes ::ffff:127.0.0.1 as ::ffff:7f00:1). */
function mappedIPv4(host: string): string | undefined {
	const match = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(host);
	if (!match) return undefined;
	const high = parseInt(match[1], 16);
	const low = parseInt(match[2], 16);
	return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}
