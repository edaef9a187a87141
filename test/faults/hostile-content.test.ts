// Message content of the wrong type, and JSON nested millions deep: each is a clear error of the
// item that met it (or the content kept as JSON text), and the messages that came before it stay.
//
// No Coze server is known to send these shapes (no evidence): they stand for a broken or hostile
// server, or a proxy that rewrites answers. Coze sends `content` as a string (coze-api.md; the
// cozepy and coze-js fixtures; coze-studio convertStreamRunEvent).
import { runWorkflow, useBinaryMode } from '../engine/harness';
import type { SimEvent } from '../simulator/event-stream';
import { stopSimulator } from '../simulator/stop';
import { CozeSimulator } from '../simulator/server';
import { DEBUG_URL, messageChunks, numbered } from '../simulator/workflows';
import { cozeGraph, okStream, WORKFLOW_ID } from './graph';
import { forgetConversationsOfThisProcess } from '../../nodes/Coze/testing';

const DEPTH = 2_000_000;
/** `[[[[…]]]]`, two million deep: JSON.parse reads it, but any recursion over the value overflows the stack. */
const DEEP_ARRAY_TEXT = `${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}`;

/** One finished Message event whose `content` is `contentJson`, written into the event's JSON as it is. */
const rawMessage = (contentJson: string, title = 'End'): Omit<SimEvent, 'id'> => ({
	event: 'Message',
	data: `{"content":${contentJson},"content_type":"text","node_title":"${title}","node_execute_uuid":"${title}","node_seq_id":"0","node_is_finish":true}`,
});

const firstMessage = messageChunks({ title: 'Step 1', uuid: 's1' }, ['before the odd one']);
const done = { event: 'Done', data: { debug_url: DEBUG_URL } };

describe('Run: message content that is not a string, or nested millions deep', () => {
	let sim: CozeSimulator;
	beforeAll(() => useBinaryMode('memory'));
	beforeEach(async () => (sim = await CozeSimulator.start()));
	afterEach(() => stopSimulator(sim));

	it.each([
		['a number', '42', '42'],
		[
			'an object',
			'{"answer":"yes","n":7404830425073352713}',
			'{"answer":"yes","n":"7404830425073352713"}',
		],
		['a list', '["a",1]', '["a",1]'],
		['true', 'true', 'true'],
		['null (no text)', 'null', ''],
	])('gives content that is %s as text', async (_what, contentJson, content) => {
		sim.defineWorkflow(WORKFLOW_ID, {
			run: () => ({ stream: numbered([...firstMessage, rawMessage(contentJson), done]) }),
		});
		const result = await runWorkflow(cozeGraph(sim));
		expect(result.nodeError('Coze')).toBeUndefined();
		expect(result.output('Coze').map((item) => item.json.content)).toEqual([
			'before the odd one',
			content,
		]);
	});

	it('keeps content that is text of JSON nested two million deep as that text, without reading it as JSON', async () => {
		sim.defineWorkflow(WORKFLOW_ID, {
			run: () => ({
				stream: numbered([
					...firstMessage,
					...messageChunks({ title: 'End', uuid: 'e' }, [DEEP_ARRAY_TEXT]),
					done,
				]),
			}),
		});
		for (const onError of [undefined, 'continueRegularOutput'] as const) {
			const result = await runWorkflow(cozeGraph(sim, { onError }));
			expect(result.nodeError('Coze')).toBeUndefined();
			const items = result.output('Coze');
			expect(items.map((item) => item.json.content === DEEP_ARRAY_TEXT)).toEqual([false, true]);
			expect(items[1].json.parsed).toBeUndefined();
		}
	});

	const deepRun = () =>
		sim.defineWorkflow(WORKFLOW_ID, {
			run: (body) => ({
				stream: numbered(
					(body.parameters as { n: number }).n === 1
						? [...firstMessage, rawMessage(DEEP_ARRAY_TEXT)]
						: okStream('fine').stream,
				),
			}),
		});
	const DEEP_ERROR = 'Coze sent a Message event nested deeper than 128 levels';

	it('fails the item whose Message content is nested two million deep with a clear error naming that item', async () => {
		deepRun();
		const result = await runWorkflow(cozeGraph(sim, { inputs: [{ n: 0 }, { n: 1 }, { n: 2 }] }));
		expect(result.run.status).toBe('error');
		const error = result.nodeError('Coze') as {
			message: string;
			description?: string;
			context?: { itemIndex?: number };
		};
		expect(error.message).toBe(DEEP_ERROR);
		expect(error.context?.itemIndex).toBe(1);
		// Without Continue on Fail n8n keeps no items of a failed node: the error says what had arrived.
		expect(error.description).toContain('1 message had arrived before the failure');
		expect(error.description).toContain(`item 0: finished, ${DEBUG_URL}`);
		expect(error.description).toContain('Not started: item 2.');
	});

	it('fails the item whose synchronous answer is nested two million deep, and with Continue on Fail runs the others', async () => {
		sim.defineWorkflow(WORKFLOW_ID, {
			blockingRun: () => ({
				json: { code: 0, msg: '', data: '{"output":"fine"}', execute_id: '7404830425073350001' },
			}),
		});
		// The first item's answer: its data two million arrays deep.
		sim.override('/v1/workflow/run', (_req, res) => {
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end(`{"code":0,"msg":"","data":${DEEP_ARRAY_TEXT}}`);
		});
		const result = await runWorkflow(
			cozeGraph(sim, {
				inputs: [{ n: 1 }, { n: 0 }],
				options: { runMode: 'sync' },
				onError: 'continueRegularOutput',
			}),
		);
		expect(
			result.output('Coze').map((item) => [item.json.content ?? item.json.error, item.pairedItem]),
		).toEqual([
			['Coze answered with JSON nested deeper than 128 levels', { item: 0 }],
			['{"output":"fine"}', { item: 1 }],
		]);
	});

	it('with Continue on Fail, gives the messages that had arrived, then the error item, and runs the other items', async () => {
		deepRun();
		const result = await runWorkflow(
			cozeGraph(sim, { inputs: [{ n: 0 }, { n: 1 }, { n: 2 }], onError: 'continueRegularOutput' }),
		);
		expect(result.run.status).toBe('success');
		expect(
			result.output('Coze').map((item) => [item.json.content ?? item.json.error, item.pairedItem]),
		).toEqual([
			['fine', { item: 0 }],
			['before the odd one', { item: 1 }],
			[DEEP_ERROR, { item: 1 }],
			['fine', { item: 2 }],
		]);
	});
});

