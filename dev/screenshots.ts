// npm run screenshots: the node as users see it in n8n's editor, in headless Chromium
// (Debian's chromium + playwright-core). Starts n8n with the sandbox, creates the owner
// through n8n's own setup endpoint, and saves docs/*.png.
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';

import { chromium, selectors, type Locator, type Page } from 'playwright-core';

import { closeCozeDispatcher } from '../nodes/Coze/testing';
import { devDir, ensureN8n, installPackage, packPackage, root, startN8n } from '../test/n8n/n8n';
import { importSandboxAndExamples, startSandbox } from '../test/sandbox/sandbox';
import { CHATFLOW_QUESTION } from '../test/sandbox/sandbox-workflows';

const PORT = 5690;
const base = `http://localhost:${PORT}`;
const userFolder = path.join(devDir, 'screenshots-user');
const outDir = path.join(root, 'docs');
const owner = {
	email: 'owner@example.com',
	firstName: 'Coze',
	lastName: 'Sandbox',
	password: 'Sandbox-passw0rd',
};

async function waitForN8n(): Promise<void> {
	for (let i = 0; i < 120; i++) {
		const ok = await fetch(`${base}/healthz/readiness`).then(
			(r) => r.ok,
			() => false,
		);
		if (ok) return;
		await new Promise((resolve) => setTimeout(resolve, 1000));
	}
	throw new Error('n8n did not become ready');
}

/** The owner account, made through the endpoint n8n's setup page calls; returns its session cookie. */
async function setUpOwner(): Promise<string> {
	const response = await fetch(`${base}/rest/owner/setup`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(owner),
	});
	if (!response.ok)
		throw new Error(`owner setup: HTTP ${response.status} ${await response.text()}`);
	const cookie = response.headers.getSetCookie().find((c) => c.startsWith('n8n-auth='));
	if (!cookie) throw new Error('owner setup set no session cookie');
	return cookie.split(';')[0].slice('n8n-auth='.length);
}

async function shot(page: Page, name: string): Promise<void> {
	await page.waitForTimeout(800);
	await page.screenshot({ path: path.join(outDir, name) });
	console.log(`saved docs/${name}`);
}

/** Drags an edge of a panel (its resizer) by `dx`, `dy` pixels, as a person resizes it. */
async function drag(page: Page, selector: string, dx: number, dy: number): Promise<void> {
	const box = await page.locator(selector).first().boundingBox();
	if (!box) throw new Error(`nothing to drag at ${selector}`);
	const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
	await page.mouse.move(x, y);
	await page.mouse.down();
	await page.mouse.move(x + dx, y + dy, { steps: 10 });
	await page.mouse.up();
}

/** Scrolls the canvas (as a mouse wheel or touchpad does) until the node's top left is at `to`. */
async function panNodeTo(page: Page, name: string, to: { x: number; y: number }): Promise<void> {
	const node = page.getByTestId('canvas-node').filter({ hasText: name }).first();
	for (let i = 0; i < 10; i++) {
		const box = await node.boundingBox();
		if (!box) throw new Error(`no node ${name} on the canvas`);
		const [dx, dy] = [box.x - to.x, box.y - to.y];
		if (Math.abs(dx) < 4 && Math.abs(dy) < 4) break;
		await page.mouse.move(660, 150);
		await page.mouse.wheel(dx, dy);
		await page.waitForTimeout(200);
	}
	await page.mouse.move(0, 400);
}

/**
 * A version 2 Run, set up as a person does in the editor: the Coze node added to a new
 * workflow, the greeting card picked from the sandbox's list (docs/workflow-picker.png), its
 * inputs typed into the mapper's fields (docs/mapped-inputs.png), and run against the sandbox
 * (docs/run-parameters.png).
 */
