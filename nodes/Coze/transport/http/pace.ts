import { setTimeout as sleep } from 'node:timers/promises';

import { abortFailure } from './abort';
import { processCache } from './bounded-cache';

/**
 * Coze allows a personal token 10 uploads a second. Items uploading at once start at least
 * 100 ms apart per Coze address, so a batch stays under that instead of collecting 429s.
 */
const UPLOAD_INTERVAL_MS = 100;
/**
 * The most Coze addresses whose next upload slot the process keeps, the least recently paced
 * going first. A slot passes a tenth of a second after its address's last upload began (or its
 * queue's last): to forget one still to come, a thousand other addresses would have to upload
 * meanwhile.
 */
export const MAX_PACED_ADDRESSES = 1000;
const nextStart = processCache<string, number>('upload-pace', { maxEntries: MAX_PACED_ADDRESSES });

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
