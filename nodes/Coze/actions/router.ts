import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import {
	connectionFromCredentials,
	CozeError,
	Redactor,
	redactorFor,
	type CozeConnection,
} from '../transport/http';
import { ChatFailure } from '../transport/protocols/chat-collector';
import { RunFailure } from '../transport/protocols/run-collector';
import * as botChat from './bot/chat.operation';
import * as submitToolOutputs from './bot/submit-tool-outputs.operation';
import * as upload from './file/upload.operation';
import * as chat from './workflow/chat.operation';
import { partialChatJson } from './chat/chat-items';
import { failureNotes, type Outcome } from './failure-report';
import { uploadsOf } from './file/uploads-ledger';
import { errorItemJson, toNodeError } from './node-error';
import { outputCount } from './outputs';
import { readRequestOptions } from './request-options';
import { nextStepOfInterrupt, runsAsTool } from './tool-mode';
import type { OperationExecute } from './types';
import { messageJson } from './workflow/items';
import * as resume from './workflow/resume.operation';
import * as run from './workflow/run.operation';

/** Maps: resource and operation are the saved node's text, and "constructor" is no operation. */
const operations = new Map<string, Map<string, OperationExecute>>([
	[
		'workflow',
		new Map([
			['run', run.execute],
			['resume', resume.execute],
			['chat', chat.execute],
		]),
	],
	['file', new Map([['upload', upload.execute]])],
	[
		'bot',
		new Map([
			['chat', botChat.execute],
			['submitToolOutputs', submitToolOutputs.execute],
		]),
	],
]);

/**
 * Runs the chosen operation once per input item, up to Concurrency items at once, and gathers
 * the node's two outputs in input order. A failed item stops the node, or with "Continue on
 * Fail" becomes an error item on output 0 and the other items go on. Stopping means starting no
 * more items: those already running finish, and the error lists them (failure-report.ts says why).
 */
export async function route(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const execute = operations.get(resource)?.get(operation);
	if (!execute) {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operation}" of "${resource}" is not supported`,
			{
				description: 'Pick the resource and operation again in the node.',
			},
		);
	}
	const { policy, concurrency } = readRequestOptions.call(this);
	const cancel = this.getExecutionCancelSignal();
	// An AI Agent's tool answers with text the model can act on: a failure is its error item.
	const asTool = runsAsTool(this);
	const continueOnFail = this.continueOnFail() || asTool;

	let connection: CozeConnection | undefined;
	const outcomes: Array<Outcome | undefined> = new Array(items.length);
	let nextItem = 0;
	let stopped = false;
	const worker = async () => {
		while (!stopped && nextItem < items.length && !cancel?.aborted) {
			const itemIndex = nextItem++;
			try {
				connection ??= connectionFromCredentials(
					await this.getCredentials('cozeApi', itemIndex),
					policy,
				);
				outcomes[itemIndex] = { result: await execute.call(this, itemIndex, connection, cancel) };
			} catch (failure) {
				outcomes[itemIndex] = { failure };
				if (!continueOnFail) stopped = true;
			}
		}
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));

	// Everything this node outputs or throws passes here: the one place secrets are removed from
	// what a server sent back (redaction.ts).
	const redact = connection ? redactorFor(connection) : new Redactor([]);
	const clean = (out: INodeExecutionData): INodeExecutionData => ({
		...out,
		json: redact.deep(out.json),
	});
	const item = (json: IDataObject, itemIndex: number) =>
		clean({ json, pairedItem: { item: itemIndex } });
	const main: INodeExecutionData[] = [];
	const interrupts: INodeExecutionData[] = [];
	for (const [itemIndex, outcome] of outcomes.entries()) {
		// Stopped by the user: n8n discards this node's output and marks the execution
		// "canceled" itself, provided the node returns rather than throws.
		if (!outcome || cancel?.aborted) break;
		if ('result' in outcome) {
			main.push(...outcome.result.main.map(clean));
			interrupts.push(...(outcome.result.interrupts ?? []).map(clean));
			continue;
		}
		const partial =
			outcome.failure instanceof RunFailure || outcome.failure instanceof ChatFailure
				? outcome.failure
				: undefined;
		const failure = partial ? partial.failure : outcome.failure;
		const nodeError = toNodeError(this.getNode(), failure, itemIndex, redact);
		const uploaded = uploadsOf(this, itemIndex);
		if (!continueOnFail) {
			// n8n keeps nothing of a node that throws: the error says what that leaves behind.
			const notes = failureNotes(
				itemIndex,
				partial?.messages.length ?? 0,
				uploaded,
				outcomes,
				redact,
			);
			nodeError.description = [nodeError.description, ...notes].filter(Boolean).join('\n\n');
			throw nodeError;
		}
		// Nothing is dropped: the messages a failed run had sent go out before its error item.
		if (outcome.failure instanceof RunFailure) {
			const workflowId = String(this.getNodeParameter('workflowId', itemIndex, ''));
			// The Error event's debug URL (Coze Studio sends one) shows the run these messages came from.
			const debugUrl = failure instanceof CozeError ? failure.debugUrl : undefined;
			for (const message of outcome.failure.messages)
				main.push(item(messageJson(message, debugUrl, workflowId), itemIndex));
		}
		if (outcome.failure instanceof ChatFailure && outcome.failure.messages.length > 0) {
			const { messages, conversationId, about } = outcome.failure;
			main.push(item(partialChatJson(messages, conversationId, about), itemIndex));
		}
		const errorJson = errorItemJson(nodeError, failure);
		if (uploaded.length > 0) (errorJson.details as IDataObject).uploaded_files = uploaded;
		main.push(item(errorJson, itemIndex));
	}
	// Only the first output reaches an agent: an interrupt goes there, as a question to pass on.
	// Its status is "interrupted" whatever the item said (a bot's tool calls come as Coze's
	// "requires_action"): that is the word the next step goes with.
	if (asTool)
		main.push(
			...interrupts.splice(0).map((out) => ({
				...out,
				json: { ...out.json, status: 'interrupted', next_step: nextStepOfInterrupt(resource) },
			})),
		);
	return [main, interrupts].slice(0, outputCount(resource));
}
