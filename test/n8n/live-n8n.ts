// A real n8n serving active workflows (`n8n start`), with the packed node and a Coze simulator:
// what the live end-to-end test and bench/first-chunk talk to over HTTP.
import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

import type { CozeSimulator } from '../simulator/server';
import { makeTempFolder } from '../temp-root';
import { ensureN8n, freePort, installPackage, n8nCliAsync, packPackage, startN8n } from './n8n';
import { writeSandboxCredential } from '../sandbox/sandbox';

export interface LiveN8n {
	base: string;
	stop: () => Promise<void>;
}

/**
 * Installs the packed node into a fresh user folder (in the tests' temp root), imports the
 * sandbox credential for `simulator`, any `otherCredentials` (as `n8n import:credentials` takes
 * them: id, name, type, plain data) and `workflows`, publishes them (n8n 2.x activates what is
 * published when it starts) and starts n8n; resolves once n8n is ready and `webhookPaths` are
 * registered.
 */
export async function startLiveN8n(
	simulator: CozeSimulator,
	workflows: Array<{ id: string }>,
	webhookPaths: string[],
	otherCredentials: object[] = [],
): Promise<LiveN8n> {
	ensureN8n();
	const userFolder = makeTempFolder('live-n8n-');
	installPackage(userFolder, packPackage());
	const [port, brokerPort] = [await freePort(), await freePort()];
	const env = { N8N_PORT: String(port), N8N_RUNNERS_BROKER_PORT: String(brokerPort) };
	const credentialFile = path.join(userFolder, 'credential.json');
	writeSandboxCredential(credentialFile, simulator.port);
	const otherCredentialFile = path.join(userFolder, 'other-credentials.json');
	writeFileSync(otherCredentialFile, JSON.stringify(otherCredentials));
	const workflowFile = path.join(userFolder, 'workflows.json');
	writeFileSync(workflowFile, JSON.stringify(workflows));
	const commands = [
		['import:credentials', `--input=${credentialFile}`],
		...(otherCredentials.length ? [['import:credentials', `--input=${otherCredentialFile}`]] : []),
		['import:workflow', `--input=${workflowFile}`],
		...workflows.map(({ id }) => ['publish:workflow', `--id=${id}`]),
	];
	for (const args of commands) {
		const result = await n8nCliAsync(userFolder, args, env);
		if (result.status !== 0)
			throw new Error(`n8n ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
	}
	const n8n = startN8n(userFolder, env);
	const base = `http://localhost:${port}`;
	const stop = () => stopProcess(n8n);
	try {
		await waitUntilReady(base, n8n);
		for (const webhookPath of webhookPaths)
			await waitForWebhook(`${base}/webhook/${webhookPath}`, n8n);
	} catch (error) {
		await stop();
		throw error;
	}
	return { base, stop };
}

async function waitUntilReady(base: string, n8n: ChildProcess): Promise<void> {
	for (let i = 0; i < 360; i++) {
		if (n8n.exitCode !== null) throw new Error(`n8n exited (${n8n.exitCode}) before it was ready`);
		if (
			await fetch(`${base}/healthz/readiness`).then(
				(response) => response.ok,
				() => false,
			)
		)
			return;
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
	throw new Error(`n8n at ${base} did not become ready in 3 minutes`);
}

/**
 * n8n is ready before it has activated the published workflows: a CORS preflight (an OPTIONS
 * with an Origin) lists POST among the allowed methods only once the webhook's path is
 * registered, and runs nothing.
 */
async function waitForWebhook(url: string, n8n: ChildProcess): Promise<void> {
	for (let i = 0; i < 240; i++) {
		if (n8n.exitCode !== null)
			throw new Error(`n8n exited (${n8n.exitCode}) before ${url} was registered`);
		const methods = await fetch(url, {
			method: 'OPTIONS',
			headers: { origin: 'http://localhost' },
		}).then(
			(response) => response.headers.get('access-control-allow-methods') ?? '',
			() => '',
		);
		if (methods.includes('POST')) return;
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	throw new Error(`n8n did not register ${url} in a minute`);
}

export function stopProcess(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null) return Promise.resolve();
	return new Promise((resolve) => {
		child.once('exit', () => resolve());
		child.kill('SIGTERM');
		setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
	});
}

/** One NDJSON chunk n8n writes to a streaming caller. */
export interface StreamedChunk {
	type: 'begin' | 'item' | 'end' | 'error' | 'keepalive';
	content?: string;
	metadata?: { nodeName?: string; itemIndex?: number };
}

/**
 * POSTs `body` to a streaming webhook and reads n8n's NDJSON response as it arrives, calling
 * `onChunk` with each chunk (and the time it was read); resolves with all of them at the end.
 */
export async function postAndReadChunks(
	url: string,
	body: unknown,
	onChunk: (chunk: StreamedChunk, readAt: number) => void = () => {},
): Promise<StreamedChunk[]> {
	const response = await fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
	if (!response.ok || !response.body)
		throw new Error(`${url} answered HTTP ${response.status}: ${await response.text()}`);
	const chunks: StreamedChunk[] = [];
	const decoder = new TextDecoder();
	let pending = '';
	for await (const bytes of response.body) {
		const readAt = performance.now();
		pending += decoder.decode(bytes, { stream: true });
		let newline: number;
		while ((newline = pending.indexOf('\n')) !== -1) {
			const line = pending.slice(0, newline).trim();
			pending = pending.slice(newline + 1);
			if (!line) continue;
			const chunk = JSON.parse(line) as StreamedChunk;
			chunks.push(chunk);
			onChunk(chunk, readAt);
		}
	}
	return chunks;
}
