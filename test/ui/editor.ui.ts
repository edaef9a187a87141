// A newcomer's first hour, kept by a browser: sign up, find the node by its name, pick a Coze
// workflow from the sandbox's list, fill its inputs as typed fields and run it, read what the list
// and the inputs say for a wrong token and a wrong workflow ID, run a workflow on
// a self-hosted Coze Studio (no list, no inputs described), answer the human-in-the-loop
// example's form, chat with the chatflow example and watch its answer stream in, chat with the
// bot example's bots, picked from the Bot list, and watch their answers stream in (one through a
// local plugin call n8n answers), test the credential.
import { mkdirSync } from 'node:fs';
import path from 'node:path';

import type { Page } from 'playwright-core';

import { SANDBOX_BOTS } from '../sandbox/sandbox-bots';
import {
	CHATFLOW_QUESTION,
	SAMPLE_PHOTO_DESCRIPTION,
	TRIP_QUESTION,
} from '../sandbox/sandbox-workflows';
import {
	eventually,
	openEditor,
	SCREENSHOT_DIR,
	shows,
	step,
	STUDIO_CREDENTIAL,
	STUDIO_WORKFLOW,
	type EditorSession,
} from './browser';
import { WRONG_TOKEN_CREDENTIAL } from './wrong-token';

/** A workflow ID the sandbox has no workflow for. */
const UNKNOWN_WORKFLOW = '7404830425073359999';

/** The node panel's search field (the test id sits on the input or on its wrapper, by n8n version). */
const searchBar = (page: Page) =>
	page
		.locator(
			'input[data-test-id="node-creator-search-bar"], [data-test-id="node-creator-search-bar"] input',
		)
		.first();

/**
 * A new workflow with a Manual Trigger and a Coze node (Run a workflow), the Coze node found by
 * each of `queries` as its first result.
 */
async function addRunWorkflowNode(page: Page, base: string, queries: string[]): Promise<void> {
	await page.goto(`${base}/workflow/new`);
	await page.getByTestId('canvas-add-button').click();
	await searchBar(page).fill('manual');
	await page
		.getByTestId('node-creator-item-name')
		.filter({ hasText: /manually/i })
		.first()
		.click();
	await page.getByTestId('canvas-handle-plus').first().click();
	for (const query of queries) {
		await searchBar(page).fill(query);
		await eventually(
			`the first result for "${query}"`,
			() => page.getByTestId('node-creator-item-name').first().innerText({ timeout: 1000 }),
			(name) => name.trim() === 'Coze',
		);
	}
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
}

/**
 * Waits for a bot's answer in n8n's chat, checked in the page on every frame it paints, as a
 * person watching it would see it: a beginning of the answer on screen while its end is not yet.
 * An answer sent in one piece goes straight from nothing to all of it, and fails this.
 */
async function answerSeenPartWay(page: Page, said: string, start: string, end: string) {
	const seen = await page
		.waitForFunction(
			({ selector, start, end }) => {
				const { document } = globalThis as unknown as {
					document: {
						querySelectorAll: (selector: string) => ArrayLike<{ innerText: string }>;
					};
				};
				const text = Array.from(
					document.querySelectorAll(selector),
					(message) => message.innerText,
				).join('\n');
				if (text.includes(end)) return { partial: false, text };
				return text.includes(start) ? { partial: true, text } : false;
			},
			{ selector: '[data-test-id="canvas-chat-body"] .chat-message-from-bot', start, end },
			{ polling: 'raf', timeout: 30_000 },
		)
		.catch(async () => {
			throw new Error(
				`no answer to "${said}" in the chat in 30 s; it showed:\n${await page
					.getByTestId('canvas-chat-body')
					.innerText()
					.catch(() => '(no chat)')}`,
			);
		});
	const { partial, text } = (await seen.jsonValue()) as { partial: boolean; text: string };
	if (!partial)
		throw new Error(
			`the answer was never seen part-way: the chat went straight to its end, not streamed. It showed:\n${text}`,
		);
}

/** Types a message into n8n's chat and sends it with the send button, which n8n keeps greyed out (and Enter does nothing) until the run before has ended, even when its answer has streamed in already. */
async function sendInChat(page: Page, message: string): Promise<void> {
	const input = page.getByTestId('chat-input');
	await input.fill(message);
	await page.locator('.chat-input-send-button').click({ timeout: 30_000 });
	await eventually(
		`"${message}" sent (the chat's input emptied)`,
		() => input.inputValue({ timeout: 1000 }),
		(value) => value === '',
	);
}