async function greetingCardShots(page: Page): Promise<void> {
	const searchBar = page
		.locator(
			'input[data-test-id="node-creator-search-bar"], [data-test-id="node-creator-search-bar"] input',
		)
		.first();
	await page.goto(`${base}/workflow/new`);
	await page.getByTestId('canvas-add-button').click({ timeout: 30_000 });
	await searchBar.fill('manual');
	await page
		.getByTestId('node-creator-item-name')
		.filter({ hasText: /manually/i })
		.first()
		.click();
	await page.getByTestId('canvas-handle-plus').first().click();
	await searchBar.fill('coze');
	await page
		.getByTestId('node-creator-item-name')
		.filter({ hasText: /^Coze$/ })
		.first()
		.click();
	await page
		.getByTestId('node-creator-item-name')
		.filter({ hasText: 'Run a workflow' })
		.first()
		.click();
	const title = page.getByTestId('node-title-container');
	await title.getByTestId('inline-edit-preview').click();
	await title.getByTestId('inline-edit-input').fill('Coze: greeting card');
	await page.keyboard.press('Enter');
	// The list of both workspaces' workflows, the pointer on the one about to be picked (the team
	// space's name has Chinese in it: Debian's chromium needs fonts-noto-cjk, dev/ensure-browser.sh).
	await page.getByTestId('resource-locator-workflowId').getByTestId('rlc-input').click();
	await page
		.getByTestId('rlc-item')
		.filter({ hasText: 'Team workflow 01' })
		.waitFor({ timeout: 30_000 });
	await page.getByTestId('rlc-item').filter({ hasText: 'greeting_card (Personal space)' }).hover();
	await shot(page, 'workflow-picker.png');
	await page.getByTestId('rlc-search').fill('greeting');
	await page.getByTestId('rlc-item').filter({ hasText: 'greeting_card (Personal space)' }).click();
	const fields = page.getByTestId('mapping-fields-container');
	const field = (name: string) => fields.getByTestId(`parameter-input-${name}`);
	await field('photo').waitFor({ timeout: 30_000 });
	await field('name').locator('input').fill('Ada');
	await field('age').locator('input').fill('36');
	await field('score').locator('input').fill('9.5');
	await field('vip').locator('.el-switch').click();
	// Optional JSON inputs are text fields (input-fields.ts), typed as JSON.
	await field('tags').locator('input').fill('["cake", "friends"]');
	await field('profile').locator('input').fill('{"city": "Hangzhou", "zip": "310000"}');
	await page.getByText('Inputs to Send').click(); // out of the editor, so no field shows its focus
	// Run, with the parameters panel moved left for the output's room.
	await drag(page, '[data-test-id="panel-drag-button"]', -200, 0);
	await page.getByTestId('node-execute-button').click();
	await page
		.getByTestId('output-panel')
		.getByText('Happy birthday, Ada! You are 36.', { exact: false })
		.first()
		.waitFor({ timeout: 30_000 });
	for (const close of await page.locator('.el-notification__closeBtn').all()) await close.click();
	await scrollToTop(page, parameter(page, 'operation'));
	await shot(page, 'run-parameters.png');
	// The inputs, each a field of Coze's type: the parameters panel alone, in a taller window.
	const viewport = page.viewportSize();
	await page.setViewportSize({ width: viewport?.width ?? 1280, height: 1100 });
	await scrollToTop(page, parameter(page, 'workflowId'));
	await page.waitForTimeout(800);
	const panel = await page.getByTestId('node-parameters').boundingBox();
	const workflow = await parameter(page, 'workflowId').boundingBox();
	const last = await field('photo').boundingBox();
	if (!panel || !workflow || !last)
		throw new Error('the parameters panel, or its Workflow or photo field, is not on screen');
	const top = Math.max(panel.y, workflow.y - 12);
	await page.screenshot({
		path: path.join(outDir, 'mapped-inputs.png'),
		clip: { x: panel.x, y: top, width: panel.width, height: last.y + last.height + 16 - top },
	});
	console.log('saved docs/mapped-inputs.png');
	if (viewport) await page.setViewportSize(viewport);
}

/** A parameter of the open node, its label and its input. */
function parameter(page: Page, name: string): Locator {
	return page
		.getByTestId('parameter-item')
		.filter({ has: page.getByTestId(`parameter-input-${name}`) })
		.first();
}

