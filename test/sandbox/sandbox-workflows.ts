import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import type { CozeSimulator } from '../simulator/server';
import { ServerStream } from '../simulator/shapes';
import { messageChunks, numbered } from '../simulator/workflows';
import { defineSandboxBots } from './sandbox-bots';

/** The Coze workflows the sandbox answers for, with the ids the examples use. */
export const SANDBOX_WORKFLOWS = {
	dailyBriefing: '7404830425073352713',
	tripPlanner: '7404830425073352714',
	chatflow: '7404830425073352715',
	greetingCard: '7404830425073352716',
	photoDescriber: '7404830425073352717',
};

/**
 * The sample photo the file example downloads from the sandbox (a sun over green hills, 96×64
 * PNG), at the sandbox's address http://127.0.0.1:<port> + `path`.
 */
export const SANDBOX_PHOTO = {
	path: '/sandbox/photo.png',
	file: path.join(__dirname, '..', '..', 'examples', 'photo.png'),
	contentType: 'image/png',
};

/** What the sandbox's describe_photo says of the sample photo (it knows no other picture). */
export const SAMPLE_PHOTO_DESCRIPTION =
	'A yellow sun over green hills under a blue sky. 蓝天下，绿色的山丘上挂着一轮黄色的太阳。';

/** The sandbox account's workspaces (GET /v1/workspaces): a personal one and a team one. */
export const SANDBOX_WORKSPACES = {
	personal: '7404830425073300001',
	team: '7404830425073300002',
};

/** What the sandbox chatflow asks on a conversation's first message. */
export const CHATFLOW_QUESTION =
	'Hi! I am the Coze sandbox chatflow. What is your name? 你叫什么名字？';

/** Text in word-sized pieces, as a model streams it. */
const words = (text: string) => text.match(/\S+\s*|\s+/g) ?? [text];

const SLOW = { delayMs: 120 };

/** What the trip planner asks: the human-in-the-loop example's form shows it. */
export const TRIP_QUESTION = 'Where would you like to go this weekend? 这个周末想去哪里？';

/** Delta events slow enough to watch the answer arrive word by word in n8n's chat. */
const WORD_BY_WORD = { delayMs: 90 };

