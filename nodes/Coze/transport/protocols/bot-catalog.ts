import { requestCozeJson } from '../http/client';
import type { CozeConnection } from '../http/connection';
import type { CozeEnvelope } from '../http/envelope';
import { jsonId } from './workflow-catalog';

/**
 * The bots (智能体) of a workspace a token may chat with, for the editor's Bot list: Coze's
 * "查看智能体列表", `GET /v1/bots` (coze-sdk-gen docs/api-markdown/bots_list_draft_published.md,
 * docs/api-swagger/bots_list_draft_published.yaml; permission listBot). cozepy lists through it
 * (bots.list(use_api_version=2), _list_v2); coze-js and coze-go still call the older
 * `GET /v1/space/published_bots_list` (permission getPublishedBot), which Coze's page marks
 * Deprecated and "即将下线" (published_bots_list.md). Coze Studio serves neither to a token
 * (backend/api/router/coze/api.go has GET /v1/bots/:bot_id only). The workspaces come from the
 * workflow catalog's listWorkspaces.
 */

export interface CozeBotSummary {
	bot_id: string;
	name: string;
	description?: string;
}

/** The doc's default page (page_size "默认为 20"); it names no largest page, so none larger is asked. */
export const BOT_PAGE_SIZE = 20;
/** The API channel: a bot chat through /v3/chat needs the bot published there (connector_id "1024：API 渠道"). */
const API_CONNECTOR = '1024';

/** One page (from 1) of a workspace's bots published to the API channel. */
export async function listBotsPage(
	connection: CozeConnection,
	query: { workspaceId: string; page: number },
	signal?: AbortSignal,
): Promise<{ bots: CozeBotSummary[]; hasMore: boolean }> {
	const answer = await requestCozeJson<
		CozeEnvelope & { data?: { items?: unknown[]; total?: number | string } }
	>(connection, {
		method: 'GET',
		kind: 'read',
		path: '/v1/bots',
		query: {
			workspace_id: query.workspaceId,
			// The latest online version of bots published to the API channel: the ones /v3/chat answers.
			publish_status: 'published_online',
			connector_id: API_CONNECTOR,
			// The doc names the page page_num; cozepy's _list_v2 sends page_index (its tests mock the
			// endpoint on that name). Each name the server does not read is ignored: both go.
			page_num: String(query.page),
			page_index: String(query.page),
			page_size: String(BOT_PAGE_SIZE),
		},
		signal,
	});
	const items = answer.data?.items ?? [];
	const bots = items.map(botOf).filter((entry): entry is CozeBotSummary => entry !== undefined);
	// No has_more: cozepy's NumberPaged goes on while total > page_num * page_size, or, with no
	// total, while a page is full (model.py _is_page_has_more). An empty page ends the list.
	const total = Number(answer.data?.total);
	const hasMore =
		items.length > 0 &&
		(Number.isFinite(total) ? total > query.page * BOT_PAGE_SIZE : items.length >= BOT_PAGE_SIZE);
	return { bots, hasMore };
}

/**
 * BotSimpleInfo: id, name, description, is_published. A bot that says it is not published is left
 * out whatever the server was asked: chatting with it fails.
 */
function botOf(entry: unknown): CozeBotSummary | undefined {
	const record = entry as Record<string, unknown> | null;
	const id = jsonId(record?.id);
	if (!id || record?.is_published === false) return undefined;
	return {
		bot_id: id,
		name: typeof record?.name === 'string' && record.name ? record.name : id,
		description: typeof record?.description === 'string' ? record.description : undefined,
	};
}
