// n8n's editor in headless Chromium (Debian's chromium, driven by playwright-core), for the UI
// test: a real n8n with the packed node and the sandbox, used as a person would.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';

import { chromium, selectors, type Browser, type Locator, type Page } from 'playwright-core';

import { ensureN8n, freePort, installPackage, packPackage, root, startN8n } from '../../dev/n8n';
import { importSandboxAndExamples, startSandbox } from '../../dev/sandbox';
import type { CozeSimulator } from '../simulator/server';
import { makeTempFolder } from '../temp-root';

/** Where a failed step leaves its screenshot (git-ignored). */
export const SCREENSHOT_DIR = path.join(root, 'test-results', 'ui');

export interface EditorSession {
	base: string;
	page: Page;
	browser: Browser;
	sandbox: CozeSimulator;
	stop: () => Promise<void>;
}

export async function openEditor(): Promise<EditorSession> {
	ensureN8n();
	const userFolder = makeTempFolder('ui-n8n-');
	installPackage(userFolder, packPackage());
	const sandbox = await startSandbox(0);
	const [port, brokerPort] = [await freePort(), await freePort()];
	const env = { N8N_PORT: String(port), N8N_RUNNERS_BROKER_PORT: String(brokerPort) };
	importSandboxAndExamples(userFolder, sandbox.port, env);
	const n8n = startN8n(userFolder, env);
	const base = `http://localhost:${port}`;
	selectors.setTestIdAttribute('data-test-id'); // n8n's editor marks its elements this way
	const browser = await chromium.launch({
		executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
		args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
	});
	const stop = async () => {
		await browser.close();
		await stopProcess(n8n);
		await sandbox.close();
	};
	try {
		await waitUntilReady(base);
		const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
		return { base, page, browser, sandbox, stop };
	} catch (error) {
		await stop();
		throw error;
	}
}

async function waitUntilReady(base: string): Promise<void> {
	for (let i = 0; i < 180; i++) {
		if (await fetch(`${base}/healthz/readiness`).then((response) => response.ok, () => false)) return;
		await new Promise((resolve) => setTimeout(resolve, 1000));
	}
	throw new Error(`n8n at ${base} did not become ready in 3 minutes`);
}

function stopProcess(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null) return Promise.resolve();
	return new Promise((resolve) => {
		child.once('exit', () => resolve());
		child.kill('SIGTERM');
		setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
	});
}

/** Runs one step; if it fails, the page as it then was is saved beside the error. */
export async function step(page: Page, name: string, run: () => Promise<void>): Promise<void> {
	try {
		await run();
	} catch (error) {
		mkdirSync(SCREENSHOT_DIR, { recursive: true });
		const file = path.join(SCREENSHOT_DIR, `${name.replace(/[^\w]+/g, '-')}.png`);
		await page.screenshot({ path: file }).catch(() => undefined);
		throw Object.assign(error as Error, { message: `${(error as Error).message}\n(screenshot: ${path.relative(root, file)})` });
	}
}

/** Waits until `read` gives what `ok` accepts; fails with the last value seen, so a failure says what the page showed. */
export async function eventually<T>(what: string, read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	let last: T | undefined;
	for (;;) {
		last = await read().catch(() => last);
		if (last !== undefined && ok(last)) return last;
		if (Date.now() > deadline) throw new Error(`${what}: not seen in ${timeoutMs / 1000} s; last seen: ${JSON.stringify(last)?.slice(0, 500)}`);
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

/** Waits until the element's text contains `text`. */
export async function shows(locator: Locator, text: string, timeoutMs?: number): Promise<void> {
	await eventually(`text "${text}"`, () => locator.innerText({ timeout: 1000 }), (seen) => seen.includes(text), timeoutMs);
}
