// The Bot field as the lead's Bot resource will show it: a resource locator whose list the node
// serves, whose By URL check agrees with what the run reads (botIdFromUrl).
import type { INodePropertyMode } from 'n8n-workflow';

import { Coze } from '../nodes/Coze/Coze.node';
import { botLocator } from '../nodes/Coze/shared/bot-locator';
import { botIdFromUrl } from '../nodes/Coze/transport/protocols/bot-url';

const ID = '7404830425073352713';
const SPACE = '7404830425073300001';

describe('botLocator: the Bot field', () => {
	const field = botLocator(['chat', 'submitToolOutputs']);
	const mode = (name: string) =>
		(field.modes as INodePropertyMode[]).find((candidate) => candidate.name === name)!;
	const check = (name: string, value: string) =>
		(mode(name).validation ?? []).every((rule) =>
			new RegExp((rule as unknown as { properties: { regex: string } }).properties.regex).test(
				value,
			),
		);

	it('is the required botId locator of the Bot resource, From List by default', () => {
		expect(field).toMatchObject({
			displayName: 'Bot',
			name: 'botId',
			type: 'resourceLocator',
			required: true,
			default: { mode: 'list', value: '' },
			displayOptions: { show: { resource: ['bot'], operation: ['chat', 'submitToolOutputs'] } },
		});
		expect((field.modes as INodePropertyMode[]).map((candidate) => candidate.name)).toEqual([
			'list',
			'url',
			'id',
		]);
	});

	it('lists through a method the node serves, searchable', () => {
		expect(mode('list').typeOptions).toEqual({ searchListMethod: 'searchBots', searchable: true });
		expect(Object.keys(new Coze().methods.listSearch)).toContain('searchBots');
	});

	it('accepts By URL the addresses the run reads, and no other', () => {
		for (const address of [
			`https://www.coze.cn/space/${SPACE}/bot/${ID}`,
			`https://www.coze.com/space/${SPACE}/bot/${ID}/publish?x=1`,
			`www.coze.cn/space/${SPACE}/bot/${ID}`,
		]) {
			expect(check('url', address)).toBe(true);
			expect(botIdFromUrl(address)).toBe(ID);
		}
		for (const address of [`https://www.coze.cn/space/${SPACE}/develop`, 'my bot']) {
			expect(check('url', address)).toBe(false);
			expect(botIdFromUrl(address)).toBeUndefined();
		}
	});

	it('accepts By ID digits only', () => {
		expect(check('id', ` ${ID} `)).toBe(true);
		expect(check('id', 'my bot')).toBe(false);
	});
});
