// A bot's chat stream read from bytes cut at every single offset, as the cloud recorded it (cozepy
// chat_text_stream_resp.txt) and as Coze Studio writes it (conversation.stream.done, empty data):
// the collected turn is the same each time. test/engine/bot-stream-faults.test.ts does the same
// through n8n's engine and the simulator's writes; this one tries every cut, and every pair of
// cuts inside the 3-byte characters, deterministically.
import { readEventStream } from '../../nodes/Coze/transport/http/event-stream';
import { Redactor } from '../../nodes/Coze/transport/http/redaction';
import { collectChat } from '../../nodes/Coze/transport/protocols/chat-collector';
import { decodeChatEvent } from '../../nodes/Coze/transport/protocols/chat-events';
import { BotStream } from '../simulator/bot-shapes';
import { encodeEvents, type SimEvent, type StreamShape } from '../simulator/event-stream';
import { COZEPY_RECORDED_BOT_ANSWER, cozepyRecordedBotChat } from '../simulator/recorded-streams';

async function* cutAt(body: Buffer, cuts: number[]): AsyncGenerator<Uint8Array> {
	let start = 0;
	for (const cut of [...cuts, body.length]) {
		yield body.subarray(start, cut);
		start = cut;
	}
}

const decode = (event: Parameters<typeof decodeChatEvent>[0]) =>
	decodeChatEvent(event, new Redactor([]));

const collect = (body: Buffer, cuts: number[] = []) =>
	collectChat(readEventStream(cutAt(body, cuts), decode), undefined, 'bot');

const studio = new BotStream('studio', {
	botId: '7379462189365198898',
	conversationId: '7460000000000000101',
	chatId: '7460000000000000102',
})
	.started()
	.answer(['2024 年 10 月 1 日', '是星', '期三。'], 'answer', ['先算', '一下'])
	.completed().events;

const numberedWithPings = (events: SimEvent[]) =>
	events
		.flatMap((event) => [event, { event: 'PING', data: {} }])
		.map((event, id) => ({ ...event, id }));

describe.each([
	['the cloud (cozepy recording)', cozepyRecordedBotChat(), COZEPY_RECORDED_BOT_ANSWER],
	['Coze Studio', studio, '2024 年 10 月 1 日是星期三。'],
] as const)('%s', (_name, events, answer) => {
	it.each<[string, StreamShape, (events: SimEvent[]) => SimEvent[]]>([
		['as written', { fieldsWithoutSpace: true, noFinalLineEnd: true }, (e) => e],
		[
			'CRLF, id:0, PING, no final blank line',
			{
				fieldsWithoutSpace: true,
				lineEnding: '\r\n',
				idWithoutSpace: true,
				noFinalBlankLine: true,
			},
			numberedWithPings,
		],
	])('%s: the same turn at every cut', async (_shape, shape, reshape) => {
		const body = encodeEvents(reshape([...events]), shape);
		const whole = await collect(body);
		expect(whole).toMatchObject({ answer, status: 'completed' });
		for (let cut = 1; cut < body.length; cut++)
			expect({ cut, turn: await collect(body, [cut]) }).toEqual({ cut, turn: whole });
		// Two cuts inside one 3-byte character (星: its three bytes each alone).
		const star = body.indexOf(Buffer.from('星'));
		expect(star).toBeGreaterThan(0);
		expect(await collect(body, [star + 1, star + 2])).toEqual(whole);
	});
});
