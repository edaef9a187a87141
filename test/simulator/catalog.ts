// The Coze "catalog": the workspaces a token can see, the workflows in each, and one workflow's
// basic information with its Start node's inputs. Every shape names its evidence; a field or
// answer sent without evidence says so.
//
// Evidence read:
// - coze-dev/coze-sdk-gen@5db2f95b docs/api-markdown/list_workspace.md, get_workflow_list.md,
//   get_workflow_info.md (copies of docs.coze.cn) and coze-openapi.yaml (OpenAPIGetWorkflowList
//   L12071, WorkflowInfo1 L12141, OpenAPIParameter L3470): the cloud's requests, answers and
//   permission names (listWorkspace, listWorkflow, getMetaData).
// - coze-dev/coze-studio@4f786d6a backend/api/router/coze/api.go L531-534: Studio's /v1 workflow
//   routes are POST /v1/workflows/chat and GET /v1/workflows/:workflow_id only (no /v1/workspaces,
//   no GET /v1/workflows); api/middleware/openapi_auth.go lets a PAT into `^/v1/workflows/[0-9]+$`;
//   application/workflow/workflow.go L4295-4297 and types/errno/workflow.go: a workflow that is
//   not a chatflow is refused with HTTP 200 {"code":777777780,"msg":"ChatFlowRole operation
//   failure: {cause}"}; otherwise the answer is WorkflowInfo{Role *ChatFlowRole `json:"role"`},
//   whatever include_input_output says.
// - coze-py issue #227: the cloud's 4101 text for a token without the permission.
// - Bots (智能体): coze-dev/coze-sdk-gen@5db2f95b docs/api-markdown/bots_list_draft_published.md
//   and docs/api-swagger/bots_list_draft_published.yaml (GET /v1/bots, permission listBot,
//   OpenGetBotData {items: [BotSimpleInfo], total}); coze-dev/coze-py@6b0f4cd cozepy/bots
//   (_list_v2, SimpleBot: the fields it requires) and cozepy/model.py NumberPaged (has_more is
//   total > page_num * page_size). Coze Studio serves no bot list to a token: its router has
//   GET /v1/bots/:bot_id only (backend/api/router/coze/api.go L496-497), and
//   api/middleware/openapi_auth.go lets a PAT into ^/v1/bots/[0-9]+$ alone, so GET /v1/bots is a
//   web path (request_inspector.go) that its session middleware refuses (session.go): server.ts
//   sendUnknownPath.
import type { ServerResponse } from 'node:http';

import { nextLogId, sendJson, type Flavour } from './flavours';

/** The permissions a token needs for the catalog endpoints (the docs' 权限 rows). */
export type CatalogPermission = 'listWorkspace' | 'listWorkflow' | 'getMetaData' | 'listBot';

/**
 * One input (or output) of a workflow as the cloud describes it (get_workflow_info.md
 * "Parameters", coze-openapi.yaml OpenAPIParameter). `type` is string, integer, number, boolean,
 * time, object, array, or a file type named directly: file, image, svg, audio, video, voice,
 * doc, ppt, excel, txt, code, zip. `items` describes an array's elements, `properties` an
 * object's fields; `default_value` is always a string.
 */
export interface CatalogParameter {
	type: string;
	required?: boolean;
	description?: string;
	default_value?: string;
	items?: CatalogParameter;
	properties?: Record<string, CatalogParameter>;
}

export interface CatalogWorkspace {
	id: string;
	name: string;
	workspace_type?: 'personal' | 'team';
	role_type?: 'owner' | 'admin' | 'member';
}

export interface CatalogWorkflow {
	workflow_id: string;
	workflow_name: string;
	description?: string;
	/** A chatflow or a plain workflow (default). */
	mode?: 'workflow' | 'chatflow';
	/** Published online (default) or only a draft. */
	published?: boolean;
	/** The Coze app the workflow belongs to; "0" (the default) for none (get_workflow_list.md). */
	app_id?: string;
	/** The Start node's inputs, by name. */
	inputs?: Record<string, CatalogParameter>;
	/** The End node's variables, by name; by default {output: string} (what the sandbox's End nodes send). */
	outputs?: Record<string, CatalogParameter>;
}

