import { EnvHttpProxyAgent } from 'undici';

/**
 * One connection pool per connect timeout for the process, honouring HTTP_PROXY / HTTPS_PROXY
 * / NO_PROXY as n8n's own HTTP requests do. The proxy variables are read when an agent is
 * made, so a change of them (tests, or n8n restarted with other settings) gets fresh agents.
 */
const agents = new Map<string, EnvHttpProxyAgent>();

const PROXY_VARIABLES = ['http_proxy', 'HTTP_PROXY', 'https_proxy', 'HTTPS_PROXY', 'no_proxy', 'NO_PROXY'];

export function cozeDispatcher(connectTimeoutMs: number): EnvHttpProxyAgent {
	const key = `${connectTimeoutMs}\n${PROXY_VARIABLES.map((name) => process.env[name] ?? '').join('\n')}`;
	let agent = agents.get(key);
	if (!agent) {
		agent = new EnvHttpProxyAgent({ connect: { timeout: connectTimeoutMs } });
		agents.set(key, agent);
	}
	return agent;
}

/** Closes pooled connections; tests call it so no socket outlives them. */
export async function closeCozeDispatcher(): Promise<void> {
	const open = [...agents.values()];
	agents.clear();
	await Promise.all(open.map((agent) => agent.close()));
}
