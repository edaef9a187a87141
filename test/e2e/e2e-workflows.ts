// The workflows the packaged end-to-end test imports into a real n8n: n8n's own nodes around
// the installed Coze node, one workflow per scenario.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

import { SANDBOX_CREDENTIAL } from '../sandbox/sandbox';

export const RUN_WORKFLOW_ID = '7404830425073352713';
export const ASKING_WORKFLOW_ID = '7404830425073352714';
export const UNPUBLISHED_WORKFLOW_ID = '7404830425073350000';
/** What the upload scenario sends: multi-byte text, ~150 KB. */
export const UPLOAD_TEXT_EXPRESSION = "={{ '扣子 Coze ✓ '.repeat(10000) }}";
export const UPLOAD_TEXT = '扣子 Coze ✓ '.repeat(10000);

type Node = {
	name: string;
	type: string;
	typeVersion: number;
	parameters: Record<string, unknown>;
	credentials?: unknown;
};

let nodeCounter = 0;
function node(spec: Node) {
	nodeCounter += 1;
	return {
		id: `00000000-0000-4000-8000-${String(nodeCounter).padStart(12, '0')}`,
		position: [nodeCounter * 220, 0],
		...spec,
	};
}

const trigger = () =>
	node({ name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, parameters: {} });
/** A credential of type OAuth App (JWT) for the sandbox, which the test writes with a key pair of its own. */
export const JWT_CREDENTIAL = { id: 'coze-oauth-app', name: 'Coze OAuth app (test)' };

const coze = (
	name: string,
	parameters: Record<string, unknown>,
	credential = SANDBOX_CREDENTIAL,
	typeVersion = 1,
) =>
	node({
		name,
		type: 'n8n-nodes-coze-workflow.coze',
		typeVersion,
		parameters,
		credentials: { cozeApi: credential },
	});
/** The node's version 2, as the editor adds it now: the workflow a resource locator, the inputs a mapper. */
const coze2 = (name: string, parameters: Record<string, unknown>) =>
	coze(name, parameters, SANDBOX_CREDENTIAL, 2);
/** Version 2's Inputs as the editor saves them: the values and the fields getWorkflowInputs gave (as in examples/). */
const mappedInputs = (
	value: Record<string, unknown>,
	fields: Array<[id: string, label: string, type: string]>,
) => ({
	inputMode: 'fields',
	inputs: {
		mappingMode: 'defineBelow',
		value,
		matchingColumns: [],
		schema: fields.map(([id, label, type]) => ({
			id,
			displayName: `${id} (${label})`,
			required: false,
			defaultMatch: false,
			canBeUsedToMatch: false,
			display: true,
			type,
		})),
		attemptToConvertTypes: false,
		convertFieldsToString: true,
	},
});
export const GREETING_CARD_ID = '7404830425073352716';
const PHOTO_WORKFLOW_ID = '7404830425073352717';
const set = (name: string, assignments: Array<[string, string, string]>) =>
	node({
		name,
		type: 'n8n-nodes-base.set',
		typeVersion: 3.4,
		parameters: {
			assignments: {
				assignments: assignments.map(([field, value, type], i) => ({
					id: `a${i}`,
					name: field,
					value,
					type,
				})),
			},
			includeOtherFields: true,
			options: {},
		},
	});
const main = (...targets: Array<string[]>) => ({
	main: targets.map((names) => names.map((name) => ({ node: name, type: 'main', index: 0 }))),
});

