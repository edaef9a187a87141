import { requestCozeJson } from '../http/client';
import type { CozeConnection } from '../http/connection';
import type { CozeEnvelope } from '../http/envelope';
import { isJsonObject } from '../http/lossless-json';

/**
 * What a token may see of its workflows, for the editor's pickers: its workspaces, a workspace's
 * workflows or chatflows, and a workflow's start-node inputs. Shapes as docs.coze.cn gives them
 * (coze-sdk-gen docs/api-markdown list_workspace.md, get_workflow_list.md, get_workflow_info.md;
 * coze-openapi.yaml OpenAPIGetWorkflowList, WorkflowInfo1, OpenAPIParameter). Coze Studio serves
 * none of the lists and no input schema (coze-studio backend/api/router/coze/api.go).
 */

export interface CozeWorkspace {
	id: string;
	name: string;
	/** "personal" or "team". */
	workspace_type?: string;
}

export interface CozeWorkflowSummary {
	workflow_id: string;
	workflow_name: string;
	description?: string;
	/** "0" (or absent) when the workflow is not part of an app. */
	app_id?: string;
}

/** A start-node input as Coze describes it (OpenAPIParameter). */
export interface CozeInputParameter {
	/** string, integer, number, boolean, time, object, array, file, or a file's kind (image, doc, audio, …). */
	type?: string;
	required?: boolean;
	description?: string;
	/** Always text, whatever the type. */
	default_value?: string;
	/** An array's element. */
	items?: CozeInputParameter;
	/** An object's fields. */
	properties?: Record<string, CozeInputParameter>;
}

export type WorkflowMode = 'workflow' | 'chatflow';

/** Coze's largest page of workspaces (list_workspace.md: at most 50) and of workflows (get_workflow_list.md: 1 to 30). */
const WORKSPACE_PAGE_SIZE = 50;
export const WORKFLOW_PAGE_SIZE = 30;
/** A token in more workspaces than this is unusual; the list stops there rather than paging on. */
const MAX_WORKSPACE_PAGES = 10;

/** Every workspace the token has joined, in Coze's order. */
export async function listWorkspaces(
	connection: CozeConnection,
	signal?: AbortSignal,
): Promise<CozeWorkspace[]> {
	const workspaces: CozeWorkspace[] = [];
	for (let page = 1; page <= MAX_WORKSPACE_PAGES; page++) {
		const answer = await requestCozeJson<
			CozeEnvelope & { data?: { workspaces?: unknown[]; total_count?: number | string } }
		>(connection, {
			method: 'GET',
			kind: 'read',
			path: '/v1/workspaces',
			query: { page_num: String(page), page_size: String(WORKSPACE_PAGE_SIZE) },
			signal,
		});
		const found = (answer.data?.workspaces ?? [])
			.map(workspaceOf)
			.filter((entry): entry is CozeWorkspace => entry !== undefined);
		workspaces.push(...found);
		// There is no has_more: a page that is not full, or the total reached, is the end (cozepy model.py).
		const total = Number(answer.data?.total_count);
		if (
			(answer.data?.workspaces ?? []).length < WORKSPACE_PAGE_SIZE ||
			(Number.isFinite(total) && workspaces.length >= total)
		)
			break;
	}
	return workspaces;
}

/** One page (from 1) of a workspace's published workflows or chatflows. */
export async function listWorkflowsPage(
	connection: CozeConnection,
	query: { workspaceId: string; mode: WorkflowMode; page: number },
	signal?: AbortSignal,
): Promise<{ workflows: CozeWorkflowSummary[]; hasMore: boolean }> {
	const answer = await requestCozeJson<
		CozeEnvelope & { data?: { items?: unknown[]; has_more?: boolean } }
	>(connection, {
		method: 'GET',
		kind: 'read',
		path: '/v1/workflows',
		query: {
			workspace_id: query.workspaceId,
			workflow_mode: query.mode,
			// Only a published workflow can be run through the API.
			publish_status: 'published_online',
			page_num: String(query.page),
			page_size: String(WORKFLOW_PAGE_SIZE),
		},
		signal,
	});
	const workflows = (answer.data?.items ?? [])
		.map(workflowOf)
		.filter((entry): entry is CozeWorkflowSummary => entry !== undefined);
	return { workflows, hasMore: answer.data?.has_more === true };
}

/**
 * A workflow's name and start-node inputs. `inputs` is undefined when the server says nothing of
 * them (Coze Studio answers this path with a chatflow's role only, and ignores include_input_output).
 */
export async function readWorkflowInputs(
	connection: CozeConnection,
	workflowId: string,
	signal?: AbortSignal,
): Promise<{ name?: string; inputs?: Record<string, CozeInputParameter> }> {
	const answer = await requestCozeJson<
		CozeEnvelope & {
			data?: { workflow_detail?: { workflow_name?: unknown }; input?: { parameters?: unknown } };
		}
	>(connection, {
		method: 'GET',
		kind: 'read',
		path: `/v1/workflows/${encodeURIComponent(workflowId)}`,
		query: { include_input_output: 'true' },
		signal,
	});
	const name = answer.data?.workflow_detail?.workflow_name;
	const parameters = answer.data?.input?.parameters;
	const inputs = isJsonObject(parameters)
		? (parameters as Record<string, CozeInputParameter>)
		: undefined;
	return { name: typeof name === 'string' ? name : undefined, inputs };
}

/**
 * The Coze app a workflow belongs to, from its detail's workflow_detail.app_id ("0" when none:
 * get_workflow_info.md OpenAPIWorkflowBasic); undefined when it has none or the answer does not
 * say (Coze Studio's detail is a chatflow's role only).
 */
export async function readWorkflowApp(
	connection: CozeConnection,
	workflowId: string,
	signal?: AbortSignal,
): Promise<string | undefined> {
	const answer = await requestCozeJson<
		CozeEnvelope & { data?: { workflow_detail?: { app_id?: unknown } } }
	>(connection, {
		method: 'GET',
		kind: 'read',
		path: `/v1/workflows/${encodeURIComponent(workflowId)}`,
		signal,
	});
	const appId = jsonId(answer.data?.workflow_detail?.app_id);
	return appId && appId !== '0' ? appId : undefined;
}

function workspaceOf(entry: unknown): CozeWorkspace | undefined {
	const record = entry as Record<string, unknown> | null;
	const id = jsonId(record?.id);
	if (!id) return undefined;
	return {
		id,
		name: typeof record?.name === 'string' && record.name ? record.name : id,
		workspace_type: typeof record?.workspace_type === 'string' ? record.workspace_type : undefined,
	};
}

function workflowOf(entry: unknown): CozeWorkflowSummary | undefined {
	const record = entry as Record<string, unknown> | null;
	const id = jsonId(record?.workflow_id);
	if (!id) return undefined;
	return {
		workflow_id: id,
		workflow_name:
			typeof record?.workflow_name === 'string' && record.workflow_name ? record.workflow_name : id,
		description: typeof record?.description === 'string' ? record.description : undefined,
		app_id: jsonId(record?.app_id),
	};
}

/** Ids are JSON strings of digits (the lossless reader keeps any sent as long numbers as strings too). */
export function jsonId(value: unknown): string | undefined {
	if (typeof value === 'string' && /^\d{1,30}$/.test(value)) return value;
	if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
	return undefined;
}
