// Workflows with a Coze node on the Bot resource, for the engine and fault tests of Bot → Chat and
// Bot → Submit Tool Outputs: Start → Input items → Coze, its two outputs collected.
import type { IDataObject, INodeParameters, StructuredChunk } from 'n8n-workflow';

import type { CozeSimulator } from '../simulator/server';
import {
	COZE_TOOL_TYPE,
	COZE_TYPE,
	cozeCredentials,
	runWorkflow,
	type Edge,
	type EngineRun,
	type TestNode,
} from './harness';

export const BOT_ID = '7379462189365198898';

export const botField = (value = BOT_ID) => ({ __rl: true, mode: 'id', value });

export interface BotGraphOptions {
	/** The Coze node's parameters beyond resource and operation. */
	parameters?: INodeParameters;
	operation?: 'chat' | 'submitToolOutputs';
	/** Input items (json), each a message of Chat (`chatInput`, `sessionId`) by default. */
	inputs?: object[];
	onError?: TestNode['onError'];
	requestOptions?: INodeParameters;
	/** Run the node as n8n runs it for an AI Agent (its Tool type). */
	asTool?: boolean;
	/**
	 * Chain Interrupts → "Answer the Call" (sets tool_outputs from each call's args.city, as an Edit
	 * Fields node would) → "Submit" (Bot → Submit Tool Outputs with these parameters).
	 */
	submit?: INodeParameters;
}

/** Start → Input → Coze (Bot), with Chat's parameters defaulting to a new conversation per message. */
export function botGraph(sim: CozeSimulator, options: BotGraphOptions = {}) {
	const operation = options.operation ?? 'chat';
	const defaults: INodeParameters =
		operation === 'chat' ? { botId: botField(), conversation: 'new' } : {};
	const inputs = options.inputs ?? [{ chatInput: 'hi' }];
	const nodes: TestNode[] = [
		{ name: 'Start', type: 'test.start' },
		{
			name: 'Input',
			type: 'test.fixedItems',
			parameters: { items: JSON.stringify(inputs.map((json) => ({ json }))) },
		},
		{
			name: 'Coze',
			type: options.asTool ? COZE_TOOL_TYPE : COZE_TYPE,
			parameters: {
				resource: 'bot',
				operation,
				...defaults,
				...options.parameters,
				requestOptions: options.requestOptions ?? {},
			},
			...(options.onError ? { onError: options.onError } : {}),
		},
	];
	const edges: Edge[] = [
		['Start', 0, 'Input'],
		['Input', 0, 'Coze'],
	];
	if (options.submit) {
		nodes.push(
			{
				name: 'Answer the Call',
				type: 'test.set',
				parameters: {
					fields:
						'={{ JSON.stringify({ tool_outputs: $json.tool_calls.map(call => ({ tool_call_id: call.id, output: "sunny in " + call.args.city })) }) }}',
				},
			},
			{
				name: 'Submit',
				type: COZE_TYPE,
				parameters: { resource: 'bot', operation: 'submitToolOutputs', ...options.submit },
				...(options.onError ? { onError: options.onError } : {}),
			},
		);
		edges.push(['Coze', 1, 'Answer the Call'], ['Answer the Call', 0, 'Submit']);
	}
	return { nodes, edges, credentials: cozeCredentials(sim.baseUrl, sim.token) };
}

export interface BotRun {
	run: EngineRun;
	/** Items of the Coze node's outputs 0 (Messages) and 1 (Interrupts). */
	messages: IDataObject[];
	interrupts: IDataObject[];
	error?: { message: string; description?: string | null };
	/** What n8n's live chat got from the Coze node, in order. */
	chunks: StructuredChunk[];
	/** The live chat's text: its `item` chunks joined. */
	liveText: string;
}

/** Runs the graph as an active workflow with a streaming trigger (webhook mode, live chunks kept). */
export async function runBot(
	sim: CozeSimulator,
	options: BotGraphOptions = {},
	run: { staticData?: IDataObject; streaming?: boolean } = {},
): Promise<BotRun> {
	const chunks: StructuredChunk[] = [];
	const result = await runWorkflow({
		...botGraph(sim, options),
		mode: 'webhook',
		staticData: run.staticData ?? {},
		...(run.streaming === false ? {} : { onChunk: (chunk) => chunks.push(chunk) }),
	});
	return {
		run: result,
		messages: result.output('Coze', 0).map((item) => item.json),
		interrupts: result.output('Coze', 1).map((item) => item.json),
		error: result.nodeError('Coze'),
		chunks,
		liveText: chunks
			.filter((chunk) => chunk.type === 'item')
			.map((chunk) => chunk.content ?? '')
			.join(''),
	};
}

/** How many requests `path` got. */
export const requestsTo = (sim: CozeSimulator, path: string) =>
	sim.requests.filter((request) => request.path === path).length;