interface StoredWorkflow extends CatalogWorkflow {
	workspaceId: string;
	createdAt: number;
	updatedAt: number;
}

/** A bot (智能体) of a workspace. */
export interface CatalogBot {
	bot_id: string;
	name: string;
	description?: string;
	/** Published to the API channel (default), or a draft never published. */
	published?: boolean;
}

interface StoredBot extends CatalogBot {
	workspaceId: string;
	updatedAt: number;
}

/** How the workflow and bot lists' paging can be broken (SimCatalog.breakPaging). */
export type PagingFault = 'repeatsFirstPage' | 'neverEnds';

/** The simulated user (the id and name GET /v1/users/me answers with in server.ts). */
const USER = { id: '7404830425073352713', name: 'simulated_user' };

/** Icon addresses: the docs' examples are placeholders too (no evidence of a real one's form). */
const WORKSPACE_ICON = 'https://example.com/icon/workspace.png';
const WORKFLOW_ICON = 'https://example.com/icon/workflow.png';
const BOT_ICON = 'https://example.com/icon/bot.png';

/** The cloud's text for a token without the permission (coze-py issue #227). */
const PERMISSION_MSG =
	'Your token does not have permission to access resource. Please verify whether the resource ID or token is correct.';

/** A workflow's detail: exactly /v1/workflows/{digits} (its run histories lie below it). */
const DETAIL_PATH = /^\/v1\/workflows\/(\d+)$/;

/** What a test put in the simulated Coze account, and the permissions its token lacks. */
export class SimCatalog {
	private readonly workspaces: CatalogWorkspace[] = [];
	private readonly workflows: StoredWorkflow[] = [];
	private readonly bots: StoredBot[] = [];
	private readonly denied = new Set<CatalogPermission>();
	private pagingFault?: PagingFault;
	private publishStatusIgnored = false;

	addWorkspace(workspace: CatalogWorkspace): void {
		this.workspaces.push({ ...workspace });
	}

	/** Adds a workflow to a workspace added before; lists keep the order of adding. */
	addWorkflow(workspaceId: string, workflow: CatalogWorkflow): void {
		if (!this.workspaces.some((workspace) => workspace.id === workspaceId))
			throw new Error(`no workspace ${workspaceId} in the simulator's catalog`);
		const createdAt = Math.floor(Date.now() / 1000) - 86400 + this.workflows.length;
		this.workflows.push({ ...workflow, workspaceId, createdAt, updatedAt: createdAt + 41 });
	}

	/** Adds a bot to a workspace added before; the list keeps the order of adding. */
	addBot(workspaceId: string, bot: CatalogBot): void {
		if (!this.workspaces.some((workspace) => workspace.id === workspaceId))
			throw new Error(`no workspace ${workspaceId} in the simulator's catalog`);
		const updatedAt = Math.floor(Date.now() / 1000) - 3600 + this.bots.length;
		this.bots.push({ ...bot, workspaceId, updatedAt });
	}

	/**
	 * The workflow and bot lists' paging breaks from now on: they always say there is more
	 * (has_more true; a bot total past the page), and each page is page 1 again
	 * ('repeatsFirstPage', a server or proxy that drops page_num) or new entries without end
	 * ('neverEnds'). No evidence of a real server doing either: a fault, as hostile input is.
	 */
	breakPaging(fault: PagingFault): void {
		this.pagingFault = fault;
	}

	/**
	 * The bot list answers every bot of the workspace from now on, published or not, whatever
	 * publish_status asked (each still says is_published). No evidence of a server doing so: a fault.
	 */
	ignorePublishStatus(): void {
		this.publishStatusIgnored = true;
	}

	/** The token lacks this permission from now on: its endpoint answers 4101 (the cloud). */
	deny(permission: CatalogPermission): void {
		this.denied.add(permission);
	}

	/** The app a workflow of the catalog belongs to; undefined for none ("0") or a workflow not in it. */
	appOf(workflowId: string): string | undefined {
		const app = this.workflows.find((workflow) => workflow.workflow_id === workflowId)?.app_id;
		return app && app !== '0' ? app : undefined;
	}

