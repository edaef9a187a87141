import { createHash } from 'node:crypto';

import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import {
	ConversationMemory,
	MAX_REMEMBERED_SESSIONS,
} from '../../nodes/Coze/actions/chat/conversation-memory';
import { forgetConversationsOfThisProcess } from '../../nodes/Coze/testing';
import { Redactor } from '../../nodes/Coze/transport/http/redaction';

/** The three things ConversationMemory asks of n8n's execute context, over static data the test keeps. */
function contextWith(staticData: IDataObject): IExecuteFunctions {
	return {
		getWorkflowStaticData: () => staticData,
		getWorkflow: () => ({ id: 'wf-1', active: true }),
		getNode: () => ({ name: 'Coze' }),
	} as unknown as IExecuteFunctions;
}

describe('ConversationMemory', () => {
	const scope = { baseUrl: 'https://api.coze.cn', partner: { workflowId: '7404830425073352714' } };
	const noSecrets = new Redactor([]);
	beforeEach(() => forgetConversationsOfThisProcess());

	it('keeps at most MAX_REMEMBERED_SESSIONS sessions, forgetting the least recently used first', () => {
		const staticData: IDataObject = {};
		const memory = new ConversationMemory(contextWith(staticData), scope, noSecrets);
		for (let i = 0; i < MAX_REMEMBERED_SESSIONS; i++) memory.remember(`s${i}`, `c${i}`);
		expect(memory.recall('s0')).toBe('c0');
		memory.remember('new-1', 'n1');
		memory.remember('new-2', 'n2');
		forgetConversationsOfThisProcess();
		const stored = staticData.cozeConversations as IDataObject;
		expect(Object.keys(stored)).toHaveLength(MAX_REMEMBERED_SESSIONS);
		// s0 was used last of the old ones: s1 and s2 went.
		expect([
			memory.recall('s0'),
			memory.recall('s1'),
			memory.recall('s2'),
			memory.recall('s3'),
			memory.recall('new-2'),
		]).toEqual(['c0', undefined, undefined, 'c3', 'n2']);
	});

	it('stores a hash of the session, not the session id, and keeps servers and chatflows apart', () => {
		const staticData: IDataObject = {};
		new ConversationMemory(contextWith(staticData), scope, noSecrets).remember(
			'alice@example.com',
			'c1',
		);
		expect(JSON.stringify(staticData)).not.toContain('alice');
		forgetConversationsOfThisProcess();
		expect(
			new ConversationMemory(
				contextWith(staticData),
				{ ...scope, partner: { workflowId: '1' } },
				noSecrets,
			).recall('alice@example.com'),
		).toBeUndefined();
		expect(
			new ConversationMemory(
				contextWith(staticData),
				{ ...scope, baseUrl: 'https://api.coze.com' },
				noSecrets,
			).recall('alice@example.com'),
		).toBeUndefined();
		expect(
			new ConversationMemory(contextWith(staticData), scope, noSecrets).recall('alice@example.com'),
		).toBe('c1');
	});

	it('keeps a bot apart from a chatflow of the same id', () => {
		const staticData: IDataObject = {};
		const id = '7404830425073352714';
		new ConversationMemory(
			contextWith(staticData),
			{ ...scope, partner: { workflowId: id } },
			noSecrets,
		).remember('alice', 'with-chatflow');
		const bot = new ConversationMemory(
			contextWith(staticData),
			{ ...scope, partner: { botId: id } },
			noSecrets,
		);
		expect(bot.recall('alice')).toBeUndefined();
		bot.remember('alice', 'with-bot');
		forgetConversationsOfThisProcess();
		expect(
			new ConversationMemory(
				contextWith(staticData),
				{ ...scope, partner: { workflowId: id } },
				noSecrets,
			).recall('alice'),
		).toBe('with-chatflow');
		expect(bot.recall('alice')).toBe('with-bot');
	});

	it('finds a chatflow session saved by an earlier version (key: sha256 of server, workflow and session)', () => {
		// What 0.1.0 wrote into static data for one session: bots must not change that key.
		const savedKey = createHash('sha256')
			.update(`${scope.baseUrl}\u0000${scope.partner.workflowId}\u0000alice`)
			.digest('base64url')
			.slice(0, 32);
		const staticData: IDataObject = { cozeConversations: { [savedKey]: '7400000000000000001' } };
		expect(new ConversationMemory(contextWith(staticData), scope, noSecrets).recall('alice')).toBe(
			'7400000000000000001',
		);
	});
});
