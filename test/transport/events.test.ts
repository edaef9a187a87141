import { CozeError } from '../../nodes/Coze/transport/http/coze-error';
import { readEventStream } from '../../nodes/Coze/transport/http/event-stream';
import { Redactor } from '../../nodes/Coze/transport/http/redaction';
import {
	decodeWorkflowEvent,
	type CozeStreamEvent,
} from '../../nodes/Coze/transport/protocols/workflow-events';
import { encodeEvents, type SimEvent, type StreamShape } from '../simulator/event-stream';
import { messageChunks, numbered } from '../simulator/workflows';

/** Feeds `body` to the reader cut at `cuts` (byte offsets), as a socket might deliver it. */
async function read(body: Buffer, cuts: number[] = []): Promise<CozeStreamEvent[]> {
	const edges = [
		0,
		...cuts.filter((c) => c > 0 && c < body.length).sort((a, b) => a - b),
		body.length,
	];
	async function* chunks() {
		for (let i = 0; i < edges.length - 1; i++) yield body.subarray(edges[i], edges[i + 1]);
	}
	const events: CozeStreamEvent[] = [];
	for await (const batch of readEventStream(chunks(), (event) =>
		decodeWorkflowEvent(event, new Redactor([])),
	))
		events.push(...batch);
	return events;
}

async function failure(body: Buffer): Promise<CozeError> {
	try {
		await read(body);
	} catch (error) {
		if (error instanceof CozeError) return error;
		throw error;
	}
	throw new Error('expected the stream to be refused');
}

const multilingual: SimEvent[] = numbered([
	...messageChunks({ title: '大模型', uuid: 'u1' }, ['你好，', '世界 🌍', ' café ✓']),
	{ event: 'PING', data: {} },
	...messageChunks({ title: 'End', uuid: 'u2' }, ['{"output":"完成 ✅"}']),
	{
		event: 'Done',
		data: { debug_url: 'https://www.coze.cn/work_flow?execute_id=7404830425073352713' },
	},
]);

