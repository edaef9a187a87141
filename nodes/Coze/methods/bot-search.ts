import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import type { CozeConnection } from '../transport/http';
import { BOT_PAGE_SIZE, listBotsPage } from '../transport/protocols/bot-catalog';
import { editorSite, searchCatalog, type Catalog } from './catalog-search';

/** Bot → Chat and Submit Tool Outputs: the bots (智能体) published to the API channel in every workspace the token has joined. */
export async function searchBots(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return await searchCatalog.call(this, BOT_CATALOG, filter, paginationToken);
}

const BOT_CATALOG: Catalog = {
	subject: {
		thing: 'bot',
		permission: 'listBot',
		withoutList: 'chatting with a bot does not need it',
	},
	pageSize: BOT_PAGE_SIZE,
	async readPage(connection, workspaceId, page) {
		const { bots, hasMore } = await listBotsPage(connection, { workspaceId, page });
		const entries = bots.map((bot) => ({
			id: bot.bot_id,
			name: bot.name,
			description: bot.description,
			url: botEditorUrl(connection, workspaceId, bot.bot_id),
		}));
		return { entries, hasMore };
	},
};

/**
 * The page of a bot in Coze's editor, …/space/<space id>/bot/<bot id> (Coze's API pages: "进入智能体的
 * 开发页面，开发页面 URL 中 bot 参数后的数字就是智能体 ID", e.g. https://www.coze.cn/space/341…/bot/73428668…,
 * coze-sdk-gen docs/api-markdown chat_v3.md; https://www.coze.com/… in create_room.md). By URL
 * reads the bot back from it (bot-url.ts).
 */
export function botEditorUrl(
	connection: CozeConnection,
	workspaceId: string,
	botId: string,
): string | undefined {
	const site = editorSite(connection);
	if (!site) return undefined;
	return `${site}/space/${encodeURIComponent(workspaceId)}/bot/${encodeURIComponent(botId)}`;
}