/** Scripts the sandbox (its workflows and bots) so each example can be opened and executed without a Coze account. */
export function defineSandboxWorkflows(simulator: CozeSimulator): void {
	defineSandboxCatalog(simulator);
	defineSandboxBots(simulator, SANDBOX_WORKSPACES.personal);
	simulator.defineWorkflow(SANDBOX_WORKFLOWS.dailyBriefing, {
		run: (body) => {
			const { city = 'Hangzhou', date = 'today' } = (body.parameters ?? {}) as {
				city?: string;
				date?: string;
			};
			return {
				stream: numbered([
					...messageChunks({ title: 'Weather', uuid: 'sandbox-weather', type: 'LLM' }, [
						`${city}, ${date}: `,
						'sunny, ',
						'18–25°C. ',
						'晴，适合出行。',
					]),
					{ event: 'PING', data: {} },
					...messageChunks(
						{ title: 'End', uuid: 'sandbox-end', type: 'End' },
						[
							JSON.stringify({
								output: `Good morning! ${city} is sunny today, 18–25°C. 早上好，今天${city}晴。`,
							}),
						],
						{
							usage: { token_count: 42, input_count: 12, output_count: 30 },
						},
					),
					{
						event: 'Done',
						data: { debug_url: `http://127.0.0.1:${simulator.port}/sandbox/debug/daily-briefing` },
					},
				]),
				shape: SLOW,
			};
		},
	});
	// A chatflow that remembers: it asks a new conversation for a name (a question node, which
	// ends the turn waiting), greets by it, and later recalls it and counts what was said.
	simulator.defineWorkflow(SANDBOX_WORKFLOWS.chatflow, {
		chat: (turn) => {
			if (turn.history.length === 0) return { asks: CHATFLOW_QUESTION, shape: WORD_BY_WORD };
			// This message answers the question; later ones find the answer in the conversation.
			const name = turn.answering
				? turn.message
				: (turn.history.find((_, i, all) => all[i - 1]?.content === CHATFLOW_QUESTION)?.content ??
					'friend');
			if (turn.answering) {
				return {
					answers: [
						words(
							`Nice to meet you, ${name}! 很高兴认识你。 Ask me anything: I will remember this conversation.`,
						),
					],
					followUps: ['What is my name?', 'How many messages have I sent?'],
					shape: WORD_BY_WORD,
				};
			}
			const said = turn.history.filter((message) => message.role === 'user').length + 1;
			return {
				answers: [
					words(
						`${name}, this is message ${said} of our conversation. You asked: "${turn.message}". 我记得你叫${name}。`,
					),
				],
				shape: WORD_BY_WORD,
			};
		},
	});
	simulator.defineWorkflow(SANDBOX_WORKFLOWS.tripPlanner, {
		// The cloud's shape (cozepy's recorded stream): the question node streams its question as
		// a Message, then interrupts with data "" (test/simulator/shapes.ts).
		run: () => ({
			stream: numbered(
				new ServerStream('cloud')
					.message({ title: 'Planner', uuid: 'sandbox-planner', type: 'LLM' }, [
						'Let me plan ',
						'your weekend trip. ',
					])
					.question(TRIP_QUESTION, '7404830425073399001/7404830425073399002', '', {
						title: 'Ask destination',
					}).events,
			),
			shape: SLOW,
		}),
		resume: (body) => ({
			stream: numbered([
				...messageChunks({ title: 'Planner', uuid: 'sandbox-plan', type: 'LLM' }, [
					`${String(body.resume_data)}: `,
					'day 1 old town, ',
					'day 2 lake walk.',
				]),
				...messageChunks({ title: 'End', uuid: 'sandbox-trip-end', type: 'End' }, [
					JSON.stringify({ output: `Your weekend in ${String(body.resume_data)} is planned.` }),
				]),
				{
					event: 'Done',
					data: { debug_url: `http://127.0.0.1:${simulator.port}/sandbox/debug/trip-planner` },
				},
			]),
			shape: SLOW,
		}),
	});
	// The file example's photo: served to download, and described when it comes back uploaded.
	const photo = readFileSync(SANDBOX_PHOTO.file);
	simulator.serveFile(SANDBOX_PHOTO.path, SANDBOX_PHOTO.contentType, photo);
	const photoHash = createHash('sha256').update(photo).digest('hex');
	simulator.defineWorkflow(SANDBOX_WORKFLOWS.photoDescriber, {
		run: (body) => {
			const { image, question = 'What is in this picture?' } = (body.parameters ?? {}) as {
				image?: unknown;
				question?: string;
			};
			const answer = describePicture(simulator, image, photoHash);
			return {
				stream: numbered([
					...messageChunks({ title: 'Look', uuid: 'sandbox-look', type: 'LLM' }, [
						`${question} `,
						...words(answer),
					]),
					...messageChunks(
						{ title: 'End', uuid: 'sandbox-photo-end', type: 'End' },
						[JSON.stringify({ output: answer })],
						{
							usage: { token_count: 58, input_count: 40, output_count: 18 },
						},
					),
					{
						event: 'Done',
						data: { debug_url: `http://127.0.0.1:${simulator.port}/sandbox/debug/describe-photo` },
					},
				]),
				shape: SLOW,
			};
		},
	});
	// Typed inputs: its End message says what it made of each and echoes the parameters as received.
	simulator.defineWorkflow(SANDBOX_WORKFLOWS.greetingCard, {
		run: (body) => {
			const received = body.parameters ?? {};
			return {
				stream: numbered([
					{ event: 'PING', data: {} },
					...messageChunks(
						{ title: 'End', uuid: 'sandbox-card-end', type: 'End' },
						[JSON.stringify({ output: greeting(received as Record<string, unknown>), received })],
						{
							usage: { token_count: 36, input_count: 20, output_count: 16 },
						},
					),
					{
						event: 'Done',
						data: { debug_url: `http://127.0.0.1:${simulator.port}/sandbox/debug/greeting-card` },
					},
				]),
				shape: SLOW,
			};
		},
	});
}

/**
 * What describe_photo makes of its image input: the sample photo it knows by its bytes; another
 * uploaded file by its name, type and size; anything else as what it was given.
 */
function describePicture(simulator: CozeSimulator, image: unknown, photoHash: string): string {
	let fileId: unknown;
	try {
		fileId =
			typeof image === 'string' ? (JSON.parse(image) as { file_id?: unknown }).file_id : undefined;
	} catch {
		fileId = undefined;
	}
	const upload =
		typeof fileId === 'string'
			? simulator.uploads.find((candidate) => candidate.fileId === fileId)
			: undefined;
	if (!upload)
		return `I was given ${JSON.stringify(image)}, which is no file uploaded to this sandbox.`;
	if (upload.sha256 === photoHash) return SAMPLE_PHOTO_DESCRIPTION;
	return `${upload.fileName ?? 'A file'} (${upload.mimeType ?? 'unknown type'}, ${upload.bytes} bytes) arrived. The sandbox cannot see into pictures: a Coze workflow with an image model describes it.`;
}

/** The greeting card's sentence, built from whatever each parameter holds (n8n may send text). */
function greeting(parameters: Record<string, unknown>): string {
	const { name = 'friend', age, score, vip, tags, profile, photo } = parameters;
	const parts = [`Happy birthday, ${String(name)}!`];
	if (age !== undefined) parts.push(`You are ${String(age)}.`);
	if (score !== undefined) parts.push(`Your score is ${String(score)}.`);
	if (vip !== undefined)
		parts.push(vip === true || vip === 'true' ? 'Thank you for being a VIP.' : 'Welcome, member.');
	if (Array.isArray(tags) && tags.length > 0) parts.push(`Tags: ${tags.map(String).join(', ')}.`);
	const where =
		profile && typeof profile === 'object'
			? (profile as { city?: unknown; zip?: unknown })
			: undefined;
	if (where?.city !== undefined)
		parts.push(
			`Greetings to ${String(where.city)}${where.zip !== undefined ? ` ${String(where.zip)}` : ''}.`,
		);
	if (photo) parts.push('Your photo is on the card.');
	return parts.join(' ');
}

