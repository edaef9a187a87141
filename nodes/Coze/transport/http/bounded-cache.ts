/** How much a cache may hold: at most `maxEntries`, and with `maxAgeMs` nothing set longer ago than that. */
export interface CacheBounds<V> {
	maxEntries: number;
	maxAgeMs?: number;
	/**
	 * Told of each value that leaves by a bound, is replaced, or is cleared: to close what it holds.
	 * Not told of one its owner deletes. It must not throw; what it returns is awaited only by clear().
	 */
	onEvict?: (value: V) => void | Promise<void>;
}

/**
 * A Map bounded in size (the least recently used entry goes first) and, where `maxAgeMs` is set,
 * in age (an entry older than that is gone, however often it is used). Every cache the node keeps
 * for the whole n8n process is one, so that a long-running n8n does not grow without end however
 * many credentials, servers, chat sessions or timeouts it meets.
 */
export class BoundedCache<K, V> {
	private readonly entries = new Map<K, { value: V; setAt: number }>();

	constructor(readonly bounds: CacheBounds<V>) {}

	get size(): number {
		return this.entries.size;
	}

	/** The value, now the most recently used; undefined when absent or too old. */
	get(key: K): V | undefined {
		const entry = this.entries.get(key);
		if (entry === undefined) return undefined;
		// Re-inserted, so that the Map's order is the order of use.
		this.entries.delete(key);
		if (this.bounds.maxAgeMs !== undefined && Date.now() - entry.setAt >= this.bounds.maxAgeMs) {
			void this.bounds.onEvict?.(entry.value);
			return undefined;
		}
		this.entries.set(key, entry);
		return entry.value;
	}

	/** Keeps `value` as the most recently used, and lets the least recently used go past the bound. */
	set(key: K, value: V): void {
		const replaced = this.entries.get(key);
		this.entries.delete(key);
		this.entries.set(key, { value, setAt: Date.now() });
		if (replaced !== undefined && replaced.value !== value)
			void this.bounds.onEvict?.(replaced.value);
		for (const [oldest, entry] of this.entries) {
			if (this.entries.size <= this.bounds.maxEntries) break;
			this.entries.delete(oldest);
			void this.bounds.onEvict?.(entry.value);
		}
	}

	delete(key: K): void {
		this.entries.delete(key);
	}

	/** Empties the cache and waits for what onEvict does with each value (tests start afresh so). */
	async clear(): Promise<void> {
		const values = [...this.entries.values()].map((entry) => entry.value);
		this.entries.clear();
		await Promise.all(values.map((value) => this.bounds.onEvict?.(value)));
	}
}

/** Every process-wide cache, by name. */
const processCaches = new Map<string, BoundedCache<unknown, unknown>>();

/**
 * How a test reaches the process's caches, to start a case as a new process would or to look at a
 * bound (test/process-state.ts): a symbol the tests know, not a name any module of the node
 * exports, so that the node's API offers no way to empty them.
 */
const TEST_ACCESS = Symbol.for('n8n-nodes-coze-workflow: process caches');

/** A cache for the whole n8n process (each module's own), registered by `name` for the tests. */
export function processCache<K, V>(name: string, bounds: CacheBounds<V>): BoundedCache<K, V> {
	const cache = new BoundedCache<K, V>(bounds);
	processCaches.set(name, cache as BoundedCache<unknown, unknown>);
	return cache;
}

Object.defineProperty(processCache, TEST_ACCESS, { value: processCaches });
