import type { SimEvent } from './event-stream';

/**
 * The cloud's stream as cozepy recorded it (coze-dev/coze-py tests/testdata/workflow_run_stream_resp.txt,
 * its first run: events 0 to 5, then the Done that ends the file, id 6). The fields are the
 * fixture's, byte for byte in meaning: a Message node titled "Message" in five chunks, then the
 * End node's one message with `"node_title":""`, no node_id, no node_type, and the `cost` and
 * `token` only it carries; Done's data is `{}`.
 */
export function cozepyRecordedRun(): SimEvent[] {
	return [
		{
			id: 0,
			event: 'Message',
			data: { content: 'msg', node_is_finish: false, node_seq_id: '0', node_title: 'Message' },
		},
		{
			id: 1,
			event: 'Message',
			data: { content: '为', node_is_finish: false, node_seq_id: '1', node_title: 'Message' },
		},
		{
			id: 2,
			event: 'Message',
			data: {
				content: '什么小明要带一把尺子去看电影因',
				node_is_finish: false,
				node_seq_id: '2',
				node_title: 'Message',
			},
		},
		{
			id: 3,
			event: 'Message',
			data: {
				content: '为他听说电影很长，怕',
				node_is_finish: false,
				node_seq_id: '3',
				node_title: 'Message',
			},
		},
		{
			id: 4,
			event: 'Message',
			data: { content: '坐不下！', node_is_finish: true, node_seq_id: '4', node_title: 'Message' },
		},
		{
			id: 5,
			event: 'Message',
			data: {
				content: '{"output":"为什么小明要带一把尺子去看电影？因为他听说电影很长，怕坐不下！"}',
				cost: '0.00',
				node_is_finish: true,
				node_seq_id: '0',
				node_title: '',
				token: 0,
			},
		},
		{ id: 6, event: 'Done', data: {} },
	];
}

/** The End node's answer in that recording, as a person reads it. */
export const COZEPY_RECORDED_ANSWER =
	'为什么小明要带一把尺子去看电影？因为他听说电影很长，怕坐不下！';

/**
 * The cloud's bot chat as cozepy recorded it (coze-dev/coze-py@6b0f4cdf
 * tests/testdata/chat_text_stream_resp.txt, the whole file; also the example of coze-sdk-gen
 * docs/api-markdown/chat_v3.md): every field and id as recorded. Sent with
 * `{ fieldsWithoutSpace: true, noFinalLineEnd: true }` it is the file byte for byte: "event:"
 * and "data:" with no space, no id lines, `done` with the quoted data "[DONE]" and no line end
 * after it.
 */
export function cozepyRecordedBotChat(): SimEvent[] {
	const ids = {
		conversation_id: '7381473525342978089',
		bot_id: '7379462189365198898',
	};
	const chat = (status: string, usage = { token_count: 0, output_count: 0, input_count: 0 }) => ({
		id: '7382159487131697202',
		...ids,
		completed_at: 1718792949,
		last_error: { code: 0, msg: '' },
		status,
		usage,
	});
	const message = (content: string) => ({
		id: '7382159494123470858',
		...ids,
		role: 'assistant',
		type: 'answer',
		content,
		content_type: 'text',
		chat_id: '7382159487131697202',
	});
	return [
		{ event: 'conversation.chat.created', data: chat('created') },
		{ event: 'conversation.chat.in_progress', data: chat('in_progress') },
		...['2', '0', '星期三', '。'].map((piece) => ({
			event: 'conversation.message.delta',
			data: message(piece),
		})),
		{ event: 'conversation.message.completed', data: message('2024 年 10 月 1 日是星期三。') },
		{
			event: 'conversation.chat.completed',
			data: chat('completed', { token_count: 633, output_count: 19, input_count: 614 }),
		},
		{ event: 'done', data: '"[DONE]"' },
	];
}

/** That recording's answer: the completed message's whole text (its deltas add up to less, "20星期三。"). */
export const COZEPY_RECORDED_BOT_ANSWER = '2024 年 10 月 1 日是星期三。';
