import type { ILoadOptionsFunctions, ResourceMapperFields } from 'n8n-workflow';

import { fieldOfInput } from '../shared/input-fields';
import { isLocator } from '../shared/workflow-locator';
import { CozeError, redactorFor, type CozeConnection } from '../transport/http';
import { readWorkflowInputs } from '../transport/protocols/workflow-catalog';
import { WORKFLOW_ID, workflowIdFromUrl } from '../transport/protocols/workflow-url';
import { editorConnection } from './catalog-connection';
import { inputsAdvice } from './editor-advice';

/** Inputs a chatflow's start node always has that the Chat operation fills itself: the message. */
const CHAT_OWN_INPUTS = new Set(['USER_INPUT']);

/** Run: one field per start-node input of the chosen workflow. */
export async function getWorkflowInputs(
	this: ILoadOptionsFunctions,
): Promise<ResourceMapperFields> {
	return await inputFields.call(this, new Set());
}

/** Chat: the chatflow's inputs but the message (USER_INPUT), which the Message field gives. */
export async function getChatflowInputs(
	this: ILoadOptionsFunctions,
): Promise<ResourceMapperFields> {
	return await inputFields.call(this, CHAT_OWN_INPUTS);
}

async function inputFields(
	this: ILoadOptionsFunctions,
	skip: Set<string>,
): Promise<ResourceMapperFields> {
	const workflowId = chosenWorkflowId.call(this);
	if (!workflowId) {
		return {
			fields: [],
			emptyFieldsNotice:
				'Choose a workflow first, from the list, by URL or by ID. Its inputs are read once it is a fixed workflow, not an expression.',
		};
	}
	// n8n's mapper shows nothing of an error this method throws (its store answers "no fields" and
	// the notice shown before stays), so every failure is told in the notice (editor-advice.ts).
	let connection: CozeConnection | undefined;
	let inputs;
	try {
		({ connection } = await editorConnection.call(this));
		({ inputs } = await readWorkflowInputs(connection, workflowId));
	} catch (error) {
		// Coze Studio answers this path for chatflows only, with their role and no inputs.
		if (!isStudioNotAChatflow(error))
			return { fields: [], emptyFieldsNotice: inputsAdvice(error, workflowId, connection) };
		inputs = undefined;
	}
	if (!inputs) {
		return {
			fields: [],
			emptyFieldsNotice:
				"This Coze server does not describe the workflow's inputs (Coze Studio's API does not): choose Inputs → JSON and write them there.",
		};
	}
	const shown = Object.entries(inputs).filter(([name]) => !skip.has(name));
	// The fields are saved with the workflow (the mapper's schema): the credential's secrets leave
	// them. A name cannot be redacted (the run sends the value under it), so such a name is refused.
	const redact = redactorFor(connection!);
	if (shown.some(([name]) => redact.finds(name))) {
		return {
			fields: [],
			emptyFieldsNotice:
				"An input's name holds a secret of the credential, so the inputs are not shown: check that the credential's Base URL points at the Coze API, or choose Inputs → JSON.",
		};
	}
	const fields = shown.map(([name, parameter]) => redact.deep(fieldOfInput(name, parameter ?? {})));
	return fields.length
		? { fields }
		: { fields, emptyFieldsNotice: "This workflow's start node takes no inputs." };
}

/** The workflow the Workflow field names, when it is a fixed one (an expression has no value in the editor). */
function chosenWorkflowId(this: ILoadOptionsFunctions): string | undefined {
	let locator: unknown;
	try {
		locator = this.getNodeParameter('workflowId', undefined);
	} catch {
		return undefined;
	}
	if (!isLocator(locator)) return undefined;
	const { mode, value } = locator;
	const text =
		typeof value === 'string'
			? value.trim()
			: typeof value === 'number' && Number.isSafeInteger(value)
				? String(value)
				: '';
	if (!text || text.startsWith('=')) return undefined;
	if (mode === 'url') return workflowIdFromUrl(text);
	return WORKFLOW_ID.test(text) ? text : undefined;
}

/** Coze Studio's answer for a workflow that is not a chatflow: 777777780 "ChatFlowRole operation failure" (coze-studio errno/workflow.go). */
function isStudioNotAChatflow(error: unknown): boolean {
	return error instanceof CozeError && error.cozeCode === 777777780;
}
