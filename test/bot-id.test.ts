// readBotId alone: what the run reads from the Bot field, given the field's value as n8n hands it
// (a resource locator, or the plain text an expression gave). The engine tests of Bot → Chat read
// it through n8n itself.
import { NodeOperationError, type IExecuteFunctions, type INode } from 'n8n-workflow';

import { readBotId } from '../nodes/Coze/actions/bot/bot-id';
import { LIST_END_NOTICE } from '../nodes/Coze/shared/workflow-locator';

const ID = '7404830425073352713';
const SPACE = '7404830425073300001';
const NODE = { name: 'Coze', type: 'n8n-nodes-coze-workflow.coze' } as INode;

/** Just what readBotId asks of n8n: the node, and the Bot field's value for the item. */
function withBot(value: unknown): IExecuteFunctions {
	return {
		getNode: () => NODE,
		getNodeParameter: (name: string, _itemIndex: number, fallback?: unknown) =>
			name === 'botId' ? value : fallback,
	} as unknown as IExecuteFunctions;
}

function failure(value: unknown): NodeOperationError {
	try {
		readBotId.call(withBot(value), 3);
	} catch (error) {
		expect(error).toBeInstanceOf(NodeOperationError);
		return error as NodeOperationError;
	}
	throw new Error(`${JSON.stringify(value)} was read as a bot`);
}

describe('readBotId: the bot the Bot field names', () => {
	it.each([
		['picked from the list', { __rl: true, mode: 'list', value: ID }],
		['By ID, with spaces around it', { __rl: true, mode: 'id', value: `  ${ID} ` }],
		['By URL', { __rl: true, mode: 'url', value: `https://www.coze.cn/space/${SPACE}/bot/${ID}` }],
		['a default saved without __rl', { mode: 'id', value: ID }],
		['plain text from an expression', ID],
		['a number an expression gave, held exactly', 7404830425],
	])('reads it %s', (_, value) => {
		const expected = typeof value === 'number' ? String(value) : ID;
		expect(readBotId.call(withBot(value), 0)).toBe(expected);
	});

	it('refuses an address that holds no bot, naming the address and where the ID is', () => {
		const error = failure({
			__rl: true,
			mode: 'url',
			value: `https://www.coze.cn/space/${SPACE}/develop`,
		});
		expect(error.message).toBe(
			`The address "https://www.coze.cn/space/${SPACE}/develop" holds no Coze bot ID`,
		);
		expect(error.description).toMatch(/\/space\/…\/bot\/7404830425073352713.*Or choose By ID/);
		expect((error.context as { itemIndex?: number }).itemIndex).toBe(3);
	});

	it('refuses an empty address', () => {
		expect(failure({ __rl: true, mode: 'url', value: '  ' }).message).toBe('Bot (By URL) is empty');
	});

	it("refuses the list's last entry, which says the list ends there", () => {
		const error = failure({ __rl: true, mode: 'list', value: `${LIST_END_NOTICE}${SPACE}` });
		expect(error.message).toBe("Bot: the list's notice that it ends there is chosen, not a bot");
		expect(error.description).toBe(
			'Choose a bot from the list, or choose By URL or By ID for a bot the list does not show.',
		);
	});

	it('refuses an empty field, saying where the ID comes from', () => {
		const error = failure({ __rl: true, mode: 'list', value: '' });
		expect(error.message).toBe('Bot is empty');
		expect(error.description).toMatch(/^Set "Bot"\. .*\/bot\//);
		expect(failure('').message).toBe('Bot is empty');
	});

	it('refuses what is not a bot ID, and a number that has lost digits', () => {
		const error = failure({ __rl: true, mode: 'id', value: 'my helper' });
		expect(error.message).toBe('Bot "my helper" is not a Coze bot ID');
		expect(error.description).toMatch(/^A bot ID is a number, e.g. 7404830425073352713/);
		expect(failure(Number(ID)).message).toBe('Bot arrived as a number and has lost digits');
		expect(failure({ mode: 'id', value: { id: ID } }).message).toBe('Bot must be a Coze id');
	});
});
