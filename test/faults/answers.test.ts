// Answers judged by status first, and every odd answer gets its own clear error.
import { gzipSync } from 'node:zlib';

import { COZE_TYPE, cozeCredentials, runWorkflow, useBinaryMode } from '../engine/harness';
import { encodeEvents } from '../simulator/event-stream';
import { stopSimulator } from '../simulator/stop';
import { CozeSimulator } from '../simulator/server';
import { DEBUG_URL, messageChunks, numbered } from '../simulator/workflows';
import { cozeGraph, okStream, requestsTo, WORKFLOW_ID } from './graph';

const validStream = encodeEvents(okStream('fine').stream);

describe('answers judged by their status first', () => {
	let sim: CozeSimulator;
	beforeAll(() => useBinaryMode('memory'));
	beforeEach(async () => (sim = await CozeSimulator.start()));
	afterEach(() => stopSimulator(sim));

	it('reads HTTP 401 sent as text/event-stream with a JSON body as the Coze error it is', async () => {
		sim.override('/v1/workflow/stream_run', (_req, res) => {
			res.writeHead(401, { 'content-type': 'text/event-stream' });
			res.end(JSON.stringify({ code: 4100, msg: 'authentication is invalid' }));
		});
		const result = await runWorkflow(cozeGraph(sim));
		expect(result.nodeError('Coze')?.message).toBe('Coze error 4100: authentication is invalid');
	});

	it('fails HTTP 500 even when its body is a valid event stream', async () => {
		sim.override('/v1/workflow/stream_run', (_req, res) => {
			res.writeHead(500, { 'content-type': 'text/event-stream' });
			res.end(validStream);
		});
		const result = await runWorkflow(cozeGraph(sim));
		expect(result.nodeError('Coze')?.message).toBe(
			'Coze answered HTTP 500 without a Coze error body',
		);
		expect(result.output('Coze', 0)).toEqual([]);
	});

	it('refuses a gzip body it did not ask for, saying so', async () => {
		sim.override('/v1/workflow/stream_run', (_req, res) => {
			res.writeHead(200, { 'content-type': 'text/event-stream', 'content-encoding': 'gzip' });
			res.end(gzipSync(validStream));
		});
		const result = await runWorkflow(cozeGraph(sim));
		expect(result.nodeError('Coze')?.message).toBe(
			'Coze answered with a gzip-encoded body, which the node did not ask for',
		);
	});
});

describe('odd events get specific errors', () => {
	let sim: CozeSimulator;
	beforeAll(() => useBinaryMode('memory'));
	beforeEach(async () => (sim = await CozeSimulator.start()));
	afterEach(() => stopSimulator(sim));

	const streaming = (stream: Parameters<typeof numbered>[0]) =>
		sim.defineWorkflow(WORKFLOW_ID, { run: () => ({ stream: numbered(stream) }) });

	it('an Error event whose error_message is an object', async () => {
		streaming([
			{ event: 'Error', data: { error_code: 5000, error_message: { reason: 'quota exceeded' } } },
		]);
		const result = await runWorkflow(cozeGraph(sim));
		expect(result.nodeError('Coze')?.message).toBe(
			'The Coze workflow failed with error 5000: {"reason":"quota exceeded"}',
		);
	});

	it('an Interrupt with no event_id', async () => {
		streaming([{ event: 'Interrupt', data: {} }]);
		const result = await runWorkflow(cozeGraph(sim));
		expect(result.nodeError('Coze')?.message).toBe(
			'Coze sent an Interrupt without an event_id, so it cannot be answered',
		);
	});

	it('an Interrupt whose type is not a number', async () => {
		streaming([
			{
				event: 'Interrupt',
				data: {
					interrupt_data: { event_id: '7404830425073352999/1', type: 'question', data: '' },
					node_title: 'Ask',
				},
			},
		]);
		const result = await runWorkflow(cozeGraph(sim));
		expect(result.nodeError('Coze')?.message).toBe(
			'Coze sent an Interrupt whose type is not a number',
		);
	});

	it('a repeated event id, keeping what came before it', async () => {
		sim.defineWorkflow(WORKFLOW_ID, {
			run: () => ({
				stream: [
					...numbered(messageChunks({ title: 'A', uuid: 'a' }, ['kept'])),
					{ id: 0, event: 'Message', data: { content: 'again' } },
					{ id: 1, event: 'Done', data: {} },
				],
			}),
		});
		const result = await runWorkflow(cozeGraph(sim, { onError: 'continueRegularOutput' }));
		expect(result.output('Coze', 0).map((item) => item.json.content ?? item.json.error)).toEqual([
			'kept',
			'Coze sent event 0 twice',
		]);
	});

	it('an event id of a million digits is refused without parsing it', async () => {
		const huge = '7'.repeat(1_000_000);
		sim.defineWorkflow(WORKFLOW_ID, {
			run: () => ({
				stream: [
					{ id: huge, event: 'PING', data: {} },
					{ id: huge, event: 'Done', data: {} },
				],
			}),
		});
		const result = await runWorkflow(cozeGraph(sim));
		expect(result.nodeError('Coze')?.message).toBe('Coze sent an event id of 1000000 characters');
	});
});

