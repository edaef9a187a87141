// Numbers as people type them, through n8n's engine: an integer or number input with leading
// zeros is sent as the JSON number it means (00012 → 12, every other digit kept), never as text
// that makes the request body invalid JSON; JSON with such a number is refused, naming the input.
import type { INodeParameters } from 'n8n-workflow';

import { fieldOfInput } from '../../nodes/Coze/shared/input-fields';
import { cozeGraph, okStream, WORKFLOW_ID } from '../faults/graph';
import { sendEventStream } from '../simulator/event-stream';
import { CozeSimulator } from '../simulator/server';
import { stopSimulator } from '../simulator/stop';
import { runWorkflow, useBinaryMode } from './harness';

const SCHEMA = [
	fieldOfInput('age', { type: 'integer' }),
	fieldOfInput('score', { type: 'number' }),
	fieldOfInput('profile', { type: 'object' }),
	fieldOfInput('tags', { type: 'array' }),
];
const mapped = (value: Record<string, unknown>): INodeParameters =>
	({
		workflowId: { __rl: true, mode: 'id', value: WORKFLOW_ID },
		inputMode: 'fields',
		inputs: {
			mappingMode: 'defineBelow',
			value,
			matchingColumns: [],
			schema: SCHEMA,
			attemptToConvertTypes: false,
			convertFieldsToString: true,
		},
	}) as unknown as INodeParameters;

describe('Integer and number inputs with leading zeros, through the n8n engine', () => {
	let sim: CozeSimulator;
	// n8n's logger and error reporter, silent, as every engine test has them.
	beforeAll(() => useBinaryMode('memory'));
	/** The run requests' bodies as sent, each answered whether or not it is JSON (a body that is not would fail its JSON.parse here). */
	let bodies: string[];
	beforeEach(async () => {
		sim = await CozeSimulator.start();
		bodies = [];
		for (let i = 0; i < 3; i++) {
			sim.override('/v1/workflow/stream_run', async (_req, res, body) => {
				bodies.push(await body());
				await sendEventStream(res, okStream().stream);
			});
		}
	});
	afterEach(() => stopSimulator(sim));

	it.each([
		['00012', '12'],
		['-007', '-7'],
		['000', '0'],
		['0007404830425073352713', '7404830425073352713'],
		['={{ "00012" }}', '12'],
		['={{ " -0042 " }}', '-42'],
	])('sends integer %s as the JSON number %s', async (age, sent) => {
		const run = await runWorkflow(cozeGraph(sim, { typeVersion: 2, parameters: mapped({ age }) }));
		expect(run.nodeError('Coze')).toBeUndefined();
		expect(bodies).toHaveLength(1);
		expect(() => JSON.parse(bodies[0]) as unknown).not.toThrow();
		expect(bodies[0]).toContain(`"parameters":{"age":${sent}}`);
	});

	it.each([
		['={{ "01.5" }}', '1.5'],
		['={{ "-00.25" }}', '-0.25'],
		['={{ "007e2" }}', '7e2'],
		['={{ "0.000100" }}', '0.000100'],
		// A number from an expression is sent as it is, a fraction too.
		['={{ 2.5 }}', '2.5'],
	])('sends number %s as the JSON number %s', async (score, sent) => {
		const run = await runWorkflow(
			cozeGraph(sim, { typeVersion: 2, parameters: mapped({ score }) }),
		);
		expect(run.nodeError('Coze')).toBeUndefined();
		expect(() => JSON.parse(bodies[0]) as unknown).not.toThrow();
		expect(bodies[0]).toContain(`"parameters":{"score":${sent}}`);
	});

	it.each([
		[{ profile: '{"member_no": 0007404830425073352713}' }, 'Input "profile" must be a JSON object'],
		[{ tags: '={{ "[-00012345678901234567]" }}' }, 'Input "tags" must be a JSON array'],
		[{ age: '={{ "0x1F" }}' }, 'Input "age" must be a whole number'],
		[{ score: '={{ ".5" }}' }, 'Input "score" must be a number'],
	])('refuses %j, which is no JSON, naming the input', async (value, message) => {
		const run = await runWorkflow(cozeGraph(sim, { typeVersion: 2, parameters: mapped(value) }));
		expect(run.nodeError('Coze')?.message).toBe(message);
		expect(bodies).toEqual([]);
	});
});
