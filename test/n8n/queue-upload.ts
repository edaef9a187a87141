// A big file through n8n's queue mode: POSTed to the main's upload webhook (the Webhook node
// stores it as binary data: in PostgreSQL in `database` mode, in the user folder in `filesystem`
// mode), then a worker's Coze node reads it back and uploads it to the simulator. The resident
// memory of every n8n process is watched meanwhile.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, readFileSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:http';
import path from 'node:path';

import type { CozeSimulator } from '../simulator/server';
import type { ReceivedUpload } from '../simulator/upload';
import { makeTempFolder } from '../temp-root';
import { watchMemory, type N8nProcess, type QueueN8n } from './queue-n8n';
import type { WorkerTracker } from './queue-tracker';
import { QUEUE_PATHS } from './queue-workflows';

export const MiB = 1024 * 1024;

export interface UploadOutcome {
	bytes: number;
	sha256: string;
	seconds: number;
	/** n8n's answer to the webhook call; undefined when it did not answer in time. */
	response?: { status: number; json: unknown };
	/** What the simulator received; undefined when nothing arrived in time. */
	received?: ReceivedUpload;
	/** The worker whose connection carried the upload. */
	worker?: N8nProcess;
	/** Why the wait was given up early (`giveUp` said so), if it was. */
	gaveUp?: string;
	/** MiB, per process: resident before, peak during. */
	memory: Map<N8nProcess, { before: number; peak: number }>;
}

/**
 * POSTs `bytes` random bytes named big.bin to the upload webhook and waits for the outcome: at
 * most `timeoutMs`, or until `giveUp` (asked every second) gives a reason to stop waiting.
 */
export async function uploadThroughWebhook(
	n8n: QueueN8n,
	sim: CozeSimulator,
	tracker: WorkerTracker,
	bytes: number,
	options: { timeoutMs?: number; giveUp?: () => string | undefined } = {},
): Promise<UploadOutcome> {
	const file = path.join(makeTempFolder('queue-upload-'), 'big.bin');
	const sha256 = await writeRandomFile(file, bytes);
	const uploadsBefore = sim.uploads.length;
	const processes = [n8n.main, ...n8n.workers];
	const memory = watchMemory(processes);
	const started = Date.now();
	const abort = new AbortController();
	const timer = setTimeout(() => abort.abort(), options.timeoutMs ?? 10 * 60_000);
	let gaveUp: string | undefined;
	const watcher = setInterval(() => {
		gaveUp = options.giveUp?.();
		if (gaveUp) abort.abort();
	}, 1000);
	let response: UploadOutcome['response'];
	try {
		response = await postFile(
			`${n8n.base}/webhook/${QUEUE_PATHS.upload}`,
			file,
			'big.bin',
			abort.signal,
		);
	} catch (error) {
		if (!abort.signal.aborted) throw error;
	} finally {
		clearTimeout(timer);
		clearInterval(watcher);
		rmSync(path.dirname(file), { recursive: true, force: true });
	}
	const seconds = (Date.now() - started) / 1000;
	const peaks = memory.stop();
	const received =
		sim.uploads.length > uploadsBefore ? sim.uploads[sim.uploads.length - 1] : undefined;
	const sender = received ? tracker.of('/v1/files/upload').at(-1) : undefined;
	const worker = n8n.workers.find((candidate) => candidate.pid === sender?.pid);
	return { bytes, sha256, seconds, response, received, worker, gaveUp, memory: peaks };
}

/**
 * Watches the workers' logs from now on for the ways a big binary fails in n8n (a string over
 * V8's limit when PostgreSQL hands back a bytea, a file over the database mode's limit, memory):
 * the `giveUp` of uploadThroughWebhook.
 */
export function binaryFailureInLogs(n8n: QueueN8n): () => string | undefined {
	const from = new Map(n8n.workers.map((worker) => [worker, sizeOf(worker.logFile)]));
	return () => {
		for (const [worker, offset] of from) {
			const text = readFileSync(worker.logFile).subarray(offset).toString('utf8');
			const line = text
				.split('\n')
				.find((candidate) =>
					/Cannot create a string longer than|FileTooLargeError|heap out of memory/i.test(
						candidate,
					),
				);
			if (line) return `worker ${worker.index}: ${line.trim()}`;
		}
		return undefined;
	};
}

function sizeOf(file: string): number {
	try {
		return statSync(file).size;
	} catch {
		return 0;
	}
}

/** One line: time, and each process's resident memory before → peak. */
export function describeUpload(outcome: UploadOutcome, mode: string): string {
	const processes = [...outcome.memory].map(
		([proc, { before, peak }]) =>
			`${proc.role} ${proc.index}${proc === outcome.worker ? ' (ran it)' : ''} ${before} → ${peak}`,
	);
	return `${outcome.bytes / MiB} MiB upload, binary data mode "${mode}", ${outcome.seconds.toFixed(1)} s; resident memory (MiB) before → peak: ${processes.join(', ')}`;
}

/** Writes `bytes` random bytes to `file`; resolves with their sha256. */
export async function writeRandomFile(file: string, bytes: number): Promise<string> {
	const hash = createHash('sha256');
	const out = createWriteStream(file);
	for (let written = 0; written < bytes; written += MiB) {
		const chunk = randomBytes(Math.min(MiB, bytes - written));
		hash.update(chunk);
		if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
	}
	await new Promise<void>((resolve, reject) =>
		out.end((error?: Error | null) => (error ? reject(error) : resolve())),
	);
	return hash.digest('hex');
}

/** POSTs a file as the raw body (application/octet-stream); the Webhook node stores it as binary data. */
export function postFile(
	url: string,
	file: string,
	fileName: string,
	signal?: AbortSignal,
): Promise<{ status: number; json: unknown }> {
	return new Promise((resolve, reject) => {
		const headers = {
			'content-type': 'application/octet-stream',
			'content-disposition': `attachment; filename="${fileName}"`,
		};
		const req = request(url, { method: 'POST', headers, signal }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (chunk: Buffer) => chunks.push(chunk));
			res.on('end', () => {
				const text = Buffer.concat(chunks).toString('utf8');
				try {
					resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) });
				} catch {
					resolve({ status: res.statusCode ?? 0, json: text });
				}
			});
			res.on('error', reject);
		});
		req.on('error', reject);
		createReadStream(file).pipe(req);
	});
}
