import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import {
	NodeHelpers,
	type INodeParameters,
	type INodeProperties,
	type INodePropertyCollection,
	type INodePropertyOptions,
} from 'n8n-workflow';

import { Coze } from '../nodes/Coze/Coze.node';
import { searchBots } from '../nodes/Coze/methods/bot-search';
import { forgetConversationsOfThisProcess } from '../nodes/Coze/testing';
import { outputsExpression } from '../nodes/Coze/actions/outputs';
import { exampleForSandbox, startSandbox } from './sandbox/sandbox';
import { SANDBOX_BOTS } from './sandbox/sandbox-bots';
import {
	SAMPLE_PHOTO_DESCRIPTION,
	SANDBOX_PHOTO,
	SANDBOX_WORKFLOWS,
} from './sandbox/sandbox-workflows';
import {
	COZE_TYPE,
	cozeCredentials,
	editorContext,
	runWorkflow,
	useBinaryMode,
	type TestNode,
} from './engine/harness';
import { SIMULATOR_TOKEN, type CozeSimulator } from './simulator/server';
import { stopSimulator } from './simulator/stop';

interface ExampleNode {
	name: string;
	type: string;
	typeVersion: number;
	parameters: Record<string, unknown>;
}

const examplesDir = path.join(__dirname, '..', 'examples');
const examples = readdirSync(examplesDir).filter((file) => file.endsWith('.json'));
const nodeDescription = new Coze().description;
const properties = nodeDescription.properties;

/** Whether a '@version' condition of displayOptions (versions.ts: a list, or { _cnd: { gte } }) holds for `version`. */
function versionShown(condition: unknown[] | undefined, version: number): boolean {
	if (!condition) return true;
	return condition.some(
		(entry) =>
			entry === version ||
			(typeof entry === 'object' &&
				entry !== null &&
				version >= ((entry as { _cnd?: { gte?: number } })._cnd?.gte ?? Infinity)),
	);
}

/** The names a Coze node of this version may carry for a resource and operation, nested option names included. */
function allowedNames(
	resource: string,
	operation: string,
	version: number,
): Map<string, INodeProperties> {
	const shown = properties.filter((property) => {
		const show = property.displayOptions?.show;
		return (
			!show ||
			((!show.resource || show.resource.includes(resource)) &&
				(!show.operation || show.operation.includes(operation)) &&
				versionShown(show['@version'] as unknown[] | undefined, version))
		);
	});
	return new Map(shown.map((property) => [property.name, property]));
}

/** The Coze node, and the same node as an AI Agent's tool (n8n makes `cozeTool` of it). */
const COZE_TYPES = new Set(['n8n-nodes-coze-workflow.coze', 'n8n-nodes-coze-workflow.cozeTool']);
/** What n8n adds to a node it makes a tool of. */
const TOOL_PARAMETERS = new Set(['descriptionType', 'toolDescription']);

/**
 * The names the editor shows for a parameter: its own, its choices' (an options list, a resource
 * locator's modes), and those inside it (a collection's options, a fixed collection's groups).
 * With `shown`, only the nested ones it shows for these parameter values.
 */
function labelsOf(
	property: INodeProperties,
	shown?: (nested: INodeProperties) => boolean,
): string[] {
	const labels = [property.displayName];
	for (const mode of property.modes ?? []) labels.push(mode.displayName);
	for (const option of property.options ?? []) {
		if ('value' in option) labels.push((option as INodePropertyOptions).name);
		else if ('values' in option) {
			const group = option as INodePropertyCollection;
			labels.push(
				group.displayName,
				...group.values
					.filter((nested) => !shown || shown(nested))
					.flatMap((nested) => labelsOf(nested, shown)),
			);
		} else if (!shown || shown(option as INodeProperties))
			labels.push(...labelsOf(option as INodeProperties, shown));
	}
	return labels;
}

/** Every name the Coze node shows in any version and with any settings. */
const ALL_COZE_LABELS = new Set(properties.flatMap((property) => labelsOf(property)));

