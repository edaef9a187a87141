import { createHash } from 'node:crypto';

import type { ILoadOptionsFunctions, NodeOperationError } from 'n8n-workflow';

import {
	connectionFromCredentials,
	CozeError,
	redactorFor,
	type CozeConnection,
} from '../transport/http';
import { listAdvice, type ListSubject } from './editor-advice';
import { editorError } from './editor-error';

/** The editor waits on these lists: one retry, not the run's three. */
const EDITOR_POLICY = { maxRetries: 1 };

/**
 * The Coze connection of the node's credential, and a key that tells credentials apart without
 * holding any secret. A credential that cannot make one throws its CozeError ('config'): the
 * list and the mapper each say it their own way.
 */
export async function editorConnection(
	this: ILoadOptionsFunctions,
): Promise<{ connection: CozeConnection; cacheKey: string }> {
	const credentials = (await this.getCredentials('cozeApi')) as Record<string, unknown>;
	const connection = connectionFromCredentials(credentials, EDITOR_POLICY);
	const cacheKey = createHash('sha256')
		.update(JSON.stringify(Object.entries(credentials).sort()))
		.digest('hex');
	return { connection, cacheKey };
}

/**
 * What a list (Workflow, Bot) shows when Coze gives none: the advice for the kind of failure
 * (editor-advice.ts). The advice is in the message itself: n8n 2.40.7's editor shows a list's
 * error message but drops the description of any error that is not a NodeApiError (the browser
 * test shows the message). The token never appears (the message is redacted, as the run's
 * errors are). One line in n8n's log (editor-error.ts).
 */
export function catalogError(
	this: ILoadOptionsFunctions,
	error: unknown,
	subject: ListSubject,
	connection?: CozeConnection,
): NodeOperationError {
	// The transport's own hint stays as the description, for a later editor that shows it.
	const hint = error instanceof CozeError && error.description ? error.description : undefined;
	const description = hint && connection ? redactorFor(connection).text(hint) : hint;
	return editorError(this.getNode(), listAdvice(error, subject, connection), description);
}