describe('Max Output Size bounds what one run may hold', () => {
	let sim: CozeSimulator;
	beforeAll(() => useBinaryMode('memory'));
	beforeEach(async () => {
		sim = await CozeSimulator.start();
		const big = (n: number) =>
			messageChunks({ title: `Step ${n}`, uuid: `s${n}` }, [
				'x'.repeat(300 * 1024),
				'y'.repeat(300 * 1024),
			]);
		sim.defineWorkflow(WORKFLOW_ID, {
			run: () => ({
				stream: numbered([
					...big(1),
					...big(2),
					...big(3),
					{ event: 'Done', data: { debug_url: DEBUG_URL } },
				]),
			}),
		});
	});
	afterEach(() => stopSimulator(sim));

	it('fails a run that sends more, saying how much arrived and how to narrow it', async () => {
		const result = await runWorkflow(cozeGraph(sim, { requestOptions: { maxOutputMegabytes: 1 } }));
		expect(result.nodeError('Coze')?.message).toBe(
			'The Coze run sent more than Max Output Size (1 MB) of messages',
		);
		expect(result.nodeError('Coze')?.description).toMatch(
			/^1\.2 MB of message text arrived .* Final Message Only/,
		);
	});

	it('lets the same run through with Final Message Only, which keeps one message', async () => {
		const result = await runWorkflow(
			cozeGraph(sim, {
				requestOptions: { maxOutputMegabytes: 1 },
				options: { outputMode: 'lastMessage' },
			}),
		);
		expect(result.nodeError('Coze')).toBeUndefined();
		expect(result.output('Coze', 0).map((item) => item.json.node_title)).toEqual(['Step 3']);
	});
});

describe('checks before anything is sent', () => {
	let sim: CozeSimulator;
	beforeAll(() => useBinaryMode('memory'));
	beforeEach(async () => (sim = await CozeSimulator.start()));
	afterEach(() => stopSimulator(sim));

	it.each(['..', '../v1/files/upload', '7404830425073352713/..', 'abc'])(
		'refuses Workflow ID %j before it reaches a path',
		async (workflowId) => {
			const result = await runWorkflow(
				cozeGraph(sim, { parameters: { workflowId }, options: { runMode: 'async' } }),
			);
			expect(result.nodeError('Coze')?.message).toBe(
				`Workflow ID "${workflowId}" is not a Coze workflow ID`,
			);
			expect(sim.requests).toHaveLength(0);
		},
	);

	it.each(['../x', '7404830425073352999/6961231853298581504 OR 1', '7404830425073352999/..'])(
		'refuses Event ID %j of a resume',
		async (eventId) => {
			const result = await runWorkflow(
				cozeGraph(sim, { operation: 'resume', parameters: { eventId } }),
			);
			expect(result.nodeError('Coze')?.message).toBe(
				`Event ID "${eventId}" is not a Coze interrupt's event ID`,
			);
			expect(sim.requests).toHaveLength(0);
		},
	);

	it('refuses an execute_id from the server that is not a Coze id, before polling with it', async () => {
		sim.defineWorkflow(WORKFLOW_ID, {
			blockingRun: () => ({ json: { code: 0, msg: '', execute_id: '..' } }),
		});
		const result = await runWorkflow(cozeGraph(sim, { options: { runMode: 'async' } }));
		expect(result.nodeError('Coze')?.message).toBe(
			'Coze started the run but its execute_id ".." is not a Coze id',
		);
		expect(sim.requests.map((request) => request.path)).toEqual(['/v1/workflow/run']);
	});

	it('polls at most once a second, even when Poll Interval comes to 0 through an expression', async () => {
		const executeId = '7404830425073350009';
		sim.defineWorkflow(WORKFLOW_ID, {
			blockingRun: () => ({ json: { code: 0, msg: '', execute_id: executeId } }),
			history: [
				{ execute_id: executeId, execute_status: 'Running' },
				{ execute_id: executeId, execute_status: 'Success', output: '{"output":"done"}' },
			],
		});
		const result = await runWorkflow(
			cozeGraph(sim, { options: { runMode: 'async', pollIntervalSeconds: '={{ 0 }}' } }),
		);
		expect(result.output('Coze', 0).map((item) => item.json.content)).toEqual([
			'{"output":"done"}',
		]);
		const polls = sim.requests.filter((request) => request.path.includes('/run_histories/'));
		expect(polls).toHaveLength(2);
		expect(polls[1].receivedAt - polls[0].receivedAt).toBeGreaterThanOrEqual(950);
	});
});

describe('a local disk error while reading the file to upload', () => {
	let sim: CozeSimulator;
	beforeAll(() => useBinaryMode('filesystem'));
	beforeEach(async () => (sim = await CozeSimulator.start()));
	afterEach(() => stopSimulator(sim));

	it('is reported as local, without a network hint, and not retried', async () => {
		const result = await runWorkflow({
			nodes: [
				{ name: 'Start', type: 'test.start' },
				{
					name: 'Make Binary',
					type: 'test.makeBinary',
					parameters: {
						files: JSON.stringify([{ bytes: 4 * 1024 * 1024, fileName: 'broken.bin' }]),
					},
				},
				{ name: 'Break', type: 'test.breakBinary' },
				{ name: 'Coze', type: COZE_TYPE, parameters: { resource: 'file', operation: 'upload' } },
			],
			edges: [
				['Start', 0, 'Make Binary'],
				['Make Binary', 0, 'Break'],
				['Break', 0, 'Coze'],
			],
			credentials: cozeCredentials(sim.baseUrl, sim.token),
		});
		const error = result.nodeError('Coze');
		expect(error?.message).toBe('Could not read the file "broken.bin" from n8n\'s binary data');
		expect(error?.description).toMatch(/^EISDIR.*Nothing is wrong with Coze/);
		expect(error?.description).not.toMatch(/PROXY/);
		expect(requestsTo(sim, '/v1/files/upload')).toBeLessThanOrEqual(1);
	});
});
