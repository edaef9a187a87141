import { setTimeout as sleep } from 'node:timers/promises';

import { abortFailure } from './abort';

/**
 * Coze allows a personal token 10 uploads a second. Items uploading at once start at least
 * 100 ms apart per Coze address, so a batch stays under that instead of collecting 429s.
 */
const UPLOAD_INTERVAL_MS = 100;
const nextStart = new Map<string, number>();

export async function paceUploads(baseUrl: string, signal?: AbortSignal): Promise<void> {
	const now = Date.now();
	const start = Math.max(now, nextStart.get(baseUrl) ?? 0);
	nextStart.set(baseUrl, start + UPLOAD_INTERVAL_MS);
	if (start === now) return;
	try {
		await sleep(start - now, undefined, { signal });
	} catch (error) {
		throw abortFailure(signal, error);
	}
}
