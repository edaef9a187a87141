import { BoundedCache } from '../../nodes/Coze/transport/http/bounded-cache';

describe('BoundedCache', () => {
	afterEach(() => jest.restoreAllMocks());

	it('keeps at most maxEntries, letting the least recently used go first and telling onEvict', () => {
		const evicted: string[] = [];
		const cache = new BoundedCache<string, string>({
			maxEntries: 3,
			onEvict: (value) => void evicted.push(value),
		});
		cache.set('a', 'A');
		cache.set('b', 'B');
		cache.set('c', 'C');
		// Reading a makes it the most recently used: b goes first, then c.
		expect(cache.get('a')).toBe('A');
		cache.set('d', 'D');
		cache.set('e', 'E');
		expect(cache.size).toBe(3);
		expect(evicted).toEqual(['B', 'C']);
		expect([
			cache.get('a'),
			cache.get('b'),
			cache.get('c'),
			cache.get('d'),
			cache.get('e'),
		]).toEqual(['A', undefined, undefined, 'D', 'E']);
	});

	it('forgets an entry set maxAgeMs ago, however often it was read, and tells onEvict', () => {
		let now = 1_000_000;
		jest.spyOn(Date, 'now').mockImplementation(() => now);
		const evicted: string[] = [];
		const cache = new BoundedCache<string, string>({
			maxEntries: 10,
			maxAgeMs: 1000,
			onEvict: (value) => void evicted.push(value),
		});
		cache.set('a', 'A');
		now += 999;
		expect(cache.get('a')).toBe('A');
		now += 1;
		expect(cache.get('a')).toBeUndefined();
		expect(cache.size).toBe(0);
		expect(evicted).toEqual(['A']);
		// Set again, it lives anew.
		cache.set('a', 'A2');
		now += 500;
		expect(cache.get('a')).toBe('A2');
	});

	it('tells onEvict of a replaced value, not of one its owner deletes; clear() waits for onEvict', async () => {
		const evicted: string[] = [];
		const closing: Array<() => void> = [];
		const cache = new BoundedCache<string, string>({
			maxEntries: 10,
			onEvict: (value) => {
				evicted.push(value);
				return new Promise<void>((resolve) => closing.push(resolve));
			},
		});
		cache.set('a', 'A');
		cache.set('a', 'A2');
		cache.set('a', 'A2');
		cache.set('b', 'B');
		cache.delete('b');
		expect(evicted).toEqual(['A']);
		let cleared = false;
		const clearing = cache.clear().then(() => (cleared = true));
		expect(cache.size).toBe(0);
		expect(evicted).toEqual(['A', 'A2']);
		await Promise.resolve();
		expect(cleared).toBe(false);
		for (const close of closing) close();
		await clearing;
		expect(cleared).toBe(true);
	});
});
