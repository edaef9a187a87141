// Names from Coze or from the user are data, never members of a JavaScript object: a start-node
// input, a workflow parameter or a binary field called constructor, toString, hasOwnProperty or
// __proto__ is an input like any other, through n8n's engine (Map Each Input, Map Automatically,
// Files From Binary).
import type { INodeParameters } from 'n8n-workflow';

import { fieldOfInput } from '../../nodes/Coze/shared/input-fields';
import { cozeGraph, okStream, requestsTo, WORKFLOW_ID } from '../faults/graph';
import { CozeSimulator } from '../simulator/server';
import { stopSimulator } from '../simulator/stop';
import type { GeneratedFile } from './fixture-nodes';
import { runWorkflow, useBinaryMode } from './harness';

const MEMBER_NAMES = ['constructor', 'toString', 'hasOwnProperty', '__proto__'] as const;

/** An object with these own properties (a literal's `__proto__:` would set its prototype instead). */
const own = (entries: Array<[string, unknown]>): Record<string, unknown> =>
	JSON.parse(JSON.stringify(Object.fromEntries(entries))) as Record<string, unknown>;

/** A string field for each name, `required` the one the workflow requires. */
const schemaOf = (required?: string) =>
	MEMBER_NAMES.map((name) => fieldOfInput(name, { type: 'string', required: name === required }));
const mapped = (
	value: Record<string, unknown>,
	mappingMode: string,
	required?: string,
	schema = schemaOf(required),
): INodeParameters =>
	({
		inputMode: 'fields',
		inputs: {
			mappingMode,
			value,
			matchingColumns: [],
			schema,
			attemptToConvertTypes: false,
			convertFieldsToString: true,
		},
	}) as unknown as INodeParameters;
const locator = { __rl: true, mode: 'id', value: WORKFLOW_ID };

/** The parameters object of each run request, parsed as JSON (so `__proto__` is an own key). */
function sentParameters(sim: CozeSimulator): Array<Record<string, unknown>> {
	return sim.requests
		.filter((request) => request.path === '/v1/workflow/stream_run')
		.map(
			(request) =>
				(JSON.parse(request.body!) as { parameters: Record<string, unknown> }).parameters,
		);
}
const ownEntries = (value: Record<string, unknown>) =>
	Object.keys(value).map((key) => [key, Object.getOwnPropertyDescriptor(value, key)?.value]);

describe('Inputs named like JavaScript object members, through the n8n engine', () => {
	let sim: CozeSimulator;
	beforeAll(() => useBinaryMode('filesystem'));
	beforeEach(async () => {
		sim = await CozeSimulator.start();
		sim.defineWorkflow(WORKFLOW_ID, { run: () => okStream('done') });
	});
	afterEach(() => stopSimulator(sim));

	const given = MEMBER_NAMES.map((name, i): [string, unknown] => [name, `value ${i}`]);
	/** Names n8n itself leaves out of every copy of a node's parameters (n8n-workflow deepCopy's reservedCopyKeys). */
	const droppedByN8n = new Set(['constructor', '__proto__']);

	it('Map Automatically sends each one the input item gives, exactly as given', async () => {
		const run = await runWorkflow(
			cozeGraph(sim, {
				typeVersion: 2,
				inputs: [own(given)],
				parameters: { workflowId: locator, ...mapped({}, 'autoMapInputData') },
			}),
		);
		expect(run.nodeError('Coze')).toBeUndefined();
		expect(sentParameters(sim).map(ownEntries)).toEqual([given]);
	});

	it('Map Each Input sends each one n8n hands the node exactly as given, and no built-in function for those n8n leaves out', async () => {
		const run = await runWorkflow(
			cozeGraph(sim, {
				typeVersion: 2,
				parameters: { workflowId: locator, ...mapped(own(given), 'defineBelow') },
			}),
		);
		expect(run.nodeError('Coze')).toBeUndefined();
		expect(sentParameters(sim).map(ownEntries)).toEqual([
			given.filter(([name]) => !droppedByN8n.has(name)),
		]);
	});

	it.each(['defineBelow', 'autoMapInputData'])(
		'leaves each empty one out, sending no built-in function as its value (%s)',
		async (mode) => {
			const run = await runWorkflow(
				cozeGraph(sim, {
					typeVersion: 2,
					inputs: [{ other: 'x' }],
					parameters: { workflowId: locator, ...mapped({}, mode) },
				}),
			);
			expect(run.nodeError('Coze')).toBeUndefined();
			expect(
				sim.requests.find((request) => request.path === '/v1/workflow/stream_run')?.body,
			).not.toContain('native code');
			expect(sentParameters(sim)).toEqual([{}]);
		},
	);

	it.each(MEMBER_NAMES.map((name) => [name]))(
		'says a required "%s" is empty, naming it, in Map Each Input and Map Automatically',
		async (name) => {
			const others = own(given.filter(([key]) => key !== name));
			for (const mode of ['defineBelow', 'autoMapInputData']) {
				const run = await runWorkflow(
					cozeGraph(sim, {
						typeVersion: 2,
						inputs: [mode === 'autoMapInputData' ? others : {}],
						parameters: {
							workflowId: locator,
							...mapped(mode === 'autoMapInputData' ? {} : others, mode, name),
						},
					}),
				);
				expect(run.nodeError('Coze')?.message).toBe(
					`Input "${name}" is required by the workflow and has no value`,
				);
			}
			expect(requestsTo(sim, '/v1/workflow/stream_run')).toBe(0);
		},
	);

	it.each([...droppedByN8n].map((name) => [name]))(
		'says Map Each Input cannot give a required "%s", since n8n leaves it out, and what can',
		async (name) => {
			const schema = [fieldOfInput(name, { type: 'string', required: true })];
			const run = await runWorkflow(
				cozeGraph(sim, {
					typeVersion: 2,
					parameters: {
						workflowId: locator,
						...mapped(own([[name, 'typed']]), 'defineBelow', name, schema),
					},
				}),
			);
			expect(run.nodeError('Coze')).toMatchObject({
				message: `Input "${name}" is required by the workflow and has no value`,
				description: `n8n leaves a value named "${name}" out of a node's parameters, so Map Each Input cannot give it. Choose Map Automatically and give the input item a field "${name}", or write the inputs under Inputs → JSON.`,
			});
			expect(requestsTo(sim, '/v1/workflow/stream_run')).toBe(0);
		},
	);

	it.each(MEMBER_NAMES.map((name) => [name]))(
		'does not take "%s" for one of the item\'s binary fields in a file input',
		async (name) => {
			const schema = [fieldOfInput('photo', { type: 'image' })];
			const run = await runWorkflow(
				cozeGraph(sim, {
					typeVersion: 2,
					parameters: {
						workflowId: locator,
						...mapped({ photo: name }, 'defineBelow', undefined, schema),
					},
				}),
			);
			expect(run.nodeError('Coze')?.message).toBe(
				`Input "photo" is a file, and "${name}" is not a URL, a file reference or a binary field of the item`,
			);
			expect(requestsTo(sim, '/v1/files/upload')).toBe(0);
		},
	);
});

