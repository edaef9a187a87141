import { CozeError } from '../../nodes/Coze/transport/http/coze-error';
import type { CozeStreamEvent } from '../../nodes/Coze/transport/protocols/workflow-events';
import { collectRun, RunFailure } from '../../nodes/Coze/transport/protocols/run-collector';

/** The events one per batch, as a slow stream delivers them. */
async function* stream(events: CozeStreamEvent[]): AsyncGenerator<CozeStreamEvent[]> {
	for (const event of events) yield [event];
}

const chunk = (
	uuid: string,
	title: string,
	seq: number,
	content: string,
	finish = false,
	extra = {},
): CozeStreamEvent => ({
	type: 'Message',
	data: {
		node_execute_uuid: uuid,
		node_title: title,
		node_seq_id: String(seq),
		content,
		node_is_finish: finish,
		...extra,
	},
});

async function failed(events: CozeStreamEvent[]): Promise<RunFailure> {
	try {
		await collectRun(stream(events));
	} catch (error) {
		if (error instanceof RunFailure) return error;
		throw error;
	}
	throw new Error('expected the run to fail');
}

describe('collectRun', () => {
	it("joins each node's chunks and lists messages in the order the nodes finished", async () => {
		const run = await collectRun(
			stream([
				chunk('a', 'Writer', 0, 'Once '),
				chunk('b', 'Translator', 0, 'Il était '),
				chunk('a', 'Writer', 1, 'upon a time', true, {
					usage: { token_count: 9, input_count: 4, output_count: 5 },
				}),
				chunk('b', 'Translator', 1, 'une fois', true),
				{ type: 'Done', data: { debug_url: 'https://coze/debug' } },
			]),
		);
		expect(run).toEqual({
			messages: [
				{
					content: 'Once upon a time',
					node_title: 'Writer',
					node_execute_uuid: 'a',
					usage: { token_count: 9, input_count: 4, output_count: 5 },
				},
				{ content: 'Il était une fois', node_title: 'Translator', node_execute_uuid: 'b' },
			].map((message) => expect.objectContaining(message)),
			debugUrl: 'https://coze/debug',
		});
	});

	it('puts chunks that arrive out of order back in node_seq_id order', async () => {
		const run = await collectRun(
			stream([
				chunk('a', 'N', 1, 'world'),
				chunk('a', 'N', 0, 'hello '),
				chunk('a', 'N', 2, '!', true),
				{ type: 'Done', data: {} },
			]),
		);
		expect(run.messages[0].content).toBe('hello world!');
	});

	it('tells apart two runs of the same node without an execution id (a loop)', async () => {
		const loop = (seq: number, content: string, finish = false): CozeStreamEvent => ({
			type: 'Message',
			data: {
				node_title: 'Loop body',
				node_id: '1001',
				node_seq_id: String(seq),
				content,
				node_is_finish: finish,
			},
		});
		const run = await collectRun(
			stream([
				loop(0, 'first '),
				loop(1, 'pass'),
				loop(0, 'second pass', true),
				{ type: 'Done', data: {} },
			]),
		);
		expect(run.messages.map((message) => message.content)).toEqual(['first pass', 'second pass']);
	});

	it('keeps unfinished messages when the run ends (nothing lost)', async () => {
		const run = await collectRun(
			stream([chunk('a', 'Streaming output', 0, 'partial'), { type: 'Done', data: {} }]),
		);
		expect(run.messages.map((message) => message.content)).toEqual(['partial']);
	});

	it('returns an interrupt with the messages before it, ids exact', async () => {
		const run = await collectRun(
			stream([
				chunk('a', 'Intro', 0, 'Let me ask you something', true),
				{
					type: 'Interrupt',
					data: {
						interrupt_data: {
							event_id: '7404830425073352713/6961231853298581504',
							type: 2,
							data: '{"question":"Which city?"}',
						},
						node_title: 'Ask',
					},
				},
				chunk('b', 'Never read', 0, 'x', true),
			]),
		);
		expect(run.interrupt).toEqual({
			event_id: '7404830425073352713/6961231853298581504',
			interrupt_type: 2,
			data: '{"question":"Which city?"}',
			question: 'Which city?',
			node_title: 'Ask',
			required_parameters: undefined,
			debug_url: undefined,
		});
		expect(run.messages.map((message) => message.content)).toEqual(['Let me ask you something']);
	});

	it('fails on an Error event with its code, message and debug URL, keeping the messages before it', async () => {
		const failure = await failed([
			chunk('a', 'Step 1', 0, 'done', true),
			{
				type: 'Error',
				data: {
					error_code: 720701013,
					error_message: 'node timeout',
					debug_url: 'https://coze/debug',
				},
			},
		]);
		expect(failure.failure).toBeInstanceOf(CozeError);
		expect(failure.failure).toMatchObject({
			cozeCode: 720701013,
			debugUrl: 'https://coze/debug',
			message: 'The Coze workflow failed with error 720701013: node timeout',
		});
		expect(failure.messages.map((message) => message.content)).toEqual(['done']);
	});

	it('fails a stream that ends without Done or Interrupt, saying how many messages had arrived', async () => {
		const failure = await failed([chunk('a', 'A', 0, 'one', true), chunk('b', 'B', 0, 'two')]);
		expect((failure.failure as Error).message).toBe(
			'The Coze stream ended before the workflow finished: no Done or Interrupt event came, after 2 messages',
		);
		expect(failure.messages.map((message) => message.content)).toEqual(['one', 'two']);
	});

	it('keeps the messages when the connection breaks mid-stream', async () => {
		async function* broken(): AsyncGenerator<CozeStreamEvent[]> {
			yield [chunk('a', 'A', 0, 'kept', true)];
			throw new CozeError('The connection to Coze broke while the workflow was streaming', {
				kind: 'network',
			});
		}
		const failure = (await collectRun(broken()).catch((error: unknown) => error)) as RunFailure;
		expect(failure).toBeInstanceOf(RunFailure);
		expect((failure.failure as CozeError).kind).toBe('network');
		expect(failure.messages.map((message) => message.content)).toEqual(['kept']);
	});
});