/**
 * The sandbox account's catalog (GET /v1/workspaces, GET /v1/workflows, GET /v1/workflows/{id}):
 * the example workflows with the inputs their scripts read (and the examples send) in the
 * personal space; in the team space, 35 published workflows and two drafts, so that listing it
 * takes two pages of 30.
 */
function defineSandboxCatalog(simulator: CozeSimulator): void {
	const { catalog } = simulator;
	catalog.addWorkspace({
		id: SANDBOX_WORKSPACES.personal,
		name: 'Personal space',
		workspace_type: 'personal',
		role_type: 'owner',
	});
	catalog.addWorkspace({
		id: SANDBOX_WORKSPACES.team,
		name: 'Team 扣子 space',
		workspace_type: 'team',
		role_type: 'member',
	});
	catalog.addWorkflow(SANDBOX_WORKSPACES.personal, {
		workflow_id: SANDBOX_WORKFLOWS.dailyBriefing,
		workflow_name: 'daily_briefing',
		description: 'A morning briefing: the weather of a city on a date. 每日简报。',
		inputs: {
			city: {
				type: 'string',
				description: 'The city to brief on, e.g. Hangzhou',
				default_value: 'Hangzhou',
			},
			date: { type: 'string', description: 'The day, e.g. 2025-07-16', default_value: 'today' },
		},
	});
	catalog.addWorkflow(SANDBOX_WORKSPACES.personal, {
		workflow_id: SANDBOX_WORKFLOWS.photoDescriber,
		workflow_name: 'describe_photo',
		description: 'Says what is in a picture (the file example sends one). 描述图片。',
		inputs: {
			image: { type: 'image', required: true, description: 'The picture to describe' },
			question: {
				type: 'string',
				description: 'What to ask about it',
				default_value: 'What is in this picture?',
			},
		},
		outputs: { output: { type: 'string' } },
	});
	catalog.addWorkflow(SANDBOX_WORKSPACES.personal, {
		workflow_id: SANDBOX_WORKFLOWS.tripPlanner,
		workflow_name: 'trip_planner',
		description: 'Plans a weekend trip; asks where to go first (a question node). 周末出行计划。',
		// The human-in-the-loop example sends `topic`; the script itself asks for the destination.
		inputs: { topic: { type: 'string', description: 'What to plan, e.g. weekend trip' } },
	});
	catalog.addWorkflow(SANDBOX_WORKSPACES.personal, {
		workflow_id: SANDBOX_WORKFLOWS.chatflow,
		workflow_name: 'sandbox_chatflow',
		description:
			'A chatflow that asks your name and remembers the conversation. 会记住对话的对话流。',
		mode: 'chatflow',
		// A chatflow's Start node inputs, as get_workflow_info.md's example lists them.
		inputs: { USER_INPUT: { type: 'string' }, CONVERSATION_NAME: { type: 'string' } },
	});
	catalog.addWorkflow(SANDBOX_WORKSPACES.personal, {
		workflow_id: SANDBOX_WORKFLOWS.greetingCard,
		workflow_name: 'greeting_card',
		description: 'Writes a greeting card from typed inputs and echoes what it received. 贺卡。',
		inputs: {
			name: { type: 'string', required: true, description: 'Who the card is for' },
			age: { type: 'integer', description: 'Their age' },
			score: { type: 'number', description: 'A score, e.g. 9.5' },
			vip: { type: 'boolean', description: 'Whether they are a VIP' },
			tags: { type: 'array', description: 'Words for the card', items: { type: 'string' } },
			profile: {
				type: 'object',
				description: 'Where they live',
				properties: { city: { type: 'string' }, zip: { type: 'string' } },
			},
			photo: { type: 'image', description: 'A photo for the card (optional)' },
		},
		outputs: { output: { type: 'string' }, received: { type: 'object' } },
	});
	for (let n = 1; n <= 35; n++) {
		const number = String(n).padStart(2, '0');
		catalog.addWorkflow(SANDBOX_WORKSPACES.team, {
			workflow_id: `74048304250733530${number}`,
			workflow_name: `Team workflow ${number}`,
			description: `Filler ${number} of the team space (lists take two pages). 团队工作流。`,
		});
	}
	catalog.addWorkflow(SANDBOX_WORKSPACES.team, {
		workflow_id: '7404830425073353101',
		workflow_name: 'Team draft 01',
		description: 'Never published.',
		published: false,
	});
	catalog.addWorkflow(SANDBOX_WORKSPACES.team, {
		workflow_id: '7404830425073353102',
		workflow_name: 'Team draft chatflow',
		description: 'A chatflow, never published.',
		mode: 'chatflow',
		published: false,
	});
}
