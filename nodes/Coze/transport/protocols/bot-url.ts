import { COZE_ID, parseAddress } from './coze-address';

/**
 * The bot ID in the address of a bot's page in Coze: …/space/<space id>/bot/<bot id>, the bot's
 * editor ("进入智能体的开发页面，开发页面 URL 中 bot 参数后的数字就是智能体 ID", Coze's API pages:
 * coze-sdk-gen docs/api-markdown chat_v3.md on coze.cn, create_room.md on coze.com), and in Coze
 * Studio the same path (frontend routes: space/:space_id/bot/:bot_id, and …/publish below it).
 * Any scheme, host, later path, query or fragment; undefined for any other address.
 */
export function botIdFromUrl(address: string): string | undefined {
	const segments = parseAddress(address)?.pathname.split('/').filter(Boolean) ?? [];
	for (let i = 0; i + 3 < segments.length; i++) {
		const [space, spaceId, bot, botId] = segments.slice(i, i + 4);
		if (
			space.toLowerCase() === 'space' &&
			COZE_ID.test(spaceId) &&
			bot.toLowerCase() === 'bot' &&
			COZE_ID.test(botId)
		)
			return botId;
	}
	return undefined;
}