	/**
	 * Whether a GET of `path` is a catalog endpoint `flavour` serves (Studio: only a workflow's
	 * detail; its answer to the lists is its session 401, server.ts sendUnknownPath).
	 */
	serves(path: string, flavour: Flavour): boolean {
		if (flavour === 'studio') return DETAIL_PATH.test(path);
		return (
			path === '/v1/workspaces' ||
			path === '/v1/workflows' ||
			path === '/v1/bots' ||
			DETAIL_PATH.test(path)
		);
	}

	/** Answers a GET that `serves` accepted. */
	answer(res: ServerResponse, flavour: Flavour, url: URL): void {
		const detail = DETAIL_PATH.exec(url.pathname);
		if (detail)
			return flavour === 'studio'
				? this.studioDetail(res, detail[1])
				: this.detail(res, detail[1], url.searchParams);
		if (url.pathname === '/v1/workspaces') return this.listWorkspaces(res, url.searchParams);
		if (url.pathname === '/v1/bots') return this.listBots(res, url.searchParams);
		this.listWorkflows(res, url.searchParams);
	}

	/**
	 * The cloud's `GET /v1/workspaces?page_num=&page_size=` (list_workspace.md): page_num defaults
	 * to 1, page_size to 20, at most 50. data {workspaces: [OpenSpace], total_count}; no has_more.
	 */
	private listWorkspaces(res: ServerResponse, query: URLSearchParams): void {
		if (this.denied.has('listWorkspace')) return this.refuse(res, 403, 4101, PERMISSION_MSG);
		const pageNum = integer(query.get('page_num'), 1);
		const pageSize = integer(query.get('page_size'), 20);
		// What the cloud answers to a page_size above 50 is in no doc or fixture (no evidence).
		if (pageSize === undefined || pageSize < 1 || pageSize > 50)
			return this.refuse(res, 400, 4000, 'page_size must be between 1 and 50');
		if (pageNum === undefined || pageNum < 1)
			return this.refuse(res, 400, 4000, 'page_num must be at least 1');
		// OpenSpace (list_workspace.md's table): ids are JSON strings; enterprise_id is "" for a
		// personal account; joined_status has the one value "joined". The doc's example leaves
		// description, owner_uid, admin_uids and joined_status out; the simulator sends the table's
		// every field.
		const workspaces = this.workspaces
			.slice((pageNum - 1) * pageSize, pageNum * pageSize)
			.map((workspace) => ({
				id: workspace.id,
				name: workspace.name,
				icon_url: WORKSPACE_ICON,
				role_type: workspace.role_type ?? 'owner',
				workspace_type: workspace.workspace_type ?? 'personal',
				enterprise_id: '',
				joined_status: 'joined',
				description: '',
				owner_uid: USER.id,
				admin_uids: [],
			}));
		this.succeed(res, { workspaces, total_count: this.workspaces.length });
	}

