import { NodeApiError, NodeOperationError, type INode, type JsonObject } from 'n8n-workflow';

import { CozeError, Redactor } from '../transport/http';

/**
 * The one place where the transport's CozeError becomes an n8n error: NodeApiError when Coze
 * answered (with Coze's code, message and log id), NodeOperationError for the rest. Either way
 * it carries `itemIndex`, so n8n shows which input item failed.
 */
export function toNodeError(
	node: INode,
	error: unknown,
	itemIndex: number,
	redact = new Redactor([]),
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		error.context.itemIndex ??= itemIndex;
		return redacted(error, redact);
	}
	if (error instanceof CozeError) {
		// Every text of the error may hold what a server sent: the secrets leave it here, before
		// n8n copies message and description into the execution's data.
		const message = redact.text(error.message);
		const description =
			error.description === undefined ? undefined : redact.text(error.description);
		if (error.kind === 'api') {
			const response: JsonObject = { message };
			if (error.cozeCode !== undefined) response.code = error.cozeCode;
			if (error.logId) response.logid = redact.text(error.logId);
			if (error.debugUrl) response.debug_url = redact.text(error.debugUrl);
			return new NodeApiError(node, response, {
				message,
				description,
				httpCode: error.httpStatus === undefined ? undefined : String(error.httpStatus),
				itemIndex,
			});
		}
		return new NodeOperationError(node, message, { description, itemIndex });
	}
	return new NodeOperationError(
		node,
		redact.text(error instanceof Error ? error.message : String(error)),
		{ itemIndex },
	);
}

/**
 * The node's own errors quote what the user gave (an ID, an address, a value, which an expression
 * may have filled with a secret): the secrets leave them too, from every text n8n keeps of them.
 */
function redacted<E extends NodeApiError | NodeOperationError>(error: E, redact: Redactor): E {
	error.message = redact.text(error.message);
	if (typeof error.description === 'string') error.description = redact.text(error.description);
	error.messages = error.messages.map((message) => redact.text(message));
	if (error.stack) error.stack = redact.text(error.stack);
	return error;
}

/**
 * The json of the item "Continue on Fail" puts in place of a failed one. Only `error` and
 * `details`: n8n's "Continue (using error output)" routes an item to the error output by
 * exactly those keys, and keeps Coze's details (a set `item.error` would make n8n overwrite
 * the json with the message alone).
 */
export function errorItemJson(
	error: NodeApiError | NodeOperationError,
	original: unknown,
): JsonObject {
	const details: JsonObject = {};
	if (error.description) details.description = error.description;
	// The HTTP status Coze answered with; NodeApiError's httpCode falls back to Coze's own code.
	if (original instanceof CozeError) {
		if (original.httpStatus !== undefined) details.http_status = String(original.httpStatus);
		if (original.cozeCode !== undefined) details.code = original.cozeCode;
		if (original.logId) details.log_id = original.logId;
		if (original.debugUrl) details.debug_url = original.debugUrl;
	}
	return { error: error.message, details };
}