/** Scrolls the parameters panel (as a mouse wheel does) until the element is just below its tabs. */
async function scrollToTop(page: Page, locator: Locator): Promise<void> {
	const tabs = await page.getByTestId('tab-params').boundingBox();
	if (!tabs) throw new Error('no Parameters tab');
	const below = tabs.y + tabs.height + 12;
	for (let i = 0; i < 10; i++) {
		const box = await locator.boundingBox();
		if (!box) throw new Error('nothing to scroll to');
		const dy = box.y - below;
		if (Math.abs(dy) < 2) break;
		await page.mouse.move(box.x + 4, below + 4);
		await page.mouse.wheel(0, dy);
		await page.waitForTimeout(200);
	}
	await page.mouse.move(0, 400); // off the panel: no field shows its hover controls
}

/**
 * The chat example in n8n's chat panel, taken while the chatflow's answer is still streaming
 * in: its beginning shown, its end not yet (checked before and after the picture).
 */
async function liveChatShot(page: Page): Promise<void> {
	const [start, end] = ['Nice to meet you, Mei! 很高兴认识你。', 'remember this conversation.'];
	const answers = '[data-test-id="canvas-chat-body"] .chat-message-from-bot';
	await page.goto(`${base}/workflow/cozeChatExample1`);
	await page.getByText('Coze: chatflow').first().waitFor({ timeout: 30_000 });
	await page.getByTestId('workflow-chat-button').click();
	const input = page.getByTestId('chat-input');
	await input.waitFor();
	// A taller logs panel and a wider chat in it, so the conversation has room; the two nodes
	// nearer, above the canvas's Hide chat button.
	await drag(page, '[data-dir="top"]', 0, -230);
	await drag(page, '[data-test-id="logs-panel"] [data-dir="right"]', 150, 0);
	await page.getByTestId('zoom-to-fit').click();
	for (let i = 0; i < 3; i++) await page.getByTestId('zoom-in-button').click();
	await panNodeTo(page, 'When chat message received', { x: 480, y: 86 });
	// The send button is greyed out until the run before has ended: sent as a person sends it.
	const send = async (message: string) => {
		await input.fill(message);
		await page.locator('.chat-input-send-button').click({ timeout: 30_000 });
	};
	await send('hello');
	await page
		.getByTestId('canvas-chat-body')
		.getByText(CHATFLOW_QUESTION)
		.waitFor({ timeout: 30_000 });
	await send('Mei');
	// The first run's "executed successfully" toast, closed (it shows once that run has ended).
	for (const close of await page.locator('.el-notification__closeBtn').all()) await close.click();
	// Watched on every frame the page paints: the picture is taken the moment the answer is part-way.
	await page.waitForFunction(
		({ selector, start, end }) => {
			const { document } = globalThis as unknown as {
				document: { querySelectorAll: (selector: string) => ArrayLike<{ innerText: string }> };
			};
			const text = Array.from(
				document.querySelectorAll(selector),
				(message) => message.innerText,
			).join('\n');
			if (text.includes(end))
				throw new Error(
					`the answer ended without "${start}" seen part-way; the chat showed:\n${text}`,
				);
			return text.includes(start);
		},
		{ selector: answers, start, end },
		{ polling: 'raf', timeout: 30_000 },
	);
	await page.screenshot({ path: path.join(outDir, 'live-chat.png') });
	const after = (await page.locator(answers).allInnerTexts()).join('\n');
	if (after.includes(end))
		throw new Error(`the answer ended while docs/live-chat.png was taken; run again:\n${after}`);
	await page.getByTestId('canvas-chat-body').getByText(end).waitFor({ timeout: 30_000 });
	console.log('saved docs/live-chat.png');
}

/**
 * The bot example in n8n's chat panel (docs/bot-chat.png), taken while the bot's answer is
 * streaming in: weather_bot's get_weather call went out of Interrupts and was answered by the
 * workflow, and Submit Tool Outputs streams the bot's answer (its beginning shown, its end not
 * yet: checked before and after the picture).
 */
