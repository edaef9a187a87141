import { EnvHttpProxyAgent } from 'undici';

import { processCache } from './bounded-cache';

/**
 * The most connection pools the process keeps: one per connect timeout and proxy settings in use.
 * Past it, the least recently used pool is closed once its requests (a stream still being read
 * too) have finished; a later request with its settings gets a new one.
 */
export const MAX_DISPATCHERS = 16;

/**
 * One connection pool per connect timeout for the process, honouring HTTP_PROXY / HTTPS_PROXY
 * / NO_PROXY as n8n's own HTTP requests do. The proxy variables are read when an agent is
 * made, so a change of them (tests, or n8n restarted with other settings) gets fresh agents.
 */
const agents = processCache<string, EnvHttpProxyAgent>('dispatchers', {
	maxEntries: MAX_DISPATCHERS,
	// close() lets the requests on the agent finish, and refuses new ones: none come, since an
	// evicted agent is never handed out again. An agent already closed by a test rejects: nothing to do.
	onEvict: (agent) => agent.close().catch(() => undefined),
});

const PROXY_VARIABLES = [
	'http_proxy',
	'HTTP_PROXY',
	'https_proxy',
	'HTTPS_PROXY',
	'no_proxy',
	'NO_PROXY',
];

export function cozeDispatcher(connectTimeoutMs: number): EnvHttpProxyAgent {
	const key = `${connectTimeoutMs}\n${PROXY_VARIABLES.map((name) => process.env[name] ?? '').join('\n')}`;
	let agent = agents.get(key);
	if (!agent) {
		agent = new EnvHttpProxyAgent({ connect: { timeout: connectTimeoutMs } });
		agents.set(key, agent);
	}
	return agent;
}