	/**
	 * The cloud's `GET /v1/workflows` (get_workflow_list.md, coze-openapi.yaml
	 * OpenAPIGetWorkflowList): workspace_id and page_num (≥ 1) required; page_size 1–30, default
	 * 10; workflow_mode workflow | chatflow, empty for both; publish_status published_online
	 * (default) | unpublished_draft | all; app_id. data {items: [OpenAPIWorkflowBasic], has_more}.
	 */
	private listWorkflows(res: ServerResponse, query: URLSearchParams): void {
		if (this.denied.has('listWorkflow')) return this.refuse(res, 403, 4101, PERMISSION_MSG);
		// The cloud's answers to a missing or bad argument are in no doc or fixture (no evidence):
		// 4000, as coze-api.md names a bad request.
		const workspaceId = query.get('workspace_id') ?? '';
		if (!workspaceId) return this.refuse(res, 400, 4000, 'workspace_id is required');
		const pageNum = integer(query.get('page_num'), undefined);
		if (pageNum === undefined || pageNum < 1)
			return this.refuse(res, 400, 4000, 'page_num must be at least 1');
		const pageSize = integer(query.get('page_size'), 10);
		if (pageSize === undefined || pageSize < 1 || pageSize > 30)
			return this.refuse(res, 400, 4000, 'page_size must be between 1 and 30');
		const mode = query.get('workflow_mode') ?? '';
		if (mode !== '' && mode !== 'workflow' && mode !== 'chatflow')
			return this.refuse(res, 400, 4000, `invalid workflow_mode ${mode}`);
		const status = query.get('publish_status') || 'published_online';
		if (!['published_online', 'unpublished_draft', 'all'].includes(status))
			return this.refuse(res, 400, 4000, `invalid publish_status ${status}`);
		// A workspace the token cannot see: no evidence of the cloud's answer; its permission error here.
		if (!this.workspaces.some((workspace) => workspace.id === workspaceId))
			return this.refuse(res, 403, 4101, PERMISSION_MSG);
		const appId = query.get('app_id') ?? '';
		// unpublished_draft lists workflows never published; whether the cloud also lists published
		// ones with unpublished changes is in no doc (no evidence). Without app_id, every workflow
		// of the workspace, an app's included (the doc: "默认为空，即不指定应用").
		const matching = this.workflows.filter(
			(workflow) =>
				workflow.workspaceId === workspaceId &&
				(mode === '' || (workflow.mode ?? 'workflow') === mode) &&
				(status === 'all' || (status === 'published_online') === (workflow.published ?? true)) &&
				(appId === '' || (workflow.app_id ?? '0') === appId),
		);
		const madeAt = Math.floor(Date.now() / 1000) - 86400;
		const shown = this.pagingFault
			? faultyPage(this.pagingFault, matching, pageNum, pageSize, (n, id): StoredWorkflow => ({
					workflow_id: id,
					workflow_name: `Endless ${n}`,
					workspaceId,
					createdAt: madeAt,
					updatedAt: madeAt,
				}))
			: matching.slice((pageNum - 1) * pageSize, pageNum * pageSize);
		// created_at and updated_at are strings in this list (the doc's table and example).
		const items = shown.map((workflow) => ({
			...basic(workflow),
			created_at: String(workflow.createdAt),
			updated_at: String(workflow.updatedAt),
		}));
		this.succeed(res, {
			items,
			has_more: this.pagingFault !== undefined || pageNum * pageSize < matching.length,
		});
	}

	/**
	 * The cloud's `GET /v1/bots` (bots_list_draft_published.md): workspace_id required;
	 * publish_status all | published_online (default) | published_draft | unpublished_draft;
	 * connector_id (default 1024, the API channel) for the published ones; page_num default 1,
	 * page_size default 20 (the doc gives no maximum). cozepy's _list_v2 sends the page as
	 * page_index (its test mocks match on that name): the doc's page_num is what is read here.
	 * data {items: [BotSimpleInfo], total}: no has_more; total is every matching bot (cozepy's
	 * NumberPaged pages on while total > page_num * page_size).
	 */
	private listBots(res: ServerResponse, query: URLSearchParams): void {
		if (this.denied.has('listBot')) return this.refuse(res, 403, 4101, PERMISSION_MSG);
		// The cloud's answers to a missing or bad argument are in no doc or fixture (no evidence):
		// 4000, as for the workflow list.
		const workspaceId = query.get('workspace_id') ?? '';
		if (!workspaceId) return this.refuse(res, 400, 4000, 'workspace_id is required');
		const pageNum = integer(query.get('page_num'), 1);
		if (pageNum === undefined || pageNum < 1)
			return this.refuse(res, 400, 4000, 'page_num must be at least 1');
		const pageSize = integer(query.get('page_size'), 20);
		if (pageSize === undefined || pageSize < 1)
			return this.refuse(res, 400, 4000, 'page_size must be at least 1');
		const status = query.get('publish_status') || 'published_online';
		if (!['all', 'published_online', 'published_draft', 'unpublished_draft'].includes(status))
			return this.refuse(res, 400, 4000, `invalid publish_status ${status}`);
		// A workspace the token cannot see: no evidence of the cloud's answer; its permission error here.
		if (!this.workspaces.some((workspace) => workspace.id === workspaceId))
			return this.refuse(res, 403, 4101, PERMISSION_MSG);
		// Every published bot here is published to the API channel (1024), and has no draft changes:
		// published_draft lists the same bots as published_online (no evidence of how the two differ
		// in this list's answer), and another connector_id lists none.
		const connectorId = query.get('connector_id') || '1024';
		const matching = this.bots.filter(
			(bot) =>
				bot.workspaceId === workspaceId &&
				(this.publishStatusIgnored ||
					status === 'all' ||
					(status === 'unpublished_draft'
						? bot.published === false
						: bot.published !== false && connectorId === '1024')),
		);
		const shown = this.pagingFault
			? faultyPage(this.pagingFault, matching, pageNum, pageSize, (n, id): StoredBot => ({
					bot_id: id,
					name: `Endless bot ${n}`,
					workspaceId,
					updatedAt: 1718289297,
				}))
			: matching.slice((pageNum - 1) * pageSize, pageNum * pageSize);
		// BotSimpleInfo: the doc's table and example; id, name, description, icon_url, is_published,
		// updated_at and owner_user_id always (cozepy's SimpleBot requires them), published_at only
		// for a published bot (the table: "仅当智能体已发布时返回该值"). folder_id, in the example, is
		// left out: no evidence of its value for a bot in no folder.
		const items = shown.map((bot) => ({
			id: bot.bot_id,
			name: bot.name,
			description: bot.description ?? '',
			icon_url: BOT_ICON,
			updated_at: bot.updatedAt,
			is_published: bot.published !== false,
			...(bot.published !== false ? { published_at: bot.updatedAt } : {}),
			owner_user_id: USER.id,
		}));
		this.succeed(res, {
			items,
			total: this.pagingFault ? (pageNum + 1) * pageSize : matching.length,
		});
	}

