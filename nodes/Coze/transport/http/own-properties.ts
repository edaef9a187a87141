/**
 * Names that come from Coze or from a user (start-node inputs, workflow parameters, binary
 * fields, message types, keys of server answers) are data, never members of a JavaScript object:
 * a plain `values[name]` finds Object's `constructor` or `toString` for an input of that name,
 * and `values[name] = x` with the name `__proto__` sets a prototype instead of a key. These read
 * and write own properties only.
 */

/** The value `record` holds under `name` itself (undefined when it has none, or is no object). */
export function ownValue(record: unknown, name: string): unknown {
	if (
		record === null ||
		(typeof record !== 'object' && typeof record !== 'function') ||
		!Object.hasOwn(record, name)
	)
		return undefined;
	// An own property is found before anything inherited, `__proto__` included.
	return (record as Record<string, unknown>)[name];
}

/** Whether `record` itself holds `name`. */
export function hasOwn(record: unknown, name: string): boolean {
	return (
		record !== null &&
		(typeof record === 'object' || typeof record === 'function') &&
		Object.hasOwn(record, name)
	);
}

/**
 * Sets `name` on `record` as an ordinary key, `__proto__` included: enumerable, so that
 * Object.entries, the spread operator and JSON.stringify carry it like any other.
 */
export function setOwn<T extends object>(record: T, name: string, value: unknown): T {
	Object.defineProperty(record, name, {
		value,
		enumerable: true,
		writable: true,
		configurable: true,
	});
	return record;
}
