// What n8n's terminal prints when the editor's workflow list or inputs mapper fails as expected
// (a wrong token, a missing permission, a workflow that is not there, a server without the API;
// the mapper's failures are notices, which n8n does not log):
// n8n's REST layer hands each such error to n8n-core's ErrorReporter, whose default report logs
// the error and then each of its causes, with a stack for every one that is not an n8n error of
// level "warning". One line each, the message the editor shows, is what is wanted.
import type { Logger } from '@n8n/backend-common';
import { ErrorReporter } from 'n8n-core';
import type { ILoadOptionsFunctions, ResourceMapperFields } from 'n8n-workflow';

import { getWorkflowInputs } from '../../nodes/Coze/methods/input-fields-method';
import { searchWorkflows } from '../../nodes/Coze/methods/workflow-search';
import { forgetWorkspaces } from '../../nodes/Coze/testing';
import { CozeSimulator, SIMULATOR_TOKEN } from '../simulator/server';
import { stopSimulator } from '../simulator/stop';
import { editorContext } from './harness';

const DAILY_BRIEFING = '7404830425073352713';

/** The lines n8n's ErrorReporter logs for `error` (its default report, as without Sentry). */
function loggedLines(error: unknown): string[] {
	const lines: string[] = [];
	const logger = {
		error: (message: string) => lines.push(message),
		warn: () => undefined,
		info: () => undefined,
		debug: () => undefined,
	} as unknown as Logger;
	new ErrorReporter(logger, {} as never).error(error);
	return lines;
}

async function thrownBy(call: () => Promise<unknown>): Promise<Error> {
	try {
		await call();
	} catch (error) {
		return error as Error;
	}
	throw new Error('the editor method did not fail');
}

describe("an expected editor error prints one line in n8n's terminal: the message the editor shows, no stack", () => {
	let sim: CozeSimulator;
	const picked = {
		resource: 'workflow',
		operation: 'run',
		workflowId: { __rl: true, mode: 'id', value: DAILY_BRIEFING },
	};
	const editor = (parameters: object, token = SIMULATOR_TOKEN, baseUrl = sim.baseUrl) =>
		editorContext(parameters as never, {
			cozeApi: { region: 'custom', baseUrl, accessToken: token },
		}) as unknown as ILoadOptionsFunctions;

	beforeEach(async () => {
		forgetWorkspaces();
		sim = await CozeSimulator.start({ flavour: 'cloud' });
		sim.catalog.addWorkspace({
			id: '7404830425073300001',
			name: 'Personal space',
			workspace_type: 'personal',
		});
		sim.catalog.addWorkflow('7404830425073300001', {
			workflow_id: DAILY_BRIEFING,
			workflow_name: 'daily_briefing',
			inputs: { city: { type: 'string' } },
		});
	});
	afterEach(() => stopSimulator(sim));

	const cases: Array<[string, () => Promise<unknown>]> = [
		[
			'the list, with a wrong token',
			async () => await searchWorkflows.call(editor({}, 'pat_wrong')),
		],
		[
			'the list, without the listWorkspace permission',
			async () => {
				sim.catalog.deny('listWorkspace');
				return await searchWorkflows.call(editor({}));
			},
		],
		[
			'the list, from a server that is not there',
			async () => await searchWorkflows.call(editor({}, SIMULATOR_TOKEN, 'http://127.0.0.1:9')),
		],
	];

	it.each(cases)('%s', async (_, call) => {
		const error = await thrownBy(call);
		const lines = loggedLines(error);
		expect(lines).toEqual([error.message]);
		expect(lines[0]).not.toContain('\n');
	});

	// n8n's mapper shows no error its method throws, so the inputs method answers every failure
	// with its notice (editor-advice.ts): nothing is thrown, and n8n's terminal prints nothing.
	const inputsCases: Array<[string, () => Promise<ResourceMapperFields>]> = [
		[
			'the inputs, with a wrong token',
			async () => await getWorkflowInputs.call(editor(picked, 'pat_wrong')),
		],
		[
			'the inputs, of a workflow that is not there',
			async () =>
				await getWorkflowInputs.call(
					editor({
						...picked,
						workflowId: { __rl: true, mode: 'id', value: '7404830425073350000' },
					}),
				),
		],
		[
			'the inputs, one of them named with the token',
			async () => {
				sim.catalog.addWorkflow('7404830425073300001', {
					workflow_id: '7404830425073352799',
					workflow_name: 'odd',
					inputs: { [SIMULATOR_TOKEN]: { type: 'string' } },
				});
				return await getWorkflowInputs.call(
					editor({
						...picked,
						workflowId: { __rl: true, mode: 'id', value: '7404830425073352799' },
					}),
				);
			},
		],
		[
			'the inputs, without the getMetaData permission',
			async () => {
				sim.catalog.deny('getMetaData');
				return await getWorkflowInputs.call(editor(picked));
			},
		],
	];

	it.each(inputsCases)('%s: a notice, nothing thrown to log', async (_, call) => {
		const answer = await call();
		expect(answer.fields).toEqual([]);
		expect(answer.emptyFieldsNotice).toBeTruthy();
	});

	it('the Studio server without a list API: one line too', async () => {
		const studio = await CozeSimulator.start({ flavour: 'studio' });
		try {
			const error = await thrownBy(
				async () => await searchWorkflows.call(editor({}, SIMULATOR_TOKEN, studio.baseUrl)),
			);
			expect(loggedLines(error)).toEqual([error.message]);
		} finally {
			await stopSimulator(studio);
		}
	});
});
