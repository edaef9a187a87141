import { botIdFromUrl } from '../nodes/Coze/transport/protocols/bot-url';

const ID = '7404830425073352713';
const SPACE = '7404830425073300001';

describe('Bot → By URL: the bot ID in the address of a bot page in Coze', () => {
	it.each([
		// Coze's API pages: "进入智能体的开发页面，开发页面 URL 中 bot 参数后的数字就是智能体 ID"
		// (coze-sdk-gen docs/api-markdown chat_v3.md for coze.cn, create_room.md for coze.com).
		['the bot editor on coze.cn', `https://www.coze.cn/space/${SPACE}/bot/${ID}`],
		['the bot editor on coze.com', `https://www.coze.com/space/${SPACE}/bot/${ID}`],
		// coze-studio frontend: navigate(`/space/${spaceId}/bot/${botId}/publish`).
		['its publish page, a trailing path', `https://www.coze.cn/space/${SPACE}/bot/${ID}/publish`],
		['a query and a fragment', `https://www.coze.cn/space/${SPACE}/bot/${ID}?tab=debug#top`],
		['a trailing slash', `https://www.coze.com/space/${SPACE}/bot/${ID}/`],
		['self-hosted Coze Studio', `http://localhost:8888/space/${SPACE}/bot/${ID}`],
		[
			'an address pasted without its scheme, with spaces',
			`  www.coze.cn/space/${SPACE}/bot/${ID}  `,
		],
	])('reads it from %s', (_, address) => {
		expect(botIdFromUrl(address)).toBe(ID);
	});

	it.each([
		['the bot list of a workspace', `https://www.coze.cn/space/${SPACE}/bot`],
		['a workspace page', `https://www.coze.cn/space/${SPACE}/develop`],
		['a workflow page', `https://www.coze.cn/work_flow?space_id=${SPACE}&workflow_id=${ID}`],
		['a bot id that is not a number', `https://www.coze.cn/space/${SPACE}/bot/abc`],
		['a bot segment outside a space', `https://www.coze.cn/bot/${ID}`],
		['the bot in the query only', `https://www.coze.cn/store/agent?bot_id=${ID}x`],
		['text that is no address', 'my bot'],
		['an empty field', ''],
	])('finds none in %s', (_, address) => {
		expect(botIdFromUrl(address)).toBeUndefined();
	});
});
