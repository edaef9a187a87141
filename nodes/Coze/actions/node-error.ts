import { NodeApiError, NodeOperationError, type INode, type JsonObject } from 'n8n-workflow';

import { CozeError } from '../transport/coze-error';

/**
 * The one place where the transport's CozeError becomes an n8n error: NodeApiError when Coze
 * answered (with Coze's code, message and log id), NodeOperationError for the rest. Either way
 * it carries `itemIndex`, so n8n shows which input item failed.
 */
export function toNodeError(node: INode, error: unknown, itemIndex: number): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		error.context.itemIndex ??= itemIndex;
		return error;
	}
	if (error instanceof CozeError) {
		if (error.kind === 'api') {
			const response: JsonObject = { message: error.message };
			if (error.cozeCode !== undefined) response.code = error.cozeCode;
			if (error.logId) response.logid = error.logId;
			if (error.debugUrl) response.debug_url = error.debugUrl;
			return new NodeApiError(node, response, {
				message: error.message,
				description: error.description,
				httpCode: error.httpStatus === undefined ? undefined : String(error.httpStatus),
				itemIndex,
			});
		}
		return new NodeOperationError(node, error.message, { description: error.description, itemIndex });
	}
	return new NodeOperationError(node, error instanceof Error ? error : String(error), { itemIndex });
}

/**
 * The json of the item "Continue on Fail" puts in place of a failed one. Only `error` and
 * `details`: n8n's "Continue (using error output)" routes an item to the error output by
 * exactly those keys, and keeps Coze's details (a set `item.error` would make n8n overwrite
 * the json with the message alone).
 */
export function errorItemJson(error: NodeApiError | NodeOperationError, original: unknown): JsonObject {
	const details: JsonObject = {};
	if (error.description) details.description = error.description;
	if (error instanceof NodeApiError && error.httpCode) details.http_status = error.httpCode;
	if (original instanceof CozeError) {
		if (original.cozeCode !== undefined) details.code = original.cozeCode;
		if (original.logId) details.log_id = original.logId;
		if (original.debugUrl) details.debug_url = original.debugUrl;
	}
	return { error: error.message, details };
}