describe('Chat: a delta whose content is not a string, or nested millions deep', () => {
	const CHATFLOW_ID = WORKFLOW_ID;
	let sim: CozeSimulator;
	beforeAll(() => useBinaryMode('memory'));
	beforeEach(async () => {
		forgetConversationsOfThisProcess();
		sim = await CozeSimulator.start();
	});
	afterEach(() => stopSimulator(sim));

	/** A chat turn in the cloud's shapes (cozepy's workflows_chat_stream_resp.txt) whose second delta carries `contentJson`. */
	const chatTurn = (contentJson: string): SimEvent[] => [
		{
			event: 'conversation.chat.created',
			data: { id: 'c1', conversation_id: 'v1', status: 'created' },
		},
		{
			event: 'conversation.message.delta',
			data: {
				id: 'm1',
				conversation_id: 'v1',
				role: 'assistant',
				type: 'answer',
				content: 'It is ',
				content_type: 'text',
			},
		},
		{
			event: 'conversation.message.delta',
			data: `{"id":"m1","conversation_id":"v1","role":"assistant","type":"answer","content":${contentJson},"content_type":"text"}`,
		},
		{
			event: 'conversation.chat.completed',
			data: { id: 'c1', conversation_id: 'v1', status: 'completed' },
		},
		{ event: 'done', data: { debug_url: DEBUG_URL } },
	];
	const chatGraph = (contentJson: string, onError?: 'continueRegularOutput') => {
		sim.defineWorkflow(CHATFLOW_ID, { chat: () => ({ stream: chatTurn(contentJson) }) });
		return cozeGraph(sim, {
			parameters: {
				operation: 'chat',
				workflowId: CHATFLOW_ID,
				conversation: 'new',
				message: 'hi',
				parameters: '{}',
			},
			onError,
		});
	};

	it.each([
		['a number', '42', 'It is 42'],
		['an object', '{"n":1}', 'It is {"n":1}'],
		['null (no text)', 'null', 'It is '],
	])('reads a delta whose content is %s as text', async (_what, contentJson, answer) => {
		const result = await runWorkflow(chatGraph(contentJson));
		expect(result.nodeError('Coze')).toBeUndefined();
		expect(result.output('Coze').map((item) => item.json.answer)).toEqual([answer]);
	});

	it('fails a delta nested two million deep with a clear error, and with Continue on Fail keeps the answer so far', async () => {
		for (const onError of [undefined, 'continueRegularOutput'] as const) {
			const result = await runWorkflow(chatGraph(DEEP_ARRAY_TEXT, onError));
			const error = 'Coze sent a conversation.message.delta event nested deeper than 128 levels';
			if (onError) {
				expect(
					result
						.output('Coze')
						.map((item) => [item.json.answer ?? item.json.error, item.json.status]),
				).toEqual([
					['It is ', 'failed'],
					[error, undefined],
				]);
			} else {
				expect(result.nodeError('Coze')?.message).toBe(error);
			}
		}
	});
});
