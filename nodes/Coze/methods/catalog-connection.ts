import { createHash } from 'node:crypto';

import { NodeOperationError, type ILoadOptionsFunctions } from 'n8n-workflow';

import { connectionFromCredentials, redactorFor, type CozeConnection } from '../transport/http/connection';
import { CozeError } from '../transport/http/coze-error';
import { isStudioUnknownPath } from '../transport/http/envelope';
import { editorError } from './editor-error';

/** The editor waits on these lists: one retry, not the run's three. */
const EDITOR_POLICY = { maxRetries: 1 };

/** The Coze connection of the node's credential, and a key that tells credentials apart without holding any secret. */
export async function editorConnection(this: ILoadOptionsFunctions, what: 'list' | 'inputs'): Promise<{ connection: CozeConnection; cacheKey: string }> {
	const credentials = (await this.getCredentials('cozeApi')) as Record<string, unknown>;
	try {
		const connection = connectionFromCredentials(credentials, EDITOR_POLICY);
		const cacheKey = createHash('sha256').update(JSON.stringify(Object.entries(credentials).sort())).digest('hex');
		return { connection, cacheKey };
	} catch (error) {
		throw catalogError.call(this, error, what);
	}
}

/**
 * What the editor shows when Coze will not give a list or a workflow's inputs: which permission
 * the token lacks, or that the server has no such API, and what still works. The advice is in
 * the message itself: n8n 2.40.7's editor shows a list's or mapper's error message but drops the
 * description of any error that is not a NodeApiError (the browser test shows the message).
 * The token never appears (the message is redacted, as the run's errors are).
 */
export function catalogError(this: ILoadOptionsFunctions, error: unknown, what: 'list' | 'inputs', connection?: CozeConnection): NodeOperationError {
	const redact = (text: string) => (connection ? redactorFor(connection).text(text) : text);
	const said = redact(error instanceof Error ? error.message : String(error));
	const instead = what === 'list' ? 'choose By URL or By ID' : 'choose Inputs → JSON';
	const fail = (message: string, description: string) => editorError(this.getNode(), message, description);
	// Coze Studio answers a path it does not serve with its session 401, or where no middleware
	// stops it first with its router's 404 {"code":404,"msg":"not found"} (backend/api/router/register.go).
	if (isStudioUnknownPath(error) || (what === 'list' && error instanceof CozeError && error.kind === 'api' && error.httpStatus === 404)) {
		return fail(
			what === 'list' ? `This Coze server has no API to list workspaces and workflows: ${instead}` : `This Coze server does not describe workflows' inputs: ${instead}`,
			`Coze Studio's API does not offer it (only coze.cn and coze.com do). Running the workflow does not need it. Coze said: ${said}`,
		);
	}
	if (error instanceof CozeError && error.kind === 'api' && (error.httpStatus === 403 || error.cozeCode === 4101)) {
		const [may, permission] = what === 'list' ? ['list workspaces and workflows', 'the listWorkspace and listWorkflow permissions'] : ["read this workflow's inputs", 'the getMetaData permission'];
		return fail(`The token may not ${may}: give it ${permission} in Coze, or ${instead}`, `Coze said: ${said}. Add the permission to the personal access token (or the OAuth app) under Coze → API → authorisation.`);
	}
	const detail = error instanceof CozeError && error.description ? redact(error.description) : '';
	return fail(`Coze did not give the ${what === 'list' ? 'list' : "workflow's inputs"} (${said}): ${instead}`, detail);
}