/** What the editor shows on this Coze node: its version's parameters, for the values it has. */
function shownLabels(node: ExampleNode): Set<string> {
	const versioned = { typeVersion: node.typeVersion };
	const values =
		NodeHelpers.getNodeParameters(
			properties,
			node.parameters as INodeParameters,
			true,
			false,
			versioned,
			nodeDescription,
		) ?? {};
	const shown = (property: INodeProperties) =>
		NodeHelpers.displayParameter(values, property, versioned, nodeDescription, values);
	const labels = properties.filter(shown).flatMap((property) => labelsOf(property, shown));
	// n8n gives a node used as an AI Agent's tool a Description for the model.
	if (node.type.endsWith('Tool')) labels.push('Description');
	return new Set(labels);
}

/**
 * Names on other nodes' panels that the notes point at (n8n's own labels, as n8n 2.40 shows them),
 * for the node types an example uses. A bold name that is neither this, nor a Coze field, nor a
 * node of the example, is a name the reader will not find.
 */
const N8N_LABELS: Record<string, string[]> = {
	'@n8n/n8n-nodes-langchain.chatTrigger': [
		'Open chat',
		'Streaming',
		'Response Mode',
		'Make Chat Publicly Available',
	],
	'@n8n/n8n-nodes-langchain.lmChatOpenAi': ['Base URL', 'Use Responses API'],
	'n8n-nodes-base.httpRequest': ['URL', 'Response Format', 'File', 'Put Output in Field'],
};
/** n8n's names that are not on one node's panel: the canvas's button, node types to add. */
const N8N_EVERYWHERE = ['Execute workflow', 'Read/Write Files from Disk'];
/** The Coze node's outputs, as the canvas labels them (Messages, Interrupts; File for an upload). */
const COZE_OUTPUT_NAMES = [...outputsExpression.matchAll(/"displayName":"([^"]+)"/g)].map(
	(match) => match[1],
);

