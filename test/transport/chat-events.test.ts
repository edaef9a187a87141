import { readEventStream } from '../../nodes/Coze/transport/http/event-stream';
import {
	decodeChatEvent,
	type ChatStreamEvent,
} from '../../nodes/Coze/transport/protocols/chat-events';
import { ChatFailure, collectChat } from '../../nodes/Coze/transport/protocols/chat-collector';
import { Redactor } from '../../nodes/Coze/transport/http/redaction';
import { ChatStream } from '../simulator/chat-shapes';
import { encodeEvents, type SimEvent } from '../simulator/event-stream';

const IDS = {
	conversationId: '7450000000000000001',
	chatId: '7450000000000000002',
	sectionId: '7450000000000000001',
	executeId: '7450000000000000003',
	debugUrl: 'https://www.coze.cn/work_flow?execute_id=1',
};

async function* cutAt(body: Buffer, cuts: number[]): AsyncGenerator<Uint8Array> {
	let start = 0;
	for (const cut of [...cuts, body.length]) {
		yield body.subarray(start, cut);
		start = cut;
	}
}

/** The events as the node decodes them, with a credential that holds no secret these tests look for. */
const decode = (event: Parameters<typeof decodeChatEvent>[0]) =>
	decodeChatEvent(event, new Redactor([]));

const collect = (body: Buffer, cuts: number[] = []) =>
	collectChat(readEventStream(cutAt(body, cuts), decode));

describe.each(['cloud', 'studio'] as const)('a chat turn read from the wire (%s)', (flavour) => {
	const turn = new ChatStream(flavour, IDS)
		.started()
		.answer(['你好', '，世界 ', '🌏'])
		.followUps(['再来一个？'])
		.verbose()
		.completed();

	it('reads the same turn wherever the chunks are cut, inside UTF-8 characters too, with CRLF', async () => {
		const body = encodeEvents(turn.numbered(), { lineEnding: '\r\n', idWithoutSpace: true });
		const whole = await collect(body);
		expect(whole).toMatchObject({
			answer: '你好，世界 🌏',
			conversationId: IDS.conversationId,
			chatId: IDS.chatId,
			status: 'completed',
			debugUrl: IDS.debugUrl,
		});
		expect(whole.messages.filter((m) => m.type === 'follow_up').map((m) => m.content)).toEqual([
			'再来一个？',
		]);
		for (let cut = 1; cut < body.length; cut += 3)
			expect(await collect(body, [cut])).toEqual(whole);
	});

	it('fails a stream cut before the chat ended, keeping what had arrived', async () => {
		const events = turn.numbered();
		const body = encodeEvents(events.slice(0, 4));
		const failure = await collect(body).catch((error: unknown) => error);
		expect(failure).toBeInstanceOf(ChatFailure);
		expect((failure as ChatFailure).message).toMatch(/ended before the chat finished/);
		expect((failure as ChatFailure).messages[0].content).toBe('你好，世界 ');
	});
});

describe('decodeChatEvent', () => {
	const one = async (events: SimEvent[]) => {
		const out: ChatStreamEvent[] = [];
		for await (const batch of readEventStream(cutAt(encodeEvents(events), []), decode))
			out.push(...batch);
		return out;
	};

	it('reads Studio\'s string error code, a plain-text error, "[DONE]" with or without quotes, and skips events it does not know', async () => {
		expect(
			await one([{ event: 'error', data: { code: '720702011', msg: 'boom', debug_url: 'u' } }]),
		).toEqual([{ type: 'error', data: { code: 720702011, msg: 'boom', debug_url: 'u' } }]);
		expect(await one([{ event: 'error', data: 'stream broke: EOF' }])).toEqual([
			{ type: 'error', data: { msg: 'stream broke: EOF' } },
		]);
		expect(
			await one([
				{ event: 'done', data: '"[DONE]"' },
				{ event: 'done', data: '[DONE]' },
			]),
		).toEqual([
			{ type: 'done', data: {} },
			{ type: 'done', data: {} },
		]);
		expect(
			await one([
				{ event: 'conversation.audio.delta', data: {} },
				{ event: 'PING', data: {} },
			]),
		).toEqual([]);
	});

	it("turns conversation.chat.failed into Coze's reason", async () => {
		const body = encodeEvents([
			{
				event: 'conversation.chat.failed',
				data: {
					id: '1',
					conversation_id: '2',
					last_error: { code: 5000, msg: 'event interval error' },
					status: 'failed',
				},
			},
		]);
		await expect(collect(body)).rejects.toThrow(
			'The Coze chat failed with error 5000: event interval error',
		);
	});
});
