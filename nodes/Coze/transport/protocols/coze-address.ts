/** A Coze id (a workflow's, a bot's, a workspace's): a decimal number. It becomes part of request paths, so nothing else may pass. */
export const COZE_ID = /^\d{1,30}$/;

/** An address as typed or pasted, with or without its scheme. */
export function parseAddress(address: string): URL | undefined {
	const text = address.trim();
	try {
		return new URL(/^[a-z][a-z\d+.-]*:\/\//i.test(text) ? text : `https://${text}`);
	} catch {
		return undefined;
	}
}
