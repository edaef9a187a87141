/**
 * When an OAuth app's token is to be renewed, from the exchange's `expires_in`.
 *
 * Coze documents `expires_in` as the Unix time (seconds) the token ends (oauth_jwt.md; cozepy
 * OAuthToken, coze-go auth_token.go read it so). Read as follows, so that no answer makes one
 * exchange per request:
 * - a number from 10^9 up (a time after 2001-09-09): that Unix time;
 * - a positive number below 10^9: a duration in seconds from now, as OAuth's own `expires_in`
 *   (RFC 6749) is, since no Unix time in Coze's life is that small;
 * - a string of digits: the same number (a gateway may quote integers);
 * - anything else (absent, null, zero, negative, text, an object) or a time already past: not
 *   known, so the token is kept for the lifetime floor.
 *
 * Whatever the answer, a token is kept at least for the lifetime floor: 60 s, or half the Token
 * Lifetime asked for when that is shorter (a token asked to last 2 s is still renewed before it
 * ends). So the node exchanges at most once per floor for a credential in a process. Only Coze
 * refusing the token (OAuthTokens.invalidate) asks for a new one sooner.
 */

/** Every Unix time in seconds since 2001 has ten digits; a smaller number is a duration. */
const SMALLEST_UNIX_TIME = 1e9;
const LIFETIME_FLOOR_MS = 60_000;
/** Renewed ahead of its end by a fifth of its life, at most 30 s (coze-go renews 30 s before a 15-minute token ends). */
const MAX_RENEWAL_MARGIN_MS = 30_000;

/** When a token that arrived at `receivedAt` (ms) is to be renewed: see the rules above. */
export function renewalTime(
	expiresIn: unknown,
	receivedAt: number,
	askedLifetimeSeconds: number,
): number {
	const floor = receivedAt + Math.min(LIFETIME_FLOOR_MS, (askedLifetimeSeconds * 1000) / 2);
	const endsAt = tokenEnd(expiresIn, receivedAt);
	if (endsAt === undefined || endsAt <= receivedAt) return floor;
	const margin = Math.min(MAX_RENEWAL_MARGIN_MS, (endsAt - receivedAt) / 5);
	return Math.max(floor, endsAt - margin);
}

/** When the token ends (ms), or undefined when `expiresIn` does not say. */
function tokenEnd(expiresIn: unknown, now: number): number | undefined {
	const seconds =
		typeof expiresIn === 'string' && /^\d+$/.test(expiresIn.trim()) ? Number(expiresIn) : expiresIn;
	if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds <= 0) return undefined;
	return seconds < SMALLEST_UNIX_TIME ? now + seconds * 1000 : seconds * 1000;
}