function workflow(
	id: string,
	name: string,
	nodes: ReturnType<typeof node>[],
	connections: Record<string, unknown>,
) {
	return {
		id,
		name,
		nodes,
		connections,
		active: false,
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}

/** The form description of examples/human-in-the-loop.json's Wait node, as the example has it. */
function exampleFormDescription(): string {
	const example = JSON.parse(
		readFileSync(path.join(__dirname, '..', '..', 'examples', 'human-in-the-loop.json'), 'utf8'),
	) as { nodes: Array<{ type: string; parameters: { formDescription?: string } }> };
	const form = example.nodes.find((candidate) => candidate.type === 'n8n-nodes-base.wait');
	if (!form?.parameters.formDescription)
		throw new Error('the human-in-the-loop example has no Wait form description');
	return form.parameters.formDescription;
}

export function e2eWorkflows() {
	return {
		upload: workflow(
			'e2eCozeUpload001',
			'e2e: upload',
			[
				trigger(),
				set('Text', [['text', UPLOAD_TEXT_EXPRESSION, 'string']]),
				node({
					name: 'To File',
					type: 'n8n-nodes-base.convertToFile',
					typeVersion: 1.1,
					parameters: {
						operation: 'toText',
						sourceProperty: 'text',
						options: { fileName: '扣子.txt' },
					},
				}),
				coze('Coze', { resource: 'file', operation: 'upload' }),
			],
			{ Start: main(['Text']), Text: main(['To File']), 'To File': main(['Coze']) },
		),
		run: workflow(
			'e2eCozeRun00001',
			'e2e: run',
			[
				trigger(),
				coze('Coze', {
					resource: 'workflow',
					operation: 'run',
					workflowId: RUN_WORKFLOW_ID,
					parameters: '{"city":"Hangzhou","date":"2026-11-24"}',
				}),
			],
			{ Start: main(['Coze']) },
		),
		interrupt: workflow(
			'e2eCozeAsk00001',
			'e2e: run that interrupts',
			[
				trigger(),
				coze('Coze', { resource: 'workflow', operation: 'run', workflowId: ASKING_WORKFLOW_ID }),
			],
			{ Start: main(['Coze']) },
		),
		resume: workflow(
			'e2eCozeResume01',
			'e2e: interrupt answered and resumed',
			[
				trigger(),
				coze('Coze', { resource: 'workflow', operation: 'run', workflowId: ASKING_WORKFLOW_ID }),
				set('Answer', [['resume_data', 'Suzhou', 'string']]),
				coze('Resume', { resource: 'workflow', operation: 'resume' }),
			],
			{ Start: main(['Coze']), Coze: main([], ['Answer']), Answer: main(['Resume']) },
		),
		// The human-in-the-loop example's form text, computed by n8n from the interrupt item with
		// the example's own expression (a Wait form renders only in a running n8n's web server).
		formText: workflow(
			'e2eCozeForm0001',
			'e2e: the example form shows the question',
			[
				trigger(),
				coze('Coze', { resource: 'workflow', operation: 'run', workflowId: ASKING_WORKFLOW_ID }),
				set('Form', [['form_description', exampleFormDescription(), 'string']]),
			],
			{ Start: main(['Coze']), Coze: main([], ['Form']) },
		),
		// A file made in n8n goes into a run's parameter with no Upload node: Files From Binary.
		fileParameter: workflow(
			'e2eCozeFileRun1',
			'e2e: run with a file from binary',
			[
				trigger(),
				set('Text', [['text', UPLOAD_TEXT_EXPRESSION, 'string']]),
				node({
					name: 'To File',
					type: 'n8n-nodes-base.convertToFile',
					typeVersion: 1.1,
					parameters: {
						operation: 'toText',
						sourceProperty: 'text',
						options: { fileName: '扣子.txt' },
					},
				}),
				coze('Coze', {
					resource: 'workflow',
					operation: 'run',
					workflowId: RUN_WORKFLOW_ID,
					parameters: '{"city":"Hangzhou"}',
					options: { filesFromBinary: { files: [{ binaryField: 'data', parameter: 'report' }] } },
				}),
			],
			{ Start: main(['Text']), Text: main(['To File']), 'To File': main(['Coze']) },
		),
		jwtRun: workflow(
			'e2eCozeJwtRun01',
			'e2e: run with an OAuth app (JWT)',
			[
				trigger(),
				coze(
					'Coze',
					{
						resource: 'workflow',
						operation: 'run',
						workflowId: RUN_WORKFLOW_ID,
						parameters: '{"city":"Suzhou"}',
					},
					JWT_CREDENTIAL,
				),
			],
			{ Start: main(['Coze']) },
		),
		// Version 2: the workflow picked from the list, its inputs typed fields (19 digits kept).
		typedRun: workflow(
			'e2eCozeTyped001',
			'e2e: version 2, typed inputs',
			[
				trigger(),
				coze2('Coze', {
					resource: 'workflow',
					operation: 'run',
					workflowId: {
						__rl: true,
						mode: 'list',
						value: GREETING_CARD_ID,
						cachedResultName: 'greeting_card',
					},
					...mappedInputs(
						{ name: 'Ada', age: '7404830425073352713', vip: true, tags: '["tea", "books"]' },
						[
							['name', 'string', 'string'],
							['age', 'integer', 'string'],
							['vip', 'boolean', 'boolean'],
							['tags', 'array of string', 'array'],
						],
					),
				}),
			],
			{ Start: main(['Coze']) },
		),
		// Version 2 end to end by address: a run picked By URL, its interrupt answered, and a
		// Resume left at its defaults (the workflow read from the interrupt item).
		urlResume: workflow(
			'e2eCozeUrlRes01',
			'e2e: version 2, by URL, resumed',
			[
				trigger(),
				coze2('Coze', {
					resource: 'workflow',
					operation: 'run',
					workflowId: {
						__rl: true,
						mode: 'url',
						value: `https://www.coze.cn/work_flow?space_id=7404830425073300001&workflow_id=${ASKING_WORKFLOW_ID}`,
					},
					...mappedInputs({ topic: 'weekend trip' }, [['topic', 'string', 'string']]),
				}),
				set('Answer', [['resume_data', 'Ningbo', 'string']]),
				coze2('Resume', { resource: 'workflow', operation: 'resume' }),
			],
			{ Start: main(['Coze']), Coze: main([], ['Answer']), Answer: main(['Resume']) },
		),
		// The file example's note: Read/Write Files from Disk as the editor adds it (1.1), its path
		// matching no file, where n8n may read (under ~/.n8n-files, which need not exist).
		noFile: workflow(
			'e2eCozeNoFile01',
			'e2e: version 2, a file from disk that is not there',
			[
				trigger(),
				node({
					name: 'Read',
					type: 'n8n-nodes-base.readWriteFile',
					typeVersion: 1.1,
					parameters: {
						fileSelector: path.join(homedir(), '.n8n-files', 'coze-e2e-no-such-photo.png'),
						options: {},
					},
				}),
				coze2('Coze', {
					resource: 'workflow',
					operation: 'run',
					workflowId: { __rl: true, mode: 'id', value: PHOTO_WORKFLOW_ID },
					...mappedInputs({ image: 'data' }, [['image', 'image file', 'string']]),
				}),
			],
			{ Start: main(['Read']), Read: main(['Coze']) },
		),
		error: workflow(
			'e2eCozeError001',
			'e2e: error',
			[
				trigger(),
				coze('Coze', {
					resource: 'workflow',
					operation: 'run',
					workflowId: UNPUBLISHED_WORKFLOW_ID,
				}),
			],
			{ Start: main(['Coze']) },
		),
	};
}
