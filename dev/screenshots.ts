// npm run screenshots: the node as users see it in n8n's editor, in headless Chromium
// (Debian's chromium + playwright-core). Starts n8n with the sandbox, creates the owner
// through n8n's own setup endpoint, and saves docs/*.png.
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';

import { chromium, selectors, type Page } from 'playwright-core';

import { closeCozeDispatcher } from '../nodes/Coze/transport/http/dispatcher';
import { devDir, ensureN8n, installPackage, packPackage, root, startN8n } from './n8n';
import { importSandboxAndExamples, startSandbox } from './sandbox';

const PORT = 5690;
const base = `http://localhost:${PORT}`;
const userFolder = path.join(devDir, 'screenshots-user');
const outDir = path.join(root, 'docs');
const owner = { email: 'owner@example.com', firstName: 'Coze', lastName: 'Sandbox', password: 'Sandbox-passw0rd' };

async function waitForN8n(): Promise<void> {
	for (let i = 0; i < 120; i++) {
		const ok = await fetch(`${base}/healthz/readiness`).then((r) => r.ok, () => false);
		if (ok) return;
		await new Promise((resolve) => setTimeout(resolve, 1000));
	}
	throw new Error('n8n did not become ready');
}

/** The owner account, made through the endpoint n8n's setup page calls; returns its session cookie. */
async function setUpOwner(): Promise<string> {
	const response = await fetch(`${base}/rest/owner/setup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(owner) });
	if (!response.ok) throw new Error(`owner setup: HTTP ${response.status} ${await response.text()}`);
	const cookie = response.headers.getSetCookie().find((c) => c.startsWith('n8n-auth='));
	if (!cookie) throw new Error('owner setup set no session cookie');
	return cookie.split(';')[0].slice('n8n-auth='.length);
}

async function shot(page: Page, name: string): Promise<void> {
	await page.waitForTimeout(800);
	await page.screenshot({ path: path.join(outDir, name) });
	console.log(`saved docs/${name}`);
}

async function main(): Promise<void> {
	ensureN8n();
	rmSync(userFolder, { recursive: true, force: true });
	installPackage(userFolder, packPackage());
	const sandbox = await startSandbox(0);
	importSandboxAndExamples(userFolder, sandbox.port, { N8N_RUNNERS_BROKER_PORT: String(PORT + 1) });
	const n8n = startN8n(userFolder, { N8N_PORT: String(PORT), N8N_RUNNERS_BROKER_PORT: String(PORT + 1) });
	selectors.setTestIdAttribute('data-test-id'); // n8n's editor marks its elements this way
	const browser = await chromium.launch({
		executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
		args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
	});
	try {
		await waitForN8n();
		const session = await setUpOwner();
		mkdirSync(outDir, { recursive: true });
		for (const theme of ['light', 'dark'] as const) {
			const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, colorScheme: theme });
			await context.addCookies([{ name: 'n8n-auth', value: session, url: base }]);
			await context.addInitScript({ content: `localStorage.setItem('N8N_THEME', '${theme}')` });
			const page = await context.newPage();
			await page.goto(`${base}/workflow/cozeHumanLoop001`);
			await page.getByText('Coze: plan a trip').first().waitFor({ timeout: 30_000 });
			await page.getByTestId('zoom-to-fit').click();
			await shot(page, `canvas-${theme}.png`);
			if (theme === 'light') {
				await page.goto(`${base}/workflow/cozeDailyBrief01`);
				await page.getByTestId('canvas-node').filter({ hasText: 'Coze: daily briefing' }).dblclick({ timeout: 30_000 });
				await page.getByText('Workflow ID').first().waitFor();
				// Run it against the sandbox, so the picture shows the streamed messages too (in Chinese
				// as well: Debian's chromium needs fonts-noto-cjk for that, dev/ensure-browser.sh).
				await page.getByTestId('node-execute-button').click();
				await page.getByTestId('output-panel').getByText('早上好', { exact: false }).first().waitFor({ timeout: 30_000 });
				await shot(page, 'run-parameters.png');
				await page.goto(`${base}/home/credentials`);
				await page.getByText('Coze sandbox (local simulator)').first().click({ timeout: 30_000 });
				await page.getByText('Access Token').first().waitFor();
				await shot(page, 'credential.png');
			}
			await context.close();
		}
	} finally {
		await browser.close();
		n8n.kill('SIGTERM');
		await closeCozeDispatcher();
		await sandbox.close();
	}
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
