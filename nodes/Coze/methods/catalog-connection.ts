import { createHash } from 'node:crypto';

import { NodeOperationError, type ILoadOptionsFunctions } from 'n8n-workflow';

import { connectionFromCredentials, redactorFor, type CozeConnection } from '../transport/http/connection';
import { CozeError } from '../transport/http/coze-error';
import { isStudioUnknownPath } from '../transport/http/envelope';

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
 * the token lacks, or that the server has no such API, and that By URL and By ID still work.
 * The token never appears (the message is redacted, as the run's errors are).
 */
export function catalogError(this: ILoadOptionsFunctions, error: unknown, what: 'list' | 'inputs', connection?: CozeConnection): NodeOperationError {
	const redact = (text: string) => (connection ? redactorFor(connection).text(text) : text);
	const message = redact(error instanceof Error ? error.message : String(error));
	const fallback = what === 'list' ? 'Choose By URL or By ID instead: running the workflow does not need the list.' : 'Choose Inputs → JSON and write the inputs there.';
	// Coze Studio answers a path it does not serve with its session 401, or where no middleware
	// stops it first with its router's 404 {"code":404,"msg":"not found"} (backend/api/router/register.go).
	if (isStudioUnknownPath(error) || (what === 'list' && error instanceof CozeError && error.kind === 'api' && error.httpStatus === 404)) {
		return new NodeOperationError(this.getNode(), 'This Coze server has no API to list workspaces and workflows', {
			description: `Coze Studio's API does not offer the lists (only coze.cn and coze.com do). ${fallback}`,
		});
	}
	if (error instanceof CozeError && error.kind === 'api' && (error.httpStatus === 403 || error.cozeCode === 4101)) {
		const permission = what === 'list' ? 'listWorkspace and listWorkflow' : 'getMetaData';
		return new NodeOperationError(this.getNode(), `The token may not ${what === 'list' ? 'list workspaces and workflows' : "read this workflow's inputs"}: ${message}`, {
			description: `Give the personal access token (or the OAuth app) the ${permission} permission in Coze → API → authorisation. ${fallback}`,
		});
	}
	const description = error instanceof CozeError && error.description ? `${redact(error.description)} ` : '';
	return new NodeOperationError(this.getNode(), `Coze did not give the ${what === 'list' ? 'list' : "workflow's inputs"}: ${message}`, { description: `${description}${fallback}` });
}
