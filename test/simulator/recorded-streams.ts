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
