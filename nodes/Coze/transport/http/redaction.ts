import { setOwn } from './own-properties';

/**
 * Secrets never leave the node. Every string that reaches an error, an item or the credential
 * dialog passes through one Redactor, built from everything the credential holds: a server
 * can echo the Authorization header into any field it sends (a log id, a header, an event).
 *
 * Redaction happens where things leave (the router, the error mapper, the credential test),
 * not where server text comes in: a token split across two streamed chunks is only whole once
 * the chunks are joined. Text that is cut short is redacted first, then cut (`Redactor.snippet`):
 * a cut can leave half a secret, which redaction no longer recognises.
 */
import type { CozeConnection } from './connection';

const REDACTED = '[redacted]';

/** Lines of a PEM key (or any secret) shorter than this are not worth matching on their own. */
const MIN_SECRET_PART = 16;

export class Redactor {
	private readonly fixed: string[];
	private lately: { from: readonly string[]; secrets: string[] } | undefined;

	constructor(
		secrets: Array<string | undefined>,
		/** Secrets made later (an OAuth app's tokens): a new array whenever they change. */
		private readonly later?: () => readonly string[],
	) {
		this.fixed = partsOf(secrets);
	}

	/** Every secret and secret part, longest first. */
	private get secrets(): string[] {
		const later = this.later?.();
		if (!later || later.length === 0) return this.fixed;
		if (this.lately?.from !== later)
			this.lately = { from: later, secrets: partsOf([...this.fixed, ...later]) };
		return this.lately.secrets;
	}

	text(text: string): string {
		let out = text;
		for (const secret of this.secrets)
			if (out.includes(secret)) out = out.split(secret).join(REDACTED);
		return out;
	}

	/** Whether `text` holds a secret or a part of one that `text()` would remove. */
	finds(text: string): boolean {
		return this.secrets.some((secret) => text.includes(secret));
	}

	/** At most `max` characters of `text` for a message: redacted first, then cut (see `cut`). */
	snippet(text: string, max: number): string {
		return cut(this.text(text), max);
	}

	/**
	 * Redacts text that leaves in pieces, as it is written (a live chat): each piece goes out at
	 * once, except for an end that could be the start of a secret, which waits for what follows.
	 * A token split across two pieces is so whole (and removed) before either half leaves.
	 */
	stream(): RedactingStream {
		return new RedactingStream(this);
	}

	/** The longest end of `text` that is the start of a secret (shorter than it), or 0. */
	heldBack(text: string): number {
		let held = 0;
		const last = text[text.length - 1];
		for (const secret of this.secrets) {
			for (let length = Math.min(secret.length - 1, text.length); length > held; length--) {
				// Cheap test first: the secret's character at that place must be the text's last.
				if (secret[length - 1] === last && text.endsWith(secret.slice(0, length))) {
					held = length;
					break;
				}
			}
		}
		return held;
	}

	/**
	 * Strings anywhere in a JSON-like value, object keys included; returns a redacted copy. The
	 * walk keeps its own list of what is left to copy instead of recursing, so that no depth a
	 * server chose can overflow the call stack here.
	 */
	deep<T>(value: T): T {
		const pending: Array<{
			from: unknown[] | Record<string, unknown>;
			to: unknown[] | Record<string, unknown>;
		}> = [];
		const copy = (entry: unknown): unknown => {
			if (typeof entry === 'string') return this.text(entry);
			if (Array.isArray(entry)) {
				const to: unknown[] = new Array(entry.length);
				pending.push({ from: entry, to });
				return to;
			}
			if (
				entry !== null &&
				typeof entry === 'object' &&
				Object.getPrototypeOf(entry) === Object.prototype
			) {
				const to: Record<string, unknown> = {};
				pending.push({ from: entry as Record<string, unknown>, to });
				return to;
			}
			return entry;
		};
		const out = copy(value);
		for (let next = pending.pop(); next; next = pending.pop()) {
			const { from, to } = next;
			if (Array.isArray(from)) {
				for (let i = 0; i < from.length; i++) (to as unknown[])[i] = copy(from[i]);
				continue;
			}
			// Defined, not assigned: a key named "__proto__" stays a key instead of replacing the prototype.
			for (const [key, entry] of Object.entries(from)) setOwn(to, this.text(key), copy(entry));
		}
		return out as T;
	}
}

/**
 * Removes the connection's token and every other secret of its credential from what leaves the
 * node, an OAuth app's tokens and JWTs included, even those made after the redactor was.
 */
export function redactorFor(
	connection: Pick<CozeConnection, 'accessToken' | 'secrets' | 'oauth'>,
): Redactor {
	const { oauth } = connection;
	return new Redactor(
		[connection.accessToken, ...(connection.secrets ?? [])],
		oauth ? () => oauth.secrets() : undefined,
	);
}

function partsOf(secrets: Array<string | undefined>): string[] {
	const parts = new Set<string>();
	for (const secret of secrets) {
		const text = secret?.trim();
		if (!text) continue;
		parts.add(text);
		// A multi-line secret (a PEM private key) may come back re-wrapped: match each line.
		for (const line of text.split(/\s+/))
			if (line.length >= MIN_SECRET_PART && !line.startsWith('-----')) parts.add(line);
		// A JWT is three dot-separated parts, each of which a server may echo alone. The payload and
		// the signature are what a replay needs (with the header, which anyone can rebuild from the
		// public key id). The header is public, but the same in every JWT of the app: it goes too,
		// so that one rule covers any dotted secret and no part is judged harmless by its shape.
		for (const segment of text.split('.'))
			if (segment.length >= MIN_SECRET_PART && segment !== text) parts.add(segment);
	}
	// Longest first, so a whole key is replaced before its lines.
	return [...parts].sort((a, b) => b.length - a.length);
}

/** See Redactor.stream. */
export class RedactingStream {
	private pending = '';

	constructor(private readonly redactor: Redactor) {}

	/** The next piece; returns what may leave now (possibly ''). */
	push(piece: string): string {
		const text = this.redactor.text(this.pending + piece);
		const held = this.redactor.heldBack(text);
		this.pending = text.slice(text.length - held);
		return text.slice(0, text.length - held);
	}

	/** The end of the text: what was held back leaves (no secret can complete it any more). */
	flush(): string {
		const rest = this.pending;
		this.pending = '';
		return rest;
	}
}

/** Characters a token, key or JWT is made of: a cut must not fall inside a run of them. */
const TOKEN_CHAR = /[A-Za-z0-9_\-.~+/=]/;

/**
 * At most `max` characters of (already redacted) text, whitespace folded, for an error message.
 * A cut that would fall inside a token-like run drops the whole run instead: a secret the
 * redactor does not know (a token of another service) is not left half there either.
 */
function cut(text: string, max: number): string {
	const folded = text.replace(/\s+/g, ' ').trim();
	if (folded.length <= max) return folded;
	let cut = max;
	if (TOKEN_CHAR.test(folded[cut]) && TOKEN_CHAR.test(folded[cut - 1])) {
		while (cut > 0 && TOKEN_CHAR.test(folded[cut - 1])) cut--;
	}
	return `${folded.slice(0, cut).trimEnd()}…`;
}