	/**
	 * The cloud's `GET /v1/workflows/{workflow_id}?include_input_output=` (get_workflow_info.md,
	 * coze-openapi.yaml WorkflowInfo1): data {workflow_detail, input?, output?}; input and output
	 * only when include_input_output is true (its default is false).
	 */
	private detail(res: ServerResponse, workflowId: string, query: URLSearchParams): void {
		if (this.denied.has('getMetaData')) return this.refuse(res, 403, 4101, PERMISSION_MSG);
		const workflow = this.workflows.find((candidate) => candidate.workflow_id === workflowId);
		// A workflow not in the account: 4200 / HTTP 404 as coze-api.md maps "not found". No
		// fixture, doc or bug report shows this endpoint's answer for an unknown id (its page,
		// get_workflow_info.md, lists no error codes), and the msg text has no evidence; the run
		// pages (workflow_run.md, workflow_stream_run.md) say an unpublished workflow is 4200, as
		// the run endpoints here answer (server.ts notPublished).
		if (!workflow) return this.refuse(res, 404, 4200, `workflow ${workflowId} not found`);
		// created_at and updated_at are JSON numbers here (the doc's example; its table says String).
		const data: Record<string, unknown> = {
			workflow_detail: {
				...basic(workflow),
				created_at: workflow.createdAt,
				updated_at: workflow.updatedAt,
			},
		};
		if (query.get('include_input_output') === 'true') {
			// input {parameters: {name: Parameter}}: the example's CONVERSATION_NAME carries required,
			// description, default_value and type, its USER_INPUT only type and required; the
			// simulator sends all four on every input.
			data.input = { parameters: parameters(workflow.inputs ?? {}, true) };
			// output {parameters, terminate_plan}: the doc's example variables carry type only;
			// terminate_plan return_variables (End returns variables; use_answer_content adds content).
			data.output = {
				parameters: parameters(workflow.outputs ?? { output: { type: 'string' } }, false),
				terminate_plan: 'return_variables',
			};
		}
		this.succeed(res, data);
	}

