// What each mapped input is sent as comes from data saved with the mapper's field, not from the
// words of its label: a renamed or translated label sends the same; a workflow saved before the
// data was there runs exactly as before, read by its label.
import type { INodeParameters, ResourceMapperField } from 'n8n-workflow';

import { fieldOfInput, kindFromLabel, kindOfField } from '../../nodes/Coze/shared/input-fields';
import type { CozeInputParameter } from '../../nodes/Coze/transport/protocols/workflow-catalog';
import { cozeGraph, okStream, WORKFLOW_ID } from '../faults/graph';
import { CozeSimulator } from '../simulator/server';
import { stopSimulator } from '../simulator/stop';
import { runWorkflow } from './harness';

/** Coze's type of each input (a list of strings for the array). */
const TYPES: Record<string, string> = {
	age: 'integer',
	score: 'number',
	vip: 'boolean',
	tags: 'array',
	profile: 'object',
	photo: 'image',
};
const inputOf = (type: string): CozeInputParameter =>
	type === 'array' ? { type, items: { type: 'string' } } : { type };
const VALUES = {
	age: '7404830425073352713',
	score: '0.1000000000000000055511151231257827',
	vip: true,
	tags: '["tea", "books"]',
	profile: '{"member_no": 7404830425073352999}',
	photo: 'https://example.com/ada.png',
};
const SENT =
	'"parameters":{"age":7404830425073352713,"score":0.1000000000000000055511151231257827,"vip":true,"tags":["tea", "books"],"profile":{"member_no": 7404830425073352999},"photo":"https://example.com/ada.png"}';

/** Labels in other words: what a translation, or a later wording of the node, shows. */
const TRANSLATED: Record<string, string> = {
	age: '年龄（整数）',
	score: '分数',
	vip: 'VIP?',
	tags: '标签',
	profile: 'Profile',
	photo: '照片 (image)',
};

/** The fields as getWorkflowInputs gives them now. */
const fieldsNow = () =>
	Object.entries(TYPES).map(([name, type]) => fieldOfInput(name, inputOf(type)));

/**
 * The fields as this node saved them before the kind was carried in the field's data: the label
 * alone ended with Coze's type, and an optional object or array was a text field.
 */
const fieldsSavedBefore = (): ResourceMapperField[] =>
	fieldsNow().map((now) => {
		const field: ResourceMapperField = {
			...now,
			type: now.id === 'tags' || now.id === 'profile' ? 'string' : now.type,
		};
		delete field.options;
		return field;
	});

const mapped = (schema: ResourceMapperField[]): INodeParameters =>
	({
		inputMode: 'fields',
		inputs: {
			mappingMode: 'defineBelow',
			value: VALUES,
			matchingColumns: [],
			schema,
			attemptToConvertTypes: false,
			convertFieldsToString: true,
		},
	}) as unknown as INodeParameters;

describe("each mapped input is sent as its Coze type, read from the field's data, through the n8n engine", () => {
	let sim: CozeSimulator;
	beforeEach(async () => {
		sim = await CozeSimulator.start();
		sim.defineWorkflow(WORKFLOW_ID, { run: () => okStream('done') });
	});
	afterEach(() => stopSimulator(sim));

	const sentText = () =>
		sim.requests
			.filter((request) => request.path === '/v1/workflow/stream_run')
			.map((request) => request.body ?? '');
	const run = async (schema: ResourceMapperField[]) =>
		await runWorkflow(
			cozeGraph(sim, {
				typeVersion: 2,
				parameters: {
					workflowId: { __rl: true, mode: 'id', value: WORKFLOW_ID },
					...mapped(schema),
				},
			}),
		);

	it('sends the same whatever the labels say', async () => {
		const relabelled = fieldsNow().map((field) => ({
			...field,
			displayName: TRANSLATED[field.id],
		}));
		await run(relabelled);
		expect(sentText()).toHaveLength(1);
		expect(sentText()[0]).toContain(SENT);
	});

	it('runs a workflow saved before the kind was in the data exactly as before: by its label (kindFromLabel)', async () => {
		await run(fieldsSavedBefore());
		expect(sentText()[0]).toContain(SENT);
	});
});

describe('where a saved field says its kind', () => {
	it('carries it in data n8n saves with the field but does not show: an entry of its options, for a field that is no dropdown', () => {
		for (const field of fieldsNow()) {
			expect(field.type).not.toBe('options');
			expect(field.options).toEqual([{ name: 'cozeInputKind', value: kindOfField(field) }]);
		}
		expect(
			fieldsNow().map((field) => [field.id, kindOfField({ ...field, displayName: '?' })]),
		).toEqual([
			['age', 'integer'],
			['score', 'number'],
			['vip', 'boolean'],
			['tags', 'array'],
			['profile', 'object'],
			['photo', 'file'],
		]);
	});

	it('reads the label only as the fallback for fields saved without that data, and ignores a kind it does not know', () => {
		expect(kindFromLabel('age (integer)')).toBe('integer');
		expect(kindFromLabel('tags (array of string)')).toBe('array');
		expect(kindFromLabel('photo (image file)')).toBe('file');
		expect(kindFromLabel('when (time)')).toBe('string');
		expect(kindFromLabel('年龄')).toBeUndefined();
		const saved = { id: 'age', displayName: 'age (integer)', type: 'string' as const };
		expect(kindOfField({ ...saved, options: [{ name: 'cozeInputKind', value: 'number' }] })).toBe(
			'number',
		);
		expect(
			kindOfField({ ...saved, options: [{ name: 'cozeInputKind', value: 'constructor' }] }),
		).toBe('integer');
		expect(kindOfField({ ...saved, displayName: 'age' })).toBe('string');
		expect(kindOfField({ ...saved, displayName: 'tags', type: 'array' })).toBe('array');
	});
});