describe('readEventStream with the workflow decoder', () => {
	it("reads the stream of coze-api.md's example byte for byte", async () => {
		const body = Buffer.from(
			'id: 0\nevent: Message\ndata: {"content":"msg","node_is_finish":false,"node_seq_id":"0","node_title":"Message"}\n\n' +
				'id: 1\nevent: Message\ndata: {"content":"{\\"output\\":\\"hello\\"}","cost":"0.00","node_is_finish":true,"node_seq_id":"0","node_title":"End","token":0}\n\n' +
				'id: 2\nevent: Done\ndata: {"debug_url":"https://www.coze.cn/work_flow?execute_id=1"}\n\n',
		);
		expect(await read(body)).toEqual([
			{
				type: 'Message',
				data: { content: 'msg', node_is_finish: false, node_seq_id: '0', node_title: 'Message' },
			},
			{
				type: 'Message',
				data: {
					content: '{"output":"hello"}',
					cost: '0.00',
					node_is_finish: true,
					node_seq_id: '0',
					node_title: 'End',
					token: 0,
				},
			},
			{ type: 'Done', data: { debug_url: 'https://www.coze.cn/work_flow?execute_id=1' } },
		]);
	});

	it('gives the same events wherever the bytes are cut, inside a UTF-8 character too', async () => {
		const body = encodeEvents(multilingual);
		const expected = await read(body);
		expect(expected.map((event) => event.type)).toEqual([
			'Message',
			'Message',
			'Message',
			'Message',
			'Done',
		]);
		expect(expected[1].data).toMatchObject({ content: '世界 🌍' });
		for (let cut = 1; cut < body.length; cut++) {
			expect(await read(body, [cut])).toEqual(expected);
		}
		expect(
			await read(
				body,
				Array.from({ length: body.length }, (_, i) => i),
			),
		).toEqual(expected);
	});

	it.each<[string, StreamShape]>([
		['CRLF line endings', { lineEnding: '\r\n' }],
		['"id:0" without a space', { idWithoutSpace: true }],
		['no blank line after the last event', { noFinalBlankLine: true }],
		['all of them at once', { lineEnding: '\r\n', idWithoutSpace: true, noFinalBlankLine: true }],
	])('reads a stream with %s', async (_name, shape) => {
		const plain = await read(encodeEvents(multilingual));
		const body = encodeEvents(multilingual, shape);
		expect(await read(body)).toEqual(plain);
		// and cut into 7-byte pieces, so line endings split too
		expect(
			await read(
				body,
				Array.from({ length: body.length / 7 }, (_, i) => (i + 1) * 7),
			),
		).toEqual(plain);
	});

	it('skips PING (both data shapes) and events it does not know', async () => {
		const body = encodeEvents(
			numbered([
				{ event: 'PING', data: {} },
				{ event: 'PING', data: { content: '{}' } },
				{ event: 'SomethingNew', data: { x: 1 } },
				{ event: 'Done', data: {} },
			]),
		);
		expect(await read(body)).toEqual([{ type: 'Done', data: {} }]);
	});

	it('ignores garbage lines between events', async () => {
		const body = Buffer.from(
			'id: 0\nevent: Message\nthis is not a field\ndata: {"content":"a"}\n\n: a comment\n\nid: 1\nevent: Done\ndata: {}\n\n',
		);
		expect(await read(body)).toEqual([
			{ type: 'Message', data: { content: 'a' } },
			{ type: 'Done', data: {} },
		]);
	});

	it('refuses a stream with a gap in its ids: events were lost', async () => {
		const events = numbered(messageChunks({ title: 'LLM' }, ['a', 'b', 'c']));
		const error = await failure(encodeEvents([events[0], events[1], { ...events[2], id: 5 }]));
		expect(error.message).toBe("Coze's event stream skipped from event 1 to 5: events were lost");
	});

	const ping = (id: string) => ({ id, event: 'PING', data: {} });
	const done = (id: string) => ({ id, event: 'Done', data: {} });

	it.each([
		[['007', '8'], 'counting on after leading zeros'],
		[['999999999999999', '1000000000000000'], 'from 15 to 16 digits'],
		[['99999999999999999998', '99999999999999999999'], 'at 20 digits'],
	])('accepts consecutive ids %j (%s)', async (ids) => {
		expect(await read(encodeEvents([ping(ids[0]), done(ids[1])]))).toEqual([
			{ type: 'Done', data: {} },
		]);
	});

	it.each([
		[['3', '3'], 'Coze sent event 3 twice'],
		[['12345678901234567', '12345678901234567'], 'Coze sent event 12345678901234567 twice'],
		[['9', '2'], "Coze's event stream went back from event 9 to 2"],
		[
			['12345678901234567', '12345678901234569'],
			"Coze's event stream skipped from event 12345678901234567 to 12345678901234569: events were lost",
		],
		[['1', '123456789012345678901'], 'Coze sent an event id of 21 characters'],
	])('refuses ids %j', async (ids, message) => {
		expect((await failure(encodeEvents([ping(ids[0]), done(ids[1])]))).message).toBe(message);
	});

	it("reads Coze Studio's lower-case plain-text error event (no id)", async () => {
		const body = Buffer.from(
			'id: 0\nevent: Message\ndata: {"content":"a"}\n\nevent: error\ndata: workflow execution failed: node timeout\n\n',
		);
		expect((await read(body))[1]).toEqual({
			type: 'Error',
			data: { error_message: 'workflow execution failed: node timeout' },
		});
	});

	it('says which event carried data that is not JSON', async () => {
		const error = await failure(
			Buffer.from('id: 0\nevent: Message\ndata: {"content": "cut here\n\n'),
		);
		expect(error.message).toBe('Coze sent a Message event whose data is not JSON');
		expect(error.description).toContain('{"content": "cut here');
	});

	it('keeps 19-digit numbers exact', async () => {
		const body = Buffer.from(
			'id: 0\nevent: Interrupt\ndata: {"interrupt_data":{"event_id":"7404830425073352713/1","type":2,"data":"?"},"execute_id":7404830425073352713}\n\n',
		);
		expect((await read(body))[0].data).toEqual({
			interrupt_data: { event_id: '7404830425073352713/1', type: 2, data: '?' },
			execute_id: '7404830425073352713',
		});
	});
});
