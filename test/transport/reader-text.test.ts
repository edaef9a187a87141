import {
	readerTextOfMessages,
	tapReaderText,
	type StreamToChat,
} from '../../nodes/Coze/transport/protocols/reader-text';
import type {
	CozeMessageData,
	CozeStreamEvent,
} from '../../nodes/Coze/transport/protocols/workflow-events';

const message = (data: CozeMessageData): CozeStreamEvent => ({
	type: 'Message',
	data: { content_type: 'text', ...data },
});

/** The pieces a person reads, each with how many events had arrived when it was written. */
async function read(events: CozeStreamEvent[], mode: StreamToChat = 'messages') {
	const pieces: Array<[text: string, afterEvents: number]> = [];
	let arrived = 0;
	async function* batches() {
		for (const event of events) {
			arrived++;
			yield [event];
		}
	}
	const passed: CozeStreamEvent[] = [];
	for await (const batch of tapReaderText(batches(), mode, (text) => pieces.push([text, arrived])))
		passed.push(...batch);
	expect(passed).toEqual(events);
	return pieces;
}

describe('tapReaderText', () => {
	it('streams text that opens with "[" piece by piece, as it arrives', async () => {
		const pieces = await read([
			message({ node_id: '100001', node_type: 'Message', content: '[1] Coze ', node_seq_id: '0' }),
			message({
				node_id: '100001',
				node_type: 'Message',
				content: 'docs',
				node_seq_id: '1',
				node_is_finish: true,
			}),
		]);
		expect(pieces).toEqual([
			['[1] Coze ', 1],
			['docs', 2],
		]);
	});

	it("holds an End node's JSON until whole and gives its output; JSON without output as it is; broken JSON as text", async () => {
		expect(
			await read([
				message({ node_id: '900001', node_type: 'End', content: '{"output":', node_seq_id: '0' }),
				message({
					node_id: '900001',
					node_type: 'End',
					content: '"晴"}',
					node_seq_id: '1',
					node_is_finish: true,
				}),
			]),
		).toEqual([['晴', 2]]);
		expect(
			await read([
				message({
					node_id: '900001',
					node_type: 'End',
					content: '{"temp":25}',
					node_is_finish: true,
				}),
			]),
		).toEqual([['{"temp":25}', 1]]);
		expect(
			await read([
				message({
					node_id: '900001',
					node_type: 'End',
					content: '{not json',
					node_is_finish: true,
				}),
			]),
		).toEqual([['{not json', 1]]);
	});

	it("Final Answer Only keeps the workflow's End (by type, id, or the cloud's title alone), not a sub-workflow's", async () => {
		const events = [
			message({ node_id: '100001', node_type: 'Message', content: 'step', node_is_finish: true }),
			message({
				node_id: '900001',
				node_type: 'End',
				sub_execute_id: '7404830425073351111',
				content: 'inner',
				node_is_finish: true,
			}),
			message({ node_title: 'End', content: 'outer', node_is_finish: true }),
		];
		expect((await read(events, 'final')).map(([text]) => text)).toEqual(['outer']);
		expect((await read(events, 'messages')).map(([text]) => text)).toEqual([
			'step',
			'\n\ninner',
			'\n\nouter',
		]);
	});

	it('Final Answer Only finds the End of cozepy\'s recorded stream: node_title "", no node_id or node_type', async () => {
		const events: CozeStreamEvent[] = [
			message({ node_title: 'Message', content: '为什么', node_seq_id: '0' }),
			message({ node_title: 'Message', content: '？', node_seq_id: '1', node_is_finish: true }),
			message({
				node_title: '',
				content: '{"output":"因为他听说电影很长"}',
				node_seq_id: '0',
				node_is_finish: true,
				cost: '0.00',
				token: 0,
			}),
			{ type: 'Done', data: {} },
		];
		expect(await read(events, 'final')).toEqual([['因为他听说电影很长', 3]]);
	});

	it('Final Answer Only takes the last message before Done when the stream names no node types (an End titled "结束")', async () => {
		const events: CozeStreamEvent[] = [
			message({ node_title: '消息', content: '第一步', node_is_finish: true }),
			message({ node_title: '结束', content: '{"output":"答案"}', node_is_finish: true }),
			{ type: 'Done', data: {} },
		];
		expect(await read(events, 'final')).toEqual([['答案', 3]]);
		// A run that stops on a question never reached its End: nothing is its final answer.
		expect(
			await read(
				[
					message({ node_title: '问答', content: '哪个城市？', node_is_finish: true }),
					{
						type: 'Interrupt',
						data: { interrupt_data: { event_id: '1/1', type: 2, data: '' }, node_title: '问答' },
					},
				],
				'final',
			),
		).toEqual([]);
	});

	it("reads Studio's question from the Interrupt, not from its JSON message", async () => {
		const data = JSON.stringify({
			messages: [{ type: 'question', content_type: 'text', content: 'Which city?', id: 'q_0' }],
		});
		const pieces = await read([
			message({ node_id: '133234', node_type: 'Question', content: data, node_is_finish: true }),
			{ type: 'Interrupt', data: { interrupt_data: { event_id: '1/1', type: 2, data } } },
		]);
		expect(pieces).toEqual([['Which city?', 2]]);
	});
});

describe('readerTextOfMessages', () => {
	it("gives a whole run's reader text by the same rules", () => {
		expect(
			readerTextOfMessages(
				[
					{ content: 'a', node_title: 'Out' },
					{ content: '{"output":"b"}', node_title: 'End' },
				],
				'messages',
			),
		).toBe('a\n\nb');
		expect(readerTextOfMessages([{ content: 'a', node_title: 'Out' }], 'none')).toBe('');
	});
});