/** The names a sticky note sets in bold (**…**) or in code (`…`); "A → B" is two names. */
function namesInNote(content: string): Array<{ name: string; bold: boolean }> {
	const names: Array<{ name: string; bold: boolean }> = [];
	for (const [pattern, bold] of [
		[/\*\*([^*]+)\*\*/g, true],
		[/`([^`]+)`/g, false],
	] as const) {
		for (const match of content.matchAll(pattern)) {
			for (const part of match[1].split('→')) names.push({ name: part.trim(), bold });
		}
	}
	return names;
}

describe.each(examples)('examples/%s', (file) => {
	const workflow = JSON.parse(readFileSync(path.join(examplesDir, file), 'utf8')) as {
		nodes: ExampleNode[];
		connections: Record<string, unknown>;
	};
	const cozeNodes = workflow.nodes.filter((node) => COZE_TYPES.has(node.type));

	it('uses the Coze node', () => {
		expect(cozeNodes.length).toBeGreaterThan(0);
	});

	it("uses the node's newest version, as a node added in the editor is", () => {
		for (const node of cozeNodes)
			expect([node.name, node.typeVersion]).toEqual([
				node.name,
				new Coze().description.defaultVersion,
			]);
	});

	it('gives the Coze node only parameters its version has, with valid option values', () => {
		for (const node of cozeNodes) {
			const { resource, operation } = node.parameters as { resource: string; operation: string };
			const allowed = allowedNames(resource, operation, node.typeVersion);
			for (const [name, value] of Object.entries(node.parameters)) {
				if (node.type.endsWith('Tool') && TOOL_PARAMETERS.has(name)) continue;
				const property = allowed.get(name);
				expect([node.name, name, property !== undefined]).toEqual([node.name, name, true]);
				if (property?.type === 'options' && typeof value === 'string' && !value.startsWith('=')) {
					expect(property.options?.map((option) => (option as { value: string }).value)).toContain(
						value,
					);
				}
				if (property?.type === 'collection') {
					const optionNames = (property.options as INodeProperties[]).map((option) => option.name);
					for (const key of Object.keys(value as object)) expect(optionNames).toContain(key);
				}
			}
		}
	});

	it('names in its notes only fields the Coze node beside them shows, in its version and settings, and nodes that exist', () => {
		const nodeNames = new Set(workflow.nodes.map((node) => node.name));
		const cozeShows = cozeNodes.map(shownLabels);
		const otherLabels = new Set([
			...N8N_EVERYWHERE,
			...(cozeNodes.length > 0 ? COZE_OUTPUT_NAMES : []),
			...workflow.nodes.flatMap((node) => N8N_LABELS[node.type] ?? []),
		]);
		const notes = workflow.nodes.filter((node) => node.type === 'n8n-nodes-base.stickyNote');
		const unknown: string[] = [];
		for (const note of notes) {
			for (const { name, bold } of namesInNote(String(note.parameters.content ?? ''))) {
				if (ALL_COZE_LABELS.has(name)) {
					if (!cozeShows.some((labels) => labels.has(name)))
						unknown.push(
							`${note.name}: "${name}" is not a field of the Coze node here (version ${cozeNodes[0]?.typeVersion})`,
						);
				} else if (
					bold &&
					!nodeNames.has(name) &&
					!otherLabels.has(name) &&
					!cozeShows.some((labels) => labels.has(name))
				) {
					unknown.push(
						`${note.name}: "${name}" is no node of this workflow and no field the reader can find`,
					);
				}
			}
		}
		expect(unknown).toEqual([]);
	});

	it('connects only nodes that exist', () => {
		const names = new Set(workflow.nodes.map((node) => node.name));
		for (const [from, outputs] of Object.entries(workflow.connections)) {
			expect(names.has(from)).toBe(true);
			// Every kind of connection: main, and an agent's ai_languageModel and ai_tool.
			for (const output of Object.values(
				outputs as Record<string, Array<Array<{ node: string }> | null>>,
			).flat()) {
				for (const connection of output ?? []) expect(names.has(connection.node)).toBe(true);
			}
		}
	});
});

describe('examples/file-into-workflow.json, as imported for the sandbox', () => {
	let sandbox: CozeSimulator;
	beforeAll(async () => {
		sandbox = await startSandbox(0);
	});
	afterAll(() => stopSimulator(sandbox));

	it("downloads the sandbox's sample photo, and its Coze node gets describe_photo's answer for it", async () => {
		const example = JSON.parse(
			exampleForSandbox(
				readFileSync(path.join(examplesDir, 'file-into-workflow.json'), 'utf8'),
				sandbox.baseUrl,
			),
		) as { nodes: ExampleNode[] };
		const download = example.nodes.find((node) => node.type === 'n8n-nodes-base.httpRequest');
		expect(download?.parameters).toEqual({
			url: `${sandbox.baseUrl}${SANDBOX_PHOTO.path}`,
			options: { response: { response: { responseFormat: 'file' } } },
		});
		const response = await fetch(String(download?.parameters.url));
		expect([response.status, response.headers.get('content-type')]).toEqual([200, 'image/png']);
		const photo = Buffer.from(await response.arrayBuffer());
		expect(photo.equals(readFileSync(SANDBOX_PHOTO.file))).toBe(true);
		expect(photo.length).toBeLessThan(4096);

		// What the HTTP Request node makes of the download (n8n's default binary mode keeps it in
		// the item), into the example's Coze node as it is.
		await useBinaryMode('memory');
		const coze = example.nodes.find((node) => node.type === COZE_TYPE)!;
		const downloaded = [
			{
				json: {},
				binary: {
					data: {
						data: photo.toString('base64'),
						mimeType: 'image/png',
						fileName: 'photo.png',
						fileExtension: 'png',
					},
				},
			},
		];
		const { output, nodeError } = await runWorkflow({
			nodes: [
				{ name: 'Start', type: 'test.start' },
				{
					name: 'Download the photo',
					type: 'test.fixedItems',
					parameters: { items: JSON.stringify(downloaded) },
				},
				{
					name: coze.name,
					type: COZE_TYPE,
					typeVersion: coze.typeVersion,
					parameters: coze.parameters as never,
				},
			],
			edges: [
				['Start', 0, 'Download the photo'],
				['Download the photo', 0, coze.name],
			],
			credentials: cozeCredentials(sandbox.baseUrl, SIMULATOR_TOKEN),
		});
		expect(nodeError(coze.name)).toBeUndefined();
		expect(output(coze.name).map((item) => item.json.parsed)).toEqual([
			{ output: SAMPLE_PHOTO_DESCRIPTION },
		]);
		expect(sandbox.uploads.map((upload) => [upload.fileName, upload.bytes])).toEqual([
			['photo.png', photo.length],
		]);
		expect(sandbox.bodiesOf('/v1/workflow/stream_run')).toEqual([
			{
				workflow_id: SANDBOX_WORKFLOWS.photoDescriber,
				parameters: {
					image: JSON.stringify({ file_id: sandbox.uploads[0].fileId }),
					question: 'What is in this photo?',
				},
			},
		]);
	});
});

describe('examples/bot-tool-calls.json, as imported for the sandbox', () => {
	let sandbox: CozeSimulator;
	const example = JSON.parse(
		readFileSync(path.join(examplesDir, 'bot-tool-calls.json'), 'utf8'),
	) as {
		nodes: Array<ExampleNode & { credentials?: unknown }>;
		connections: Record<string, { main: Array<Array<{ node: string }>> }>;
	};
	const nodeOf = (type: string, operation?: string) =>
		example.nodes.find(
			(node) => node.type === type && (!operation || node.parameters.operation === operation),
		)!;
	const chat = nodeOf(COZE_TYPE, 'chat');
	const submit = nodeOf(COZE_TYPE, 'submitToolOutputs');
	const answer = nodeOf('n8n-nodes-base.set');
	beforeAll(async () => {
		await useBinaryMode('memory');
		sandbox = await startSandbox(0);
	});
	beforeEach(() => forgetConversationsOfThisProcess());
	afterAll(() => stopSimulator(sandbox));

	it("is wired Chat Trigger → the bot's chat, whose Interrupts output goes to Edit Fields, then to Submit Tool Outputs", () => {
		const trigger = nodeOf('@n8n/n8n-nodes-langchain.chatTrigger');
		expect(trigger.parameters.options).toEqual({ responseMode: 'streaming' });
		const next = (name: string, output = 0) =>
			example.connections[name]?.main[output]?.map((connection) => connection.node);
		expect(next(trigger.name)).toEqual([chat.name]);
		expect(next(chat.name, 1)).toEqual([answer.name]);
		expect(next(answer.name)).toEqual([submit.name]);
		// Submit Tool Outputs reads the interrupt item: nothing typed.
		expect(Object.keys(submit.parameters).sort()).toEqual(['operation', 'resource']);
	});

	/**
	 * The example's Coze nodes as they are, and its Edit Fields' expression (evaluated by n8n's
	 * expression engine, as n8n evaluates it) in a test node that sets the field it sets.
	 */
	async function chatThroughTheExample(chatInput: string) {
		const [assignment] = (
			answer.parameters.assignments as { assignments: Array<{ name: string; value: string }> }
		).assignments;
		const expression = /^=\{\{([\s\S]*)\}\}$/.exec(assignment.value)![1];
		const coze = (node: ExampleNode): TestNode => ({
			name: node.name,
			type: COZE_TYPE,
			typeVersion: node.typeVersion,
			parameters: node.parameters as never,
		});
		return await runWorkflow({
			nodes: [
				{ name: 'Start', type: 'test.start' },
				{
					name: 'Chat',
					type: 'test.fixedItems',
					parameters: {
						items: JSON.stringify([
							{ json: { action: 'sendMessage', sessionId: 'session-1', chatInput } },
						]),
					},
				},
				coze(chat),
				{
					name: answer.name,
					type: 'test.set',
					parameters: {
						fields: `={{ JSON.stringify({ ${assignment.name}: ${expression} }) }}`,
					},
				},
				coze(submit),
			],
			edges: [
				['Start', 0, 'Chat'],
				['Chat', 0, chat.name],
				[chat.name, 1, answer.name],
				[answer.name, 0, submit.name],
			],
			credentials: cozeCredentials(sandbox.baseUrl, SIMULATOR_TOKEN),
			mode: 'webhook',
			staticData: {},
		});
	}

	it("asked about the weather, the sandbox's weather_bot calls get_weather: the example answers from the call's args and the bot's answer comes from Submit Tool Outputs", async () => {
		const run = await chatThroughTheExample("What's the weather in Hangzhou?");
		expect([run.nodeError(chat.name), run.nodeError(submit.name)]).toEqual([undefined, undefined]);
		expect(run.output(chat.name, 0)).toEqual([]);
		const [call] = run.output(chat.name, 1).map((item) => item.json);
		expect(call).toMatchObject({
			bot_id: SANDBOX_BOTS.weather,
			tool_calls: [{ name: 'get_weather', args: { city: 'Hangzhou' } }],
		});
		const [submitted] = sandbox.bodiesOf('/v3/chat/submit_tool_outputs');
		const [output] = submitted.tool_outputs as Array<{ tool_call_id: string; output: string }>;
		expect(output.tool_call_id).toBe((call.tool_calls as Array<{ id: string }>)[0].id);
		expect(JSON.parse(output.output)).toMatchObject({ city: 'Hangzhou' });
		const [final] = run.output(submit.name, 0).map((item) => item.json);
		expect(final).toMatchObject({
			status: 'completed',
			conversation_id: call.conversation_id,
			answer: expect.stringContaining('Hangzhou'),
		});
	});

	it('told anything else, weather_bot answers at once, on Messages', async () => {
		const run = await chatThroughTheExample('hello');
		expect(run.output(chat.name, 1)).toEqual([]);
		expect(run.output(chat.name, 0)[0].json.answer).toContain('get_weather');
	});

	it("the sandbox lists its bots in the Bot field (From List), the example's among them", async () => {
		const editor = editorContext(
			{},
			{ cozeApi: { region: 'custom', baseUrl: sandbox.baseUrl, accessToken: SIMULATOR_TOKEN } },
		);
		const { results } = await searchBots.call(editor);
		expect(results.map((entry) => [entry.name, entry.value])).toEqual([
			['sandbox_assistant (Personal space)', SANDBOX_BOTS.assistant],
			['weather_bot (Personal space)', SANDBOX_BOTS.weather],
		]);
		expect(chat.parameters.botId).toMatchObject({ mode: 'list', value: SANDBOX_BOTS.weather });
	});
});

describe('the notes check itself', () => {
	const node = (typeVersion: number, parameters: Record<string, unknown>): ExampleNode => ({
		name: 'Coze',
		type: 'n8n-nodes-coze-workflow.coze',
		typeVersion,
		parameters,
	});

	it('sees what version 1 shows: Workflow ID and Parameters', () => {
		const labels = shownLabels(node(1, { resource: 'workflow', operation: 'run' }));
		expect(['Workflow ID', 'Parameters'].filter((name) => labels.has(name))).toEqual([
			'Workflow ID',
			'Parameters',
		]);
		expect(labels.has('Map Each Input')).toBe(false);
	});

	it('sees what version 2 shows for the settings it has: Parameters only under Inputs → JSON', () => {
		const fields = shownLabels(
			node(2, { resource: 'workflow', operation: 'run', inputMode: 'fields' }),
		);
		expect(
			['Workflow', 'From List', 'By URL', 'By ID', 'Inputs', 'Map Each Input'].filter((name) =>
				fields.has(name),
			),
		).toHaveLength(6);
		expect(fields.has('Workflow ID')).toBe(false);
		expect(fields.has('Parameters')).toBe(false);
		expect(
			shownLabels(node(2, { resource: 'workflow', operation: 'run', inputMode: 'json' })).has(
				'Parameters',
			),
		).toBe(true);
	});
});