const OWNER = {
	email: 'owner@example.com',
	firstName: 'Coze',
	lastName: 'Newcomer',
	password: 'Sandbox-passw0rd',
};

let session: EditorSession;

beforeAll(async () => {
	session = await openEditor();
}, 10 * 60_000);

afterAll(async () => {
	await session?.stop();
});

describe("n8n's editor with the Coze node, as a newcomer uses it", () => {
	it('signs up the owner in the setup form', async () => {
		const { page, base } = session;
		await step(page, 'sign up', async () => {
			await page.goto(base);
			await page.getByTestId('setup-form').waitFor({ timeout: 60_000 });
			await page.locator('input[name=email]').fill(OWNER.email);
			await page.locator('input[name=firstName]').fill(OWNER.firstName);
			await page.locator('input[name=lastName]').fill(OWNER.lastName);
			await page.locator('input[name=password]').fill(OWNER.password);
			await page.getByTestId('form-submit-button').click();
			await page.waitForURL(/\/home\//, { timeout: 30_000 });
		});
	});

	it('finds the node by searching "coze" and "扣子", picks the greeting card from the workflow list, fills its inputs as typed fields and reads the card it writes', async () => {
		const { page, base } = session;
		await step(page, 'search and add', async () => {
			await addRunWorkflowNode(page, base, ['扣子', 'coze']);
			await eventually(
				'the sandbox credential, chosen',
				() =>
					page
						.getByTestId('node-credentials-select')
						.locator('input')
						.inputValue({ timeout: 1000 }),
				(value) => value === 'Coze sandbox (local simulator)',
			);
		});
		await step(page, 'pick the workflow', async () => {
			// Version 2, the new node's: the workflow from the list of the token's workspaces.
			const workflow = page.getByTestId('resource-locator-workflowId');
			await workflow.getByTestId('rlc-input').click();
			await eventually(
				"the workflow list, with each workspace's name",
				() => page.getByTestId('rlc-item').allInnerTexts(),
				(items) =>
					[
						'daily_briefing (Personal space)',
						'trip_planner (Personal space)',
						'greeting_card (Personal space)',
						'Team workflow 01 (Team 扣子 space)',
					].every((item) => items.includes(item)),
			);
			await page.getByTestId('rlc-search').fill('greeting');
			await eventually(
				'the list searched for "greeting"',
				() => page.getByTestId('rlc-item').allInnerTexts(),
				(items) => items.length === 1 && items[0].trim() === 'greeting_card (Personal space)',
			);
			await page
				.getByTestId('rlc-item')
				.filter({ hasText: 'greeting_card (Personal space)' })
				.click();
			await eventually(
				'the workflow, picked',
				() => workflow.getByTestId('rlc-input').inputValue({ timeout: 1000 }),
				(value) => value === 'greeting_card (Personal space)',
			);
		});
		const fields = page
			.getByTestId('resource-mapper-container')
			.getByTestId('mapping-fields-container');
		await step(page, 'map the inputs', async () => {
			// One field per input of the greeting card's start node, labelled with Coze's type.
			const labels = () =>
				fields
					.locator('label[for^="value["]')
					.allInnerTexts()
					.then((texts) => texts.map((text) => text.split('\n')[0].trim()));
			await eventually(
				"the greeting card's inputs as fields",
				labels,
				(seen) =>
					JSON.stringify(seen) ===
					JSON.stringify([
						'name (string)',
						'age (integer)',
						'score (number)',
						'vip (boolean)',
						'tags (array of string)',
						'profile (object)',
						'photo (image file)',
					]),
			);
		});
		await step(page, 'empty inputs unmarked', async () => {
			const row = (input: string) =>
				fields
					.locator('.parameter-item')
					.filter({ has: page.getByTestId(`parameter-input-${input}`) });
			// The required name, still empty, is flagged; n8n has checked the fields by then.
			await eventually(
				'the required name flagged',
				() => row('name').getByTestId('parameter-issues').count(),
				(count) => count === 1,
			);
			// A JSON editor's linter marks its empty text a while after it opens (CodeMirror's lint delay).
			await page.waitForTimeout(2000);
			mkdirSync(SCREENSHOT_DIR, { recursive: true });
			await fields.screenshot({ path: path.join(SCREENSHOT_DIR, 'empty-optional-inputs.png') });
			// The optional tags and profile, empty, are left out of the run: nothing marks them wrong.
			for (const input of ['age', 'score', 'tags', 'profile', 'photo']) {
				expect({
					input,
					issues: await row(input).getByTestId('parameter-issues').count(),
					lintErrors: await row(input)
						.locator('.cm-lint-marker-error, .cm-lintRange-error')
						.count(),
				}).toEqual({ input, issues: 0, lintErrors: 0 });
			}
			// n8n's words for the mapper's mode ("Mapping Column Mode: Map Each Column Manually") are
			// its own; the node says what a column is here.
			await page
				.getByText(
					"Below, each column is one of the workflow's inputs: Map Each Column Manually gives each input a value here",
				)
				.waitFor();
		});
		await step(page, 'fill the inputs', async () => {
			await fields.getByTestId('parameter-input-name').locator('input').fill('Ada');
			await fields.getByTestId('parameter-input-age').locator('input').fill('36');
			await fields.getByTestId('parameter-input-vip').locator('.el-switch').click();
			await eventually(
				'vip switched on',
				() =>
					fields
						.getByTestId('parameter-input-vip')
						.getByRole('switch')
						.getAttribute('aria-checked', { timeout: 1000 }),
				(checked) => checked === 'true',
			);
		});
		await step(page, 'run the greeting card', async () => {
			await page.getByTestId('node-execute-button').click();
			const output = page.getByTestId('output-panel');
			await shows(output, 'Messages Branch (1 item)');
			// The card is made of what was typed; what the workflow received, echoed in the End
			// message's content, shows the age and vip sent as a JSON number and boolean, not as text.
			await shows(output, 'Happy birthday, Ada! You are 36. Thank you for being a VIP.');
			await shows(output, '"age":36');
			await shows(output, '"vip":true');
		});
	});

	it('with a wrong token, the workflow list says to check the token and the Region', async () => {
		const { page, base } = session;
		await step(page, 'wrong token credential', async () => {
			await addRunWorkflowNode(page, base, ['coze']);
			await page.getByTestId('node-credentials-select').click();
			await page.getByRole('option', { name: WRONG_TOKEN_CREDENTIAL.name }).click();
			await eventually(
				"the wrong token's credential, chosen",
				() =>
					page
						.getByTestId('node-credentials-select')
						.locator('input')
						.inputValue({ timeout: 1000 }),
				(value) => value === WRONG_TOKEN_CREDENTIAL.name,
			);
		});
		await step(page, 'wrong token list', async () => {
			await page.getByTestId('resource-locator-workflowId').getByTestId('rlc-input').click();
			const error = page.getByTestId('rlc-error-container');
			await shows(
				error,
				"Coze refused the access token: check the token in the credential, and that the credential's Region is the site where the token was made",
			);
			// By URL or By ID would meet the same refusal: the list does not send people there.
			expect(await error.innerText()).not.toMatch(/By URL|By ID/);
		});
	});

	it('a workflow ID Coze does not have, By ID: the inputs say not found or not published', async () => {
		const { page, base } = session;
		const workflow = page.getByTestId('resource-locator-workflowId');
		await step(page, 'unknown workflow id', async () => {
			await addRunWorkflowNode(page, base, ['coze']);
			await eventually(
				'the sandbox credential, chosen',
				() =>
					page
						.getByTestId('node-credentials-select')
						.locator('input')
						.inputValue({ timeout: 1000 }),
				(value) => value === 'Coze sandbox (local simulator)',
			);
			await shows(page.getByTestId('empty-fields-notice'), 'Choose a workflow first');
			await workflow.getByTestId('rlc-mode-selector').click();
			await page.getByRole('option', { name: 'By ID' }).click();
			await workflow.getByTestId('rlc-input').fill(UNKNOWN_WORKFLOW);
			await shows(
				page.getByTestId('empty-fields-notice'),
				`Workflow ${UNKNOWN_WORKFLOW}: not found or not published. Check the ID`,
			);
		});
	});

	it('on a self-hosted Coze Studio: the workflow list says Studio has none, and a workflow chosen by ID runs with its inputs as JSON', async () => {
		const { page, base, studio } = session;
		const workflow = page.getByTestId('resource-locator-workflowId');
		await step(page, 'studio credential', async () => {
			await addRunWorkflowNode(page, base, ['coze']);
			await page.getByTestId('node-credentials-select').click();
			await page.getByRole('option', { name: STUDIO_CREDENTIAL.name }).click();
			await eventually(
				'the Studio credential, chosen',
				() =>
					page
						.getByTestId('node-credentials-select')
						.locator('input')
						.inputValue({ timeout: 1000 }),
				(value) => value === STUDIO_CREDENTIAL.name,
			);
		});
		await step(page, 'studio list', async () => {
			await workflow.getByTestId('rlc-input').click();
			const error = page.getByTestId('rlc-error-container');
			await shows(error, 'Could not load list');
			// The advice is in the message: n8n 2.40.7's REST error keeps a description for a
			// NodeApiError only, so a list error's description never reaches the editor.
			await shows(
				error,
				'This Coze server has no API to list workspaces and workflows: choose By URL or By ID',
			);
		});
		await step(page, 'studio by id', async () => {
			await workflow.getByTestId('rlc-mode-selector').click();
			await page.getByRole('option', { name: 'By ID' }).click();
			await workflow.getByTestId('rlc-input').fill(STUDIO_WORKFLOW);
			// Studio's detail of a workflow has no inputs: the mapper says so instead of showing fields.
			await shows(page.getByTestId('empty-fields-notice'), 'Inputs → JSON');
		});
		await step(page, 'studio run', async () => {
			await page.getByTestId('parameter-input-inputMode').click();
			await page.getByRole('option', { name: 'JSON' }).click();
			await page
				.getByTestId('parameter-input-parameters')
				.locator('.cm-content')
				.fill('{"city": "Wuxi"}');
			// n8n keeps a typed value 100 ms before it is the node's (ParameterInput's debounce): a
			// click sooner than a person's runs the node with the text as it was before.
			await page.waitForTimeout(500);
			await page.getByTestId('node-execute-button').click();
			await shows(page.getByTestId('output-panel'), 'Coze Studio says: sunny in Wuxi today.');
			expect(studio.bodiesOf('/v1/workflow/stream_run').at(-1)).toMatchObject({
				workflow_id: STUDIO_WORKFLOW,
				parameters: { city: 'Wuxi' },
			});
		});
	});

	it('runs the human-in-the-loop example: its form asks the question, and the answer resumes the run', async () => {
		const { page, base } = session;
		await step(page, 'human in the loop', async () => {
			await page.goto(`${base}/workflow/cozeHumanLoop001`);
			await page.getByText('Coze: plan a trip').first().waitFor();
			const formOpens = page.waitForEvent('popup', { timeout: 60_000 });
			await page.getByTestId('execute-workflow-button').first().click();
			const form = await formOpens;
			// The form can open a moment before the run is waiting on it, showing n8n's error: a
			// person would reload it.
			await eventually(
				'the form with the question',
				async () => {
					const text = await form.locator('body').innerText({ timeout: 2000 });
					if (!text.includes(TRIP_QUESTION)) await form.reload();
					return text;
				},
				(text) => text.includes(TRIP_QUESTION),
			);
			await form.locator('input[name=field-0]').fill('Hangzhou');
			await form.locator('#submit-btn').click();
			await shows(form.locator('body'), 'Your response has been recorded');
			await page.bringToFront();
			await page.getByTestId('canvas-node').filter({ hasText: 'Coze: resume' }).dblclick();
			await shows(page.getByTestId('output-panel'), 'Your weekend in Hangzhou is planned.');
			await page.getByTestId('ndv-close-button').click();
		});
	});

	it("runs the file example as imported: the photo is downloaded, and the Coze node shows describe_photo's answer; its note names fields the node shows", async () => {
		const { page, base } = session;
		await step(page, 'file example', async () => {
			await page.goto(`${base}/workflow/cozeFileToRun01`);
			await page.getByText('Coze: describe the photo').first().waitFor();
			// The sticky note tells a newcomer where the photo goes: Inputs → Map Each Input.
			await shows(
				page.locator('.sticky-textarea, [data-test-id="sticky"]').first(),
				'Map Each Input',
			);
			await page.getByTestId('execute-workflow-button').first().click();
			await page
				.getByTestId('canvas-node')
				.filter({ hasText: 'Coze: describe the photo' })
				.dblclick();
			await shows(page.getByTestId('output-panel'), SAMPLE_PHOTO_DESCRIPTION, 60_000);
			// What the note says to look at is there: the mapped inputs, image given the binary field "data".
			const image = page
				.getByTestId('resource-mapper-container')
				.getByTestId('mapping-fields-container')
				.getByTestId('parameter-input-image');
			await eventually(
				'the image input, given the binary field',
				() => image.locator('input, textarea').first().inputValue({ timeout: 1000 }),
				(value) => value === 'data',
			);
			await page.getByTestId('ndv-close-button').click();
		});
	});

	it("chats with the chatflow example in n8n's chat: the answer streams in word by word, and the conversation is remembered", async () => {
		const { page, base } = session;
		const chat = page.getByTestId('canvas-chat-body');
		const input = page.getByTestId('chat-input');
		const send = (message: string) => sendInChat(page, message);
		await step(page, 'chat open', async () => {
			await page.goto(`${base}/workflow/cozeChatExample1`);
			await page.getByText('Coze: chatflow').first().waitFor();
			await page.getByTestId('workflow-chat-button').filter({ hasText: 'Open chat' }).click();
			await input.waitFor();
		});
		await step(page, 'chat question', async () => {
			await send('hello');
			await shows(chat, CHATFLOW_QUESTION);
		});
		await step(page, 'chat streamed answer', async () => {
			await send('Mei');
			await answerSeenPartWay(page, 'Mei', 'Nice to meet you', 'remember this conversation.');
			await shows(
				chat,
				'Nice to meet you, Mei! 很高兴认识你。 Ask me anything: I will remember this conversation.',
			);
		});
		await step(page, 'chat remembers', async () => {
			// Another execution of the workflow, in the same chat session: the same Coze conversation.
			await send('What is my name?');
			await shows(chat, 'You asked: "What is my name?". 我记得你叫Mei。');
		});
	});

	it("chats with the bot example in n8n's chat: a bot picked from the Bot list answers, streamed; weather_bot's get_weather call is answered by n8n and its answer streams in too", async () => {
		const { page, base, sandbox } = session;
		const chat = page.getByTestId('canvas-chat-body');
		/** Opens the bot's chat node and picks `bot` from its Bot list (From List). */
		const pickBot = async (bot: string) => {
			await page.getByTestId('canvas-node').filter({ hasText: 'Coze: weather_bot' }).dblclick();
			const field = page.getByTestId('resource-locator-botId');
			await field.getByTestId('rlc-input').click();
			await eventually(
				"the Bot list, with the sandbox's bots",
				() => page.getByTestId('rlc-item').allInnerTexts(),
				(items) =>
					['sandbox_assistant (Personal space)', 'weather_bot (Personal space)'].every((item) =>
						items.map((text) => text.trim()).includes(item),
					),
			);
			await page.getByTestId('rlc-item').filter({ hasText: bot }).click();
			await eventually(
				`${bot}, picked`,
				() => field.getByTestId('rlc-input').inputValue({ timeout: 1000 }),
				(value) => value === bot,
			);
			await page.getByTestId('ndv-close-button').click();
		};
		await step(page, 'bot pick', async () => {
			await page.goto(`${base}/workflow/cozeBotToolCalls`);
			await page.getByText('Coze: weather_bot').first().waitFor();
			await pickBot('sandbox_assistant (Personal space)');
		});
		await step(page, 'bot chat', async () => {
			// n8n keeps its chat panel open from the workflow before (the chatflow's).
			const chatButton = page.getByTestId('workflow-chat-button');
			await chatButton.waitFor();
			if ((await chatButton.innerText()).includes('Open chat')) await chatButton.click();
			await page.getByTestId('chat-input').waitFor();
			await sendInChat(page, 'hello');
			await answerSeenPartWay(
				page,
				'hello',
				'Hello! I am the Coze sandbox bot.',
				'我是扣子沙盒智能体。',
			);
			await shows(
				chat,
				'You said: "hello". This is message 1 of our conversation, and I remember the ones before. 我是扣子沙盒智能体。',
			);
			expect(sandbox.bodiesOf('/v3/chat').at(-1)).toMatchObject({
				bot_id: SANDBOX_BOTS.assistant,
				additional_messages: [{ role: 'user', content: 'hello' }],
			});
		});
		await step(page, 'bot tool call', async () => {
			await pickBot('weather_bot (Personal space)');
			const submitsBefore = sandbox.bodiesOf('/v3/chat/submit_tool_outputs').length;
			await sendInChat(page, "What's the weather in Hangzhou?");
			await answerSeenPartWay(
				page,
				"What's the weather in Hangzhou?",
				"Your n8n workflow's get_weather says:",
				'祝你愉快！',
			);
			await shows(
				chat,
				"Your n8n workflow's get_weather says: Hangzhou is sunny, 24°C. Enjoy your day! 祝你愉快！",
			);
			expect(sandbox.bodiesOf('/v3/chat/submit_tool_outputs').slice(submitsBefore)).toEqual([
				{
					tool_outputs: [
						{
							tool_call_id: expect.stringMatching(/^call_\d+$/),
							output: JSON.stringify({ city: 'Hangzhou', weather: 'sunny', temperature_c: 24 }),
						},
					],
					stream: true,
				},
			]);
		});
	});

	it('tests the sandbox credential in its dialog', async () => {
		const { page, base } = session;
		await step(page, 'credential', async () => {
			await page.goto(`${base}/home/credentials`);
			await page.getByText('Coze sandbox (local simulator)').first().click();
			await shows(
				page.getByTestId('credentials-config-container-test-success'),
				'Connection tested successfully',
			);
		});
	});
});