	/**
	 * Studio's `GET /v1/workflows/{workflow_id}`: a chatflow's role and nothing else (no input
	 * schema, include_input_output ignored). The body is inferred from the struct tags, not from
	 * a run: WorkflowInfo{Role *ChatFlowRole `json:"role"`}, code and msg left out on success
	 * (omitempty, never set, as its run history answers); a chatflow without a role gives
	 * {"data":{"role":null}}. A plain workflow: HTTP 200 code 777777780 (ErrChatFlowRoleOperationFail,
	 * "ChatFlowRole operation failure: {cause}"). The cause text has no evidence for this endpoint:
	 * it borrows the domain's "workflow id %v, mode %v is not a chatflow" (its role checks; mode 0
	 * is WorkflowMode_Workflow).
	 */
	private studioDetail(res: ServerResponse, workflowId: string): void {
		const workflow = this.workflows.find((candidate) => candidate.workflow_id === workflowId);
		// A workflow Studio does not have: its repository's GetMeta fails with ErrWorkflowNotFound
		// 720702004, "workflow {id} not found, please check if the workflow exists and not deleted"
		// (coze-studio domain/workflow/internal/repo/repository.go GetMeta, types/errno/workflow.go);
		// OpenAPIGetWorkflowInfo keeps that error (vo.WrapIfNeeded wraps only a plain error) and
		// httputil.InternalError answers a coded error with HTTP 200 {code, msg}
		// (application/workflow/workflow.go, api/internal/httputil/error_resp.go).
		if (!workflow) {
			return sendJson(res, 'studio', 200, {
				code: 720702004,
				msg: `workflow ${workflowId} not found, please check if the workflow exists and not deleted`,
			});
		}
		if ((workflow.mode ?? 'workflow') !== 'chatflow') {
			return sendJson(res, 'studio', 200, {
				code: 777777780,
				msg: `ChatFlowRole operation failure: workflow id ${workflowId}, mode 0 is not a chatflow`,
			});
		}
		sendJson(res, 'studio', 200, { data: { role: null } });
	}

	/** The cloud's envelope: {code 0, msg "", data, detail {logid}} (all three docs' examples). */
	private succeed(res: ServerResponse, data: unknown): void {
		sendJson(res, 'cloud', 200, { code: 0, msg: '', data, detail: { logid: nextLogId() } });
	}

	/**
	 * The cloud's refusals: {code, msg, detail {logid}}. HTTP status: coze-api.md's mapping
	 * (4000 → 400, 4101 → 403, 4200 → 404), no fixture for these endpoints.
	 */
	private refuse(res: ServerResponse, status: number, code: number, msg: string): void {
		sendJson(res, 'cloud', status, { code, msg, detail: { logid: nextLogId() } });
	}
}

/**
 * OpenAPIWorkflowBasic (get_workflow_list.md, get_workflow_info.md): ids as strings, app_id "0"
 * without an app, creator {id, name} (the user's UID and user name).
 */
function basic(workflow: StoredWorkflow): Record<string, unknown> {
	return {
		workflow_id: workflow.workflow_id,
		workflow_name: workflow.workflow_name,
		description: workflow.description ?? '',
		icon_url: WORKFLOW_ICON,
		app_id: workflow.app_id ?? '0',
		creator: { id: USER.id, name: USER.name },
	};
}

/**
 * A page of a list whose paging is broken (SimCatalog.breakPaging): page 1 again, or a page of
 * new entries made by `endless` from their number in the list and a fresh 19-digit id.
 */
function faultyPage<T>(
	fault: PagingFault,
	matching: T[],
	pageNum: number,
	pageSize: number,
	endless: (n: number, id: string) => T,
): T[] {
	if (fault === 'repeatsFirstPage') return matching.slice(0, pageSize);
	return Array.from({ length: pageSize }, (_, i) => {
		const n = (pageNum - 1) * pageSize + i + 1;
		return endless(n, String(7404830425073400000n + BigInt(n)));
	});
}

/** Parameters by name: with required, description and default_value (`full`), or type only (the doc's output example). */
function parameters(
	byName: Record<string, CatalogParameter>,
	full: boolean,
): Record<string, unknown> {
	return Object.fromEntries(
		Object.entries(byName).map(([name, parameter]) => [name, describe(parameter, full)]),
	);
}

function describe(parameter: CatalogParameter, full: boolean): Record<string, unknown> {
	const described: Record<string, unknown> = { type: parameter.type };
	if (full) {
		described.required = parameter.required ?? false;
		described.description = parameter.description ?? '';
		described.default_value = parameter.default_value ?? '';
	}
	// items: one parameter (the doc's example {"type":"image"}); properties: a map by name.
	if (parameter.items) described.items = describe(parameter.items, full);
	if (parameter.properties) described.properties = parameters(parameter.properties, full);
	return described;
}

/** A query integer: `fallback` when absent or empty, undefined when not a whole number. */
function integer(value: string | null, fallback: number | undefined): number | undefined {
	if (value === null || value === '') return fallback;
	return /^-?\d+$/.test(value) ? Number(value) : undefined;
}