async function botChatShot(page: Page): Promise<void> {
	const [start, end] = ["Your n8n workflow's get_weather says:", '祝你愉快！'];
	const answers = '[data-test-id="canvas-chat-body"] .chat-message-from-bot';
	await page.goto(`${base}/workflow/cozeBotToolCalls`);
	await page.getByText('Coze: weather_bot').first().waitFor({ timeout: 30_000 });
	const chatButton = page.getByTestId('workflow-chat-button');
	if ((await chatButton.innerText()).includes('Open chat')) await chatButton.click();
	const input = page.getByTestId('chat-input');
	await input.waitFor();
	// Taller than the other pictures: the four nodes and the path the call took above the chat
	// (the logs panel keeps the size liveChatShot gave it).
	const viewport = page.viewportSize();
	await page.setViewportSize({ width: 1280, height: 900 });
	await page.getByTestId('zoom-to-fit').click();
	for (let i = 0; i < 3; i++) await page.getByTestId('zoom-in-button').click();
	await panNodeTo(page, 'When chat message received', { x: 300, y: 96 });
	await input.fill('hello');
	await page.locator('.chat-input-send-button').click({ timeout: 30_000 });
	await page
		.getByTestId('canvas-chat-body')
		.getByText('Ask me about the weather in a city')
		.waitFor({ timeout: 30_000 });
	await input.fill("What's the weather in Hangzhou?");
	await page.locator('.chat-input-send-button').click({ timeout: 30_000 });
	for (const close of await page.locator('.el-notification__closeBtn').all()) await close.click();
	await page.waitForFunction(
		({ selector, start, end }) => {
			const { document } = globalThis as unknown as {
				document: { querySelectorAll: (selector: string) => ArrayLike<{ innerText: string }> };
			};
			const text = Array.from(
				document.querySelectorAll(selector),
				(message) => message.innerText,
			).join('\n');
			if (text.includes(end))
				throw new Error(
					`the answer ended without "${start}" seen part-way; the chat showed:\n${text}`,
				);
			return text.includes(start) && text.split(start)[1].includes('sunny');
		},
		{ selector: answers, start, end },
		{ polling: 'raf', timeout: 30_000 },
	);
	await page.screenshot({ path: path.join(outDir, 'bot-chat.png') });
	const after = (await page.locator(answers).allInnerTexts()).join('\n');
	if (after.includes(end))
		throw new Error(`the answer ended while docs/bot-chat.png was taken; run again:\n${after}`);
	await page.getByTestId('canvas-chat-body').getByText(end).waitFor({ timeout: 30_000 });
	if (viewport) await page.setViewportSize(viewport);
	console.log('saved docs/bot-chat.png');
}

async function main(): Promise<void> {
	ensureN8n();
	rmSync(userFolder, { recursive: true, force: true });
	installPackage(userFolder, packPackage());
	const sandbox = await startSandbox(0);
	importSandboxAndExamples(userFolder, sandbox.port, { N8N_RUNNERS_BROKER_PORT: String(PORT + 1) });
	const n8n = startN8n(userFolder, {
		N8N_PORT: String(PORT),
		N8N_RUNNERS_BROKER_PORT: String(PORT + 1),
	});
	selectors.setTestIdAttribute('data-test-id'); // n8n's editor marks its elements this way
	const browser = await chromium.launch({
		executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
		args: [
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
		],
	});
	try {
		await waitForN8n();
		const session = await setUpOwner();
		mkdirSync(outDir, { recursive: true });
		for (const theme of ['light', 'dark'] as const) {
			const context = await browser.newContext({
				viewport: { width: 1280, height: 720 },
				colorScheme: theme,
			});
			await context.addCookies([{ name: 'n8n-auth', value: session, url: base }]);
			await context.addInitScript({ content: `localStorage.setItem('N8N_THEME', '${theme}')` });
			const page = await context.newPage();
			await page.goto(`${base}/workflow/cozeHumanLoop001`);
			await page.getByText('Coze: plan a trip').first().waitFor({ timeout: 30_000 });
			await page.getByTestId('zoom-to-fit').click();
			await shot(page, `canvas-${theme}.png`);
			if (theme === 'light') {
				await greetingCardShots(page);
				await page.goto(`${base}/home/credentials`);
				await page.getByText('Coze sandbox (local simulator)').first().click({ timeout: 30_000 });
				await page.getByText('Access Token').first().waitFor();
				await shot(page, 'credential.png');
				await liveChatShot(page);
				await botChatShot(page);
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
