import { isIP } from 'node:net';

import { CozeError } from './coze-error';
import type { RequestPolicy } from './policy';

/** Where to send requests, with which token, and how patiently. */
export interface CozeConnection {
	/** Origin and optional path prefix, without a trailing slash. */
	baseUrl: string;
	accessToken: string;
	/** Retries and timeouts; the defaults when absent. */
	policy?: RequestPolicy;
}

export type CozeRegion = 'cn' | 'com' | 'custom';

const REGION_BASE_URLS: Record<Exclude<CozeRegion, 'custom'>, string> = {
	cn: 'https://api.coze.cn',
	com: 'https://api.coze.com',
};

/** Turns the stored `cozeApi` credential into a connection, or says which field is wrong. */
export function connectionFromCredentials(credentials: Record<string, unknown>): CozeConnection {
	const accessToken = typeof credentials.accessToken === 'string' ? credentials.accessToken.trim() : '';
	if (!accessToken) {
		throw new CozeError('The Coze API credential has no Access Token', {
			kind: 'config',
			description:
				'Open the credential and paste a personal access token (it starts with "pat_"), created under Coze → API → Personal access tokens.',
		});
	}
	const region = (credentials.region ?? 'cn') as CozeRegion;
	if (region === 'custom') {
		return { baseUrl: normaliseCustomBaseUrl(credentials.baseUrl), accessToken };
	}
	const baseUrl = REGION_BASE_URLS[region];
	if (!baseUrl) {
		throw new CozeError(`The Coze API credential has an unknown Region "${String(region)}"`, {
			kind: 'config',
			description: 'Choose coze.cn, coze.com or Custom in the credential.',
		});
	}
	return { baseUrl, accessToken };
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
	if (url.protocol === 'http:' && !isLocalOrPrivateHost(url.hostname)) {
		throw new CozeError(`The Coze API credential's Base URL must use https:// for ${url.hostname}`, {
			kind: 'config',
			description:
				'Plain http:// would send your access token unencrypted across the internet. It is allowed only for this machine or a private network (localhost, 10.x, 172.16–31.x, 192.168.x, fc00::/7, or a one-word host name such as a Docker service).',
		});
	}
	if (url.username || url.password || url.search || url.hash) {
		throw new CozeError(`The Coze API credential's Base URL must be a plain address`, {
			kind: 'config',
			description: 'Remove any user name, password, "?query" or "#fragment" from it.',
		});
	}
	return url.href.replace(/\/+$/, '');
}

/** Loopback, private and link-local addresses, and names that only resolve inside a private network. */
function isLocalOrPrivateHost(hostname: string): boolean {
	const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
	if (host === 'localhost' || host.endsWith('.localhost')) return true;
	const version = isIP(host);
	if (version === 4) {
		const [a, b] = host.split('.').map(Number);
		return a === 127 || a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254);
	}
	if (version === 6) return host === '::1' || /^f[cd]/.test(host) || /^fe[89ab]/.test(host);
	// One-word names (a Docker or Kubernetes service such as "coze-server") and private suffixes.
	return !host.includes('.') || /\.(local|internal|lan|home\.arpa)$/.test(host);
}
