import { encodeEvents, type SimEvent } from '../test/simulator/event-stream';

/** Workflow ids the stream benchmark runs, by number of Message events. */
export const STREAM_BENCH_WORKFLOWS: Record<string, number> = {
	'7000000000000010000': 10_000,
	'7000000000000100000': 100_000,
};

const NODES = 10;
// ~450 bytes of content a chunk, mixed scripts as Coze's Chinese users' output is.
const TEXT =
	'Coze 工作流的流式输出：每个节点的消息被分成许多块，按顺序到达。The quick brown fox jumps over the lazy dog. 数据 ✓ '.repeat(
		4,
	);

/** `count` Message events spread over ten nodes (each node's chunks numbered), then Done. */
export function streamBenchBody(count: number): Buffer {
	const perNode = count / NODES;
	const events: SimEvent[] = [];
	for (let i = 0; i < count; i++) {
		const node = Math.floor(i / perNode);
		const seq = i % perNode;
		events.push({
			id: i,
			event: 'Message',
			data: {
				content: TEXT,
				content_type: 'text',
				node_title: `LLM ${node}`,
				node_id: String(100000 + node),
				node_execute_uuid: `7400000000000000${String(node).padStart(3, '0')}`,
				node_seq_id: String(seq),
				node_is_finish: seq === perNode - 1,
			},
		});
	}
	events.push({
		id: count,
		event: 'Done',
		data: { debug_url: 'https://www.coze.cn/work_flow?execute_id=1' },
	});
	return encodeEvents(events);
}
