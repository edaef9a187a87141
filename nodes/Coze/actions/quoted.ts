/**
 * A user's text (an ID, an address, a value), quoted in an error message whole or not at all.
 * The error mapper removes every secret of the credential from a message, which works only on a
 * secret that is whole: a text cut short could keep half of one (a token pasted into the wrong
 * field, or an expression that gives one), and that half would then be shown.
 */
export function quoted(text: string, max: number): string {
	return text.length <= max ? `"${text}"` : `(${text.length} characters, too long to show)`;
}
