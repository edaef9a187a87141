// The Inputs fields of a workflow whose start-node input types are not strings (a hostile shape
// without evidence: test/simulator/odd-input-types.ts), as n8n's editor loads them (n8n-core's
// LoadOptionsContext): each becomes a field that takes JSON instead of the method failing with a TypeError,
// and the run sends what such a field is given.
import { getWorkflowInputs } from '../../nodes/Coze/methods/input-fields-method';
import { forgetWorkspaces } from '../../nodes/Coze/testing';
import { cozeGraph, okStream } from '../faults/graph';
import { addWorkflowWithOddInputTypes } from '../simulator/odd-input-types';
import { CozeSimulator, SIMULATOR_TOKEN } from '../simulator/server';
import { stopSimulator } from '../simulator/stop';
import { cozeCredentials, editorContext, runWorkflow, useBinaryMode } from './harness';

const WORKSPACE = '7404830425073300001';
const ODD = '7404830425073352720';

describe('Inputs whose Coze type is not a string, as the editor loads them and the run sends them', () => {
	let sim: CozeSimulator;
	// n8n's logger and error reporter, silent, as every engine test has them.
	beforeAll(() => useBinaryMode('memory'));
	beforeEach(async () => {
		forgetWorkspaces();
		sim = await CozeSimulator.start({ flavour: 'cloud' });
		sim.catalog.addWorkspace({ id: WORKSPACE, name: 'Personal space' });
		addWorkflowWithOddInputTypes(sim.catalog, WORKSPACE, ODD);
	});
	afterEach(() => stopSimulator(sim));

	const loadFields = async () =>
		(
			await getWorkflowInputs.call(
				editorContext(
					{ workflowId: { __rl: true, mode: 'id', value: ODD } },
					cozeCredentials(sim.baseUrl, SIMULATOR_TOKEN),
				),
			)
		).fields;

	it('gives a field that takes JSON for each type that is a number, an object, null or absent, and keeps the others as they are', async () => {
		const fields = await loadFields();
		// Optional, so n8n's text field (its JSON editor would mark an empty one): the label's
		// "(object)" is what the run reads them by.
		expect(fields.map((field) => [field.id, field.displayName, field.type])).toEqual([
			['count', 'count (object)', 'string'],
			['shaped', 'shaped (object)', 'string'],
			['nothing', 'nothing (object)', 'string'],
			['untyped', 'untyped (object)', 'string'],
			['list', 'list (array of object)', 'string'],
			['name', 'name (string)', 'string'],
		]);
	});

	it('runs with what such a field is given, sent as the JSON it is', async () => {
		const schema = await loadFields();
		sim.defineWorkflow(ODD, { run: () => okStream('ran') });
		const value = { name: 'Ada', count: '{"n": 7404830425073352713}', list: '[1, 2]' };
		const inputs = {
			mappingMode: 'defineBelow',
			value,
			matchingColumns: [],
			schema,
			attemptToConvertTypes: false,
			convertFieldsToString: true,
		};
		const run = await runWorkflow(
			cozeGraph(sim, {
				typeVersion: 2,
				parameters: {
					workflowId: { __rl: true, mode: 'id', value: ODD },
					inputMode: 'fields',
					inputs,
				},
			}),
		);
		expect(run.output('Coze').map((item) => item.json.content)).toEqual(['ran']);
		expect(
			sim.requests.find((request) => request.path === '/v1/workflow/stream_run')?.body,
		).toContain('"parameters":{"count":{"n": 7404830425073352713},"list":[1, 2],"name":"Ada"}');
	});
});
