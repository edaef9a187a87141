import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { parseJsonKeepingLongIntegers, policyOf, type CozeConnection } from '../../transport/http';
import { runsAsTool } from '../tool-mode';
import type { OperationResult } from '../types';
import type {
	CollectedInterrupt,
	CollectedMessage,
	CollectedRun,
	CollectOptions,
} from '../../transport/protocols/run-collector';

/** How the Messages output presents a run's messages. */
export type OutputMode = 'eachMessage' | 'lastMessage' | 'allMessages';

/**
 * How a run was made (Run's Options → Run Mode), as its interrupt items say it in `run_mode`:
 * Coze resumes a streamed run through /v1/workflow/stream_resume and a synchronous or
 * asynchronous one through /v1/workflows/resume, so Resume needs to know.
 */
export type RunMode = 'stream' | 'sync' | 'async';
export const RUN_MODES: readonly RunMode[] = ['stream', 'sync', 'async'];

/** One item per message; an AI Agent's tool gives the final message only, which is what a model needs. */
export function defaultOutputMode(context: IExecuteFunctions): OutputMode {
	return runsAsTool(context) ? 'lastMessage' : 'eachMessage';
}

/** What the collector keeps of a stream: Final Message Only needs just the last message, so it holds no more. */
export function collectOptions(connection: CozeConnection, mode: OutputMode): CollectOptions {
	return {
		maxOutputBytes: policyOf(connection).maxOutputBytes,
		keep: mode === 'lastMessage' ? 'last' : 'all',
	};
}

interface RunContext {
	workflowId: string;
	itemIndex: number;
	runMode: RunMode;
}

/** The json of one message item; `parsed` holds `content` read as JSON when it is an object or array. */
export function messageJson(
	message: CollectedMessage,
	debugUrl: string | undefined,
	workflowId: string,
): IDataObject {
	const { content, ...fields } = message;
	const json: IDataObject = { content };
	const parsed = parseJsonContent(content);
	if (parsed !== undefined) json.parsed = parsed;
	// Every field Coze sent with the message, named as Coze names them (undefined ones are absent).
	for (const [key, value] of Object.entries(fields))
		if (value !== undefined) json[key] = value as IDataObject[string];
	json.debug_url = debugUrl;
	json.workflow_id = workflowId;
	return json;
}

/** An End node's `{"output": …}` and other JSON answers, read as data; plain text stays as is. */
function parseJsonContent(content: string): IDataObject | IDataObject[] | undefined {
	const start = content.trimStart()[0];
	if (start !== '{' && start !== '[') return undefined;
	try {
		return parseJsonKeepingLongIntegers(content) as IDataObject | IDataObject[];
	} catch {
		return undefined;
	}
}

function interruptJson(
	interrupt: CollectedInterrupt,
	messages: CollectedMessage[],
	context: RunContext,
	executeId: string | undefined,
): IDataObject {
	const json: IDataObject = {
		workflow_id: context.workflowId,
		event_id: interrupt.event_id,
		interrupt_type: interrupt.interrupt_type,
		question: interrupt.question,
		...(interrupt.options ? { options: interrupt.options } : {}),
		data: interrupt.data,
		node_title: interrupt.node_title,
		debug_url: interrupt.debug_url,
		run_mode: context.runMode,
		messages: messages.map((message) =>
			messageJson(message, interrupt.debug_url, context.workflowId),
		),
	};
	if (interrupt.required_parameters !== undefined)
		json.required_parameters = interrupt.required_parameters as IDataObject;
	if (executeId) json.execute_id = executeId;
	return json;
}

/** Turns a collected run into the node's two outputs, every item paired with its input item. */
export function runItems(
	run: CollectedRun,
	mode: OutputMode,
	context: RunContext,
): OperationResult {
	const pairedItem = { item: context.itemIndex };
	const item = (json: IDataObject): INodeExecutionData => ({ json, pairedItem });
	if (run.interrupt) {
		return {
			main: [],
			interrupts: [item(interruptJson(run.interrupt, run.messages, context, run.executeId))],
		};
	}
	const messages = run.messages.map((message) => {
		const json = messageJson(message, run.debugUrl, context.workflowId);
		if (run.executeId) json.execute_id = run.executeId;
		return json;
	});
	if (mode === 'lastMessage')
		return { main: messages.length ? [item(messages[messages.length - 1])] : [] };
	if (mode === 'allMessages') {
		const all: IDataObject = { messages, debug_url: run.debugUrl, workflow_id: context.workflowId };
		if (run.executeId) all.execute_id = run.executeId;
		return { main: [item(all)] };
	}
	return { main: messages.map(item) };
}
