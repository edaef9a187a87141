import type { INodeParameters } from 'n8n-workflow';

import type { GeneratedFile } from '../engine/fixture-nodes';
import { COZE_TYPE, cozeCredentials, type Edge, type TestNode } from '../engine/harness';
import type { CozeSimulator } from '../simulator/server';
import { DEBUG_URL, messageChunks, numbered } from '../simulator/workflows';

export const WORKFLOW_ID = '7404830425073352713';
export const EVENT_ID = '7404830425073352999/6961231853298581504';

export interface CozeGraphOptions {
	/** The Coze node's parameters beyond resource and operation (Run: workflowId and parameters default). */
	parameters?: INodeParameters;
	operation?: 'run' | 'resume' | 'upload';
	requestOptions?: INodeParameters;
	options?: INodeParameters;
	onError?: TestNode['onError'];
	/** Input items (json) fed to the Coze node. */
	inputs?: object[];
	/** Files made by n8n's binary data service instead, one item each (for Upload). */
	files?: GeneratedFile[];
	/** A Base URL other than the simulator's. */
	baseUrl?: string;
	/** The Coze node's version (1 unless said). */
	typeVersion?: number;
}

/** Start → Input → Coze, the Coze node set as the fault tests need it. */
export function cozeGraph(sim: CozeSimulator, options: CozeGraphOptions = {}) {
	const operation = options.operation ?? 'run';
	const version1Defaults: INodeParameters =
		operation === 'run'
			? { workflowId: WORKFLOW_ID, parameters: '={{ { n: $json.n } }}' }
			: operation === 'resume'
				? { workflowId: WORKFLOW_ID, eventId: EVENT_ID, interruptType: '2', resumeData: 'Hangzhou' }
				: {};
	// Version 2's parameters are each test's own: a resource locator, the Inputs mapper.
	const defaults = (options.typeVersion ?? 1) >= 2 ? {} : version1Defaults;
	const inputs = options.inputs ?? [{ n: 0 }];
	const nodes: TestNode[] = [
		{ name: 'Start', type: 'test.start' },
		options.files
			? {
					name: 'Input',
					type: 'test.makeBinary',
					parameters: { files: JSON.stringify(options.files) },
				}
			: {
					name: 'Input',
					type: 'test.fixedItems',
					parameters: { items: JSON.stringify(inputs.map((json) => ({ json }))) },
				},
		{
			name: 'Coze',
			type: COZE_TYPE,
			typeVersion: options.typeVersion ?? 1,
			parameters: {
				resource: operation === 'upload' ? 'file' : 'workflow',
				operation,
				...defaults,
				...options.parameters,
				...(options.options ? { options: options.options } : {}),
				requestOptions: options.requestOptions ?? {},
			},
			...(options.onError ? { onError: options.onError } : {}),
		},
	];
	const edges: Edge[] = [
		['Start', 0, 'Input'],
		['Input', 0, 'Coze'],
	];
	return { nodes, edges, credentials: cozeCredentials(options.baseUrl ?? sim.baseUrl, sim.token) };
}

/** A healthy stream: one End message, then Done. */
export const okStream = (text = 'ok') => ({
	stream: numbered([
		...messageChunks({ title: 'End', uuid: 'e' }, [text]),
		{ event: 'Done', data: { debug_url: DEBUG_URL } },
	]),
});

/** How many requests reached `path`: for run endpoints, how many runs the server was asked to start. */
export function requestsTo(sim: CozeSimulator, path: string): number {
	return sim.requests.filter((request) => request.path === path).length;
}
