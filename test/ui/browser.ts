// n8n's editor in headless Chromium (Debian's chromium, driven by playwright-core), for the UI
// test: a real n8n with the packed node and the sandbox, used as a person would.
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';

import { chromium, selectors, type Browser, type Locator, type Page } from 'playwright-core';

import {
	ensureN8n,
	freePort,
	installPackage,
	n8nCli,
	packPackage,
	root,
	startN8n,
} from '../n8n/n8n';
import { importSandboxAndExamples, startSandbox, writeSandboxCredential } from '../sandbox/sandbox';
import { CozeSimulator } from '../simulator/server';
import { ServerStream } from '../simulator/shapes';
import { numbered } from '../simulator/workflows';
import { makeTempFolder } from '../temp-root';
import { wrongTokenCredential, writeCredentials, type ImportedCredential } from './wrong-token';

/** Where a failed step leaves its screenshot (git-ignored). */
export const SCREENSHOT_DIR = path.join(root, 'test-results', 'ui');

/** A self-hosted Coze Studio (the simulator's studio flavour) beside the sandbox, and its credential. */
export const STUDIO_CREDENTIAL = { id: 'coze-studio-sim', name: 'Coze Studio (local simulator)' };
/** The one workflow published on that Studio: its answer names the city it was given. */
export const STUDIO_WORKFLOW = '7404830425073359001';
const STUDIO_SPACE = '7404830425073309001';

export interface EditorSession {
	base: string;
	page: Page;
	browser: Browser;
	sandbox: CozeSimulator;
	studio: CozeSimulator;
	stop: () => Promise<void>;
}

export async function openEditor(): Promise<EditorSession> {
	ensureN8n();
	const userFolder = makeTempFolder('ui-n8n-');
	installPackage(userFolder, packPackage());
	const sandbox = await startSandbox(0);
	const studio = await startStudio();
	const [port, brokerPort] = [await freePort(), await freePort()];
	const env = { N8N_PORT: String(port), N8N_RUNNERS_BROKER_PORT: String(brokerPort) };
	try {
		// The Studio credential and the sandbox's with a wrong token first: n8n gives a new node
		// the credential updated last, and a newcomer's node should get the sandbox's.
		const studioFile = path.join(userFolder, 'studio-credential.json');
		writeSandboxCredential(studioFile, studio.port, STUDIO_CREDENTIAL);
		const othersFile = path.join(userFolder, 'other-credentials.json');
		writeCredentials(othersFile, [
			...(JSON.parse(readFileSync(studioFile, 'utf8')) as ImportedCredential[]),
			wrongTokenCredential(sandbox.port),
		]);
		const imported = n8nCli(userFolder, ['import:credentials', `--input=${othersFile}`], env);
		if (imported.status !== 0)
			throw new Error(
				`n8n import:credentials (Studio, wrong token) failed:\n${imported.stdout}\n${imported.stderr}`,
			);
		importSandboxAndExamples(userFolder, sandbox.port, env);
	} catch (error) {
		await Promise.all([sandbox.close(), studio.close()]);
		throw error;
	}
	const n8n = startN8n(userFolder, env);
	const base = `http://localhost:${port}`;
	selectors.setTestIdAttribute('data-test-id'); // n8n's editor marks its elements this way
	const browser = await chromium.launch({
		executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
		args: [
			'--no-sandbox',
			'--disable-gpu',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
		],
	});
	const stop = async () => {
		await browser.close();
		await stopProcess(n8n);
		await sandbox.close();
		await studio.close();
	};
	try {
		await waitUntilReady(base);
		const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
		return { base, page, browser, sandbox, studio, stop };
	} catch (error) {
		await stop();
		throw error;
	}
}

/**
 * Coze Studio: no list API (its session 401), no inputs in a workflow's detail, and
 * STUDIO_WORKFLOW published, streaming in Studio's shapes.
 */
async function startStudio(): Promise<CozeSimulator> {
	const studio = await CozeSimulator.start({ flavour: 'studio' });
	// In its catalog, so its detail endpoint answers for this workflow as Studio does for a plain
	// workflow (not a chatflow) rather than as for one it does not have.
	studio.catalog.addWorkspace({ id: STUDIO_SPACE, name: 'Personal' });
	studio.catalog.addWorkflow(STUDIO_SPACE, {
		workflow_id: STUDIO_WORKFLOW,
		workflow_name: 'studio_weather',
	});
	studio.defineWorkflow(STUDIO_WORKFLOW, {
		run: (body) => {
			const { city = 'nowhere' } = (body.parameters ?? {}) as { city?: string };
			const debugUrl = `${studio.baseUrl}/work_flow?execute_id=7404830425073359901&space_id=${STUDIO_SPACE}&workflow_id=${STUDIO_WORKFLOW}`;
			const stream = new ServerStream('studio')
				.message(
					{ title: 'End', id: '900001', type: 'End' },
					[JSON.stringify({ output: `Coze Studio says: sunny in ${city} today.` })],
					{ tokens: 21 },
				)
				.done(debugUrl);
			return { stream: numbered(stream.events) };
		},
	});
	return studio;
}

async function waitUntilReady(base: string): Promise<void> {
	for (let i = 0; i < 180; i++) {
		if (
			await fetch(`${base}/healthz/readiness`).then(
				(response) => response.ok,
				() => false,
			)
		)
			return;
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
		throw Object.assign(error as Error, {
			message: `${(error as Error).message}\n(screenshot: ${path.relative(root, file)})`,
		});
	}
}

/** Waits until `read` gives what `ok` accepts; fails with the last value seen, so a failure says what the page showed. */
export async function eventually<T>(
	what: string,
	read: () => Promise<T>,
	ok: (value: T) => boolean,
	timeoutMs = 30_000,
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	let last: T | undefined;
	for (;;) {
		last = await read().catch(() => last);
		if (last !== undefined && ok(last)) return last;
		if (Date.now() > deadline)
			throw new Error(
				`${what}: not seen in ${timeoutMs / 1000} s; last seen: ${JSON.stringify(last)?.slice(0, 500)}`,
			);
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

/** Waits until the element's text contains `text`. */
export async function shows(locator: Locator, text: string, timeoutMs?: number): Promise<void> {
	await eventually(
		`text "${text}"`,
		() => locator.innerText({ timeout: 1000 }),
		(seen) => seen.includes(text),
		timeoutMs,
	);
}
