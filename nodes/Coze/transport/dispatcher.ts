import { EnvHttpProxyAgent } from 'undici';

/**
 * One connection pool for the process, honouring HTTP_PROXY / HTTPS_PROXY / NO_PROXY as n8n's
 * own HTTP requests do. The proxy variables are read when the agent is made, so a change of
 * them (tests, or n8n restarted with other settings) gets a fresh agent.
 */
let cached: { key: string; agent: EnvHttpProxyAgent } | undefined;

const PROXY_VARIABLES = ['http_proxy', 'HTTP_PROXY', 'https_proxy', 'HTTPS_PROXY', 'no_proxy', 'NO_PROXY'];

export function cozeDispatcher(): EnvHttpProxyAgent {
	const key = PROXY_VARIABLES.map((name) => process.env[name] ?? '').join('\n');
	if (cached?.key !== key) {
		void cached?.agent.close();
		cached = { key, agent: new EnvHttpProxyAgent() };
	}
	return cached.agent;
}

/** Closes pooled connections; tests call it so no socket outlives them. */
export async function closeCozeDispatcher(): Promise<void> {
	const agent = cached?.agent;
	cached = undefined;
	await agent?.close();
}
