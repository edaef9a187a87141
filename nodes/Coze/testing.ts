// What the node keeps for the whole n8n process (its process caches, transport/http/bounded-cache.ts),
// as tests, benchmarks and dev tools reach it: to start a case as a new process (a queue-mode
// worker) would, to look at a cache's bounds, to close pooled sockets. No module of the node
// imports this file, and the build leaves it out (tsconfig.build.json): the node's API offers no
// way to empty its caches.
import { processCache, type BoundedCache } from './transport/http/bounded-cache';
// Each cache is registered when its module loads: these are loaded here, so every name below is known.
import './actions/chat/conversation-memory';
import './actions/workflow/workflow-app';
import './methods/catalog-search';
import './transport/http/dispatcher';
import './transport/http/oauth-tokens';
import './transport/http/pace';

export type ProcessCacheName =
	| 'conversations'
	| 'servers-taking-only-chatflow-conversations'
	| 'workflow-apps'
	| 'workspaces'
	| 'dispatchers'
	| 'oauth-token-sources'
	| 'upload-pace';

const registry = (
	processCache as unknown as Record<symbol, Map<string, BoundedCache<unknown, unknown>>>
)[Symbol.for('n8n-nodes-coze-workflow: process caches')];

/** The process cache of that name (as the node's module registered it). */
export function processCacheNamed(name: ProcessCacheName): BoundedCache<unknown, unknown> {
	const cache = registry?.get(name);
	if (!cache)
		throw new Error(`No process cache is named "${name}": see the processCache(…) calls in nodes/`);
	return cache;
}

/** Every process cache's name, as the node registered them. */
export function processCacheNames(): string[] {
	return [...(registry?.keys() ?? [])];
}

/** Forgets the chat sessions' conversations and the servers known to take only chatflow conversations. */
export function forgetConversationsOfThisProcess(): void {
	void processCacheNamed('conversations').clear();
	void processCacheNamed('servers-taking-only-chatflow-conversations').clear();
}

/** Forgets the apps of workflows read from their details. */
export function forgetWorkflowApps(): void {
	void processCacheNamed('workflow-apps').clear();
}

/** Forgets the workspaces listed for each credential. */
export function forgetWorkspaces(): void {
	void processCacheNamed('workspaces').clear();
}

/** Closes the pooled connections, once their requests have finished, so that no socket outlives a test. */
export async function closeCozeDispatcher(): Promise<void> {
	await processCacheNamed('dispatchers').clear();
}
