import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import {
	BinaryDataService,
	ErrorReporter,
	ExecutionLifecycleHooks,
	ExternalSecretsProxy,
	LoadOptionsContext,
	WorkflowExecute,
} from 'n8n-core';
import {
	ICredentialsHelper,
	NodeConnectionTypes,
	NodeHelpers,
	Workflow,
	type ICredentialDataDecryptedObject,
	type IConnections,
	type IHttpRequestOptions,
	type INode,
	type INodeExecutionData,
	type INodeType,
	type INodeTypes,
	type IDataObject,
	type IRun,
	type IWorkflowExecuteAdditionalData,
	type StructuredChunk,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

import { Coze } from '../../nodes/Coze/Coze.node';
import { makeTempFolder } from '../temp-root';
import {
	BreakBinaryNode,
	CollectNode,
	FixedItemsNode,
	MakeBinaryNode,
	SetFieldsNode,
	StartNode,
} from './fixture-nodes';

/** Node type names as n8n registers them for an installed community package. */
export const COZE_TYPE = 'n8n-nodes-coze-workflow.coze';
/** The same node as n8n runs it when it is an AI Agent's tool (n8n makes `<name>Tool` of a `usableAsTool` node). */
export const COZE_TOOL_TYPE = 'n8n-nodes-coze-workflow.cozeTool';

const nodeTypeMap: Record<string, INodeType> = {
	[COZE_TYPE]: new Coze(),
	[COZE_TOOL_TYPE]: new Coze(),
	'test.start': new StartNode(),
	'test.makeBinary': new MakeBinaryNode(),
	'test.collect': new CollectNode(),
	'test.fixedItems': new FixedItemsNode(),
	'test.set': new SetFieldsNode(),
	'test.breakBinary': new BreakBinaryNode(),
};

const nodeTypes: INodeTypes = {
	getByName: (type) => nodeTypeMap[type],
	getByNameAndVersion: (type, version) =>
		NodeHelpers.getVersionedNodeType(nodeTypeMap[type], version),
	getKnownTypes: () => ({}),
};

/** Hands the engine plain credentials, as n8n would after decrypting them. */
class PlainCredentialsHelper extends ICredentialsHelper {
	constructor(private readonly byType: Record<string, ICredentialDataDecryptedObject>) {
		super();
	}
	getParentTypes(): string[] {
		return [];
	}
	isCredentialUsableByNode(): boolean {
		return true;
	}
	async authenticate(_c: ICredentialDataDecryptedObject, _t: string, options: IHttpRequestOptions) {
		return options;
	}
	async preAuthentication() {
		return undefined;
	}
	async runPreAuthentication() {
		return undefined;
	}
	async getCredentials(): Promise<never> {
		throw new Error('not used by these tests');
	}
	async getDecrypted(
		_a: unknown,
		_n: unknown,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		const data = this.byType[type];
		if (!data) throw new Error(`no test credential of type ${type}`);
		return data;
	}
	async updateCredentials() {}
	async updateCredentialsOauthTokenData() {}
	getCredentialsProperties() {
		return [];
	}
}

const silentLogger = {
	error() {},
	warn() {},
	info() {},
	debug() {},
	scoped() {
		return silentLogger;
	},
};

/** n8n's logger and error reporter, silent, for every test that imports the harness (a test may set its own after). */
function silenceN8n(): void {
	Container.set(Logger, silentLogger as unknown as Logger);
	Container.set(ErrorReporter, { error() {}, warn() {}, info() {} } as unknown as ErrorReporter);
}
silenceN8n();

let binaryMode: string | undefined;

/**
 * Where prepareBinaryData puts files: 'filesystem' gives items a binary `id` (the node must
 * stream it), 'memory' keeps base64 in the item, as n8n does with its default mode.
 */
export async function useBinaryMode(mode: 'filesystem' | 'memory'): Promise<void> {
	silenceN8n();
	if (binaryMode === mode) return;
	const config = {
		mode: mode === 'filesystem' ? 'filesystem' : 'default',
		localStoragePath: makeTempFolder('binary-'),
	};
	const service = new BinaryDataService(
		config as never,
		Container.get(ErrorReporter),
		Container.get(Logger),
	);
	await service.init();
	Container.set(BinaryDataService, service);
	binaryMode = mode;
}

export interface TestNode extends Partial<INode> {
	name: string;
	type: string;
}

/** `[from, outputIndex, to]`: an edge of the workflow's main connections. */
export type Edge = [from: string, output: number, to: string];

export interface EngineRun {
	run: IRun;
	/** Items a node sent out of one of its outputs (empty when it did not run). */
	output(nodeName: string, outputIndex?: number): INodeExecutionData[];
	/** The error a node ended with, if any. */
	nodeError(nodeName: string): { message: string; description?: string | null } | undefined;
}

let executionCounter = 0;

/**
 * Runs a workflow through n8n-core's WorkflowExecute, the engine n8n itself uses, starting
 * at the node named "Start". `onStart` gets the running promise, for tests that stop it.
 */
export async function runWorkflow(options: {
	nodes: TestNode[];
	edges: Edge[];
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	onStart?: (execution: { cancel: () => void }) => void;
	/** Called as each node starts and ends (benchmarks time and measure one node). */
	onNode?: (event: 'start' | 'end', nodeName: string) => void;
	/**
	 * Streams as n8n does for a Chat Trigger or a streaming Webhook: `streamingEnabled` and a
	 * sendChunk hook (n8n-core's isStreaming() needs both, and a mode of manual, webhook, chat or
	 * integrated), which gets every chunk in order.
	 */
	onChunk?: (chunk: StructuredChunk) => void;
	/** manual (the editor) by default; webhook or trigger run as an active workflow does. */
	mode?: WorkflowExecuteMode;
	/** The workflow's static data, kept by the caller from one execution to the next as n8n keeps it. */
	staticData?: IDataObject;
	/** The workflow's id (one per test workflow, as n8n's ids are). */
	workflowId?: string;
}): Promise<EngineRun> {
	const nodes: INode[] = options.nodes.map((node, i) => ({
		id: `node-${i}`,
		typeVersion: 1,
		position: [i * 220, 0],
		parameters: {},
		...(node.type === COZE_TYPE || node.type === COZE_TOOL_TYPE
			? { credentials: { cozeApi: { id: '1', name: 'Coze (test)' } } }
			: {}),
		...node,
	}));
	const connections: IConnections = {};
	for (const [from, output, to] of options.edges) {
		connections[from] ??= { main: [] };
		const main = connections[from].main;
		while (main.length <= output) main.push([]);
		main[output]!.push({ node: to, type: NodeConnectionTypes.Main, index: 0 });
	}
	const workflow = new Workflow({
		id: options.workflowId ?? 'wf-test',
		staticData: options.staticData,
		name: 'engine test',
		nodes,
		connections,
		active: false,
		nodeTypes,
		settings: { executionOrder: 'v1' },
	});

	executionCounter += 1;
	const executionId = `exec-${executionCounter}`;
	const mode = options.mode ?? 'manual';
	const hooks = new ExecutionLifecycleHooks(mode, executionId, {
		id: workflow.id,
		name: workflow.name,
		active: false,
		isArchived: false,
		nodes,
		connections,
		createdAt: new Date(),
		updatedAt: new Date(),
		activeVersionId: null,
	} as never);
	const { onNode } = options;
	if (onNode) {
		hooks.addHandler('nodeExecuteBefore', (nodeName) => onNode('start', nodeName));
		hooks.addHandler('nodeExecuteAfter', (nodeName) => onNode('end', nodeName));
	}
	const { onChunk } = options;
	if (onChunk) hooks.addHandler('sendChunk', (chunk) => onChunk(chunk));
	const additionalData = {
		hooks,
		streamingEnabled: onChunk !== undefined,
		executionId,
		externalSecretsProxy: new ExternalSecretsProxy(),
		credentialsHelper: new PlainCredentialsHelper(options.credentials ?? {}),
		restApiUrl: 'http://localhost:5678/rest',
		instanceBaseUrl: 'http://localhost:5678/',
		formWaitingBaseUrl: 'http://localhost:5678/form-waiting',
		webhookBaseUrl: 'http://localhost:5678/webhook',
		webhookWaitingBaseUrl: 'http://localhost:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://localhost:5678/webhook-test',
		variables: {},
		currentNodeExecutionIndex: 0,
	} as unknown as IWorkflowExecuteAdditionalData;

	const execution = new WorkflowExecute(additionalData, mode).run({
		workflow,
		startNode: workflow.getNode('Start')!,
	});
	options.onStart?.({ cancel: () => execution.cancel() });
	const run = await execution;
	const runData = run.data.resultData.runData;
	return {
		run,
		output: (nodeName, outputIndex = 0) => runData[nodeName]?.[0]?.data?.main?.[outputIndex] ?? [],
		nodeError: (nodeName) => runData[nodeName]?.[0]?.error,
	};
}

/** A Coze API credential pointing at a simulator, as a user of self-hosted Coze Studio sets it. */
export function cozeCredentials(
	baseUrl: string,
	accessToken: string,
): Record<string, ICredentialDataDecryptedObject> {
	return { cozeApi: { region: 'custom', baseUrl, accessToken } };
}

/** The outputs n8n's editor and engine give a Coze node with these parameters (names included). */
export function cozeNodeOutputs(parameters: INode['parameters'], onError?: INode['onError']) {
	const node: INode = {
		id: 'coze',
		name: 'Coze',
		type: COZE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters,
		...(onError ? { onError } : {}),
	};
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	return NodeHelpers.getNodeOutputs(workflow, node, nodeTypeMap[COZE_TYPE].description);
}

/**
 * The context n8n's editor gives a node's list and mapper methods (n8n-core's LoadOptionsContext,
 * as the dynamic-parameters endpoint makes it): the node as the editor holds it, its credential.
 */
export function editorContext(
	parameters: INode['parameters'],
	credentials: Record<string, ICredentialDataDecryptedObject>,
	typeVersion = 2,
): LoadOptionsContext {
	const node: INode = {
		id: 'coze',
		name: 'Coze',
		type: COZE_TYPE,
		typeVersion,
		position: [0, 0],
		parameters,
		credentials: { cozeApi: { id: '1', name: 'Coze (test)' } },
	};
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	const additionalData = {
		credentialsHelper: new PlainCredentialsHelper(credentials),
		restApiUrl: 'http://localhost:5678/rest',
		instanceBaseUrl: 'http://localhost:5678/',
		variables: {},
	} as unknown as IWorkflowExecuteAdditionalData;
	return new LoadOptionsContext(workflow, node, additionalData, 'parameters.workflowId');
}