describe('Files From Binary with a parameter or binary field named like a JavaScript object member, through the n8n engine', () => {
	let sim: CozeSimulator;
	beforeAll(() => useBinaryMode('filesystem'));
	beforeEach(async () => {
		sim = await CozeSimulator.start();
		sim.defineWorkflow(WORKFLOW_ID, { run: () => okStream('done') });
	});
	afterEach(() => stopSimulator(sim));

	const PHOTO: GeneratedFile = {
		bytes: 1000,
		fileName: 'photo.jpg',
		mimeType: 'image/jpeg',
		field: 'photo',
	};

	it.each(MEMBER_NAMES.map((name) => [name]))(
		'fills a parameter named "%s" while Parameters is {}',
		async (name) => {
			const run = await runWorkflow(
				cozeGraph(sim, {
					files: [PHOTO],
					parameters: { parameters: '{}' },
					options: { filesFromBinary: { files: [{ binaryField: 'photo', parameter: name }] } },
				}),
			);
			expect(run.nodeError('Coze')).toBeUndefined();
			const [parameters] = sentParameters(sim);
			expect(Object.keys(parameters)).toEqual([name]);
			expect(
				JSON.parse(Object.getOwnPropertyDescriptor(parameters, name)?.value as string),
			).toEqual({ file_id: expect.stringMatching(/^\d+$/) });
		},
	);

	it('gives a parameter named "__proto__" a list when it takes two files', async () => {
		const run = await runWorkflow(
			cozeGraph(sim, {
				files: [PHOTO],
				parameters: { parameters: '={{ { note: "x" } }}' },
				options: {
					filesFromBinary: {
						files: [
							{ binaryField: 'photo', parameter: '__proto__' },
							{ binaryField: 'photo', parameter: '__proto__' },
						],
					},
				},
			}),
		);
		expect(run.nodeError('Coze')).toBeUndefined();
		const [parameters] = sentParameters(sim);
		expect(Object.keys(parameters)).toEqual(['note', '__proto__']);
		expect(Object.getOwnPropertyDescriptor(parameters, '__proto__')?.value).toHaveLength(2);
	});

	it.each(MEMBER_NAMES.map((name) => [name]))(
		'says the item has no binary field "%s", before anything is uploaded',
		async (name) => {
			const run = await runWorkflow(
				cozeGraph(sim, {
					files: [PHOTO],
					options: { filesFromBinary: { files: [{ binaryField: name, parameter: 'image' }] } },
				}),
			);
			expect(run.nodeError('Coze')?.message).toBe(`Input item 0 has no binary field "${name}"`);
			expect(requestsTo(sim, '/v1/files/upload')).toBe(0);
		},
	);

	it('still refuses a parameter that Parameters really sets, named like a member', async () => {
		const run = await runWorkflow(
			cozeGraph(sim, {
				files: [PHOTO],
				parameters: { parameters: '{"toString":"x"}' },
				options: { filesFromBinary: { files: [{ binaryField: 'photo', parameter: 'toString' }] } },
			}),
		);
		expect(run.nodeError('Coze')?.message).toBe(
			'Parameters already sets "toString", which Options → Files From Binary also fills',
		);
	});
});
