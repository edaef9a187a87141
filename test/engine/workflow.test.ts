import { encodeEvents } from '../simulator/event-stream';
import { stopSimulator } from '../simulator/stop';
import { CozeSimulator } from '../simulator/server';
import type { Flavour } from '../simulator/flavours';
import { ServerStream } from '../simulator/shapes';
import { DEBUG_URL, messageChunks, numbered, type SimWorkflow } from '../simulator/workflows';
import {
	COZE_TYPE,
	cozeCredentials,
	runWorkflow,
	useBinaryMode,
	type Edge,
	type TestNode,
} from './harness';

const WORKFLOW_ID = '7404830425073352713';
const EVENT_ID = '7404830425073352999/6961231853298581504';

/** Start → Input (items) → Coze (Run) → Messages / Interrupts collectors. */
function runWorkflowGraph(sim: CozeSimulator, coze: Partial<TestNode>, inputs: object[] = [{}]) {
	const nodes: TestNode[] = [
		{ name: 'Start', type: 'test.start' },
		{
			name: 'Input',
			type: 'test.fixedItems',
			parameters: { items: JSON.stringify(inputs.map((json) => ({ json }))) },
		},
		{
			name: 'Coze',
			type: COZE_TYPE,
			parameters: {
				resource: 'workflow',
				operation: 'run',
				workflowId: WORKFLOW_ID,
				parameters: '{"city":"Hangzhou"}',
			},
			...coze,
		},
		{ name: 'On Messages', type: 'test.collect' },
		{ name: 'On Interrupts', type: 'test.collect' },
	];
	const edges: Edge[] = [
		['Start', 0, 'Input'],
		['Input', 0, 'Coze'],
		['Coze', 0, 'On Messages'],
		['Coze', 1, 'On Interrupts'],
	];
	return { nodes, edges, credentials: cozeCredentials(sim.baseUrl, sim.token) };
}

/** Run → Interrupts → Answer (sets resume_data) → Resume: the human-in-the-loop wiring. */
function runAnswerResumeGraph(sim: CozeSimulator, answer: string) {
	const graph = runWorkflowGraph(sim, {});
	graph.nodes.push(
		{
			name: 'Answer',
			type: 'test.set',
			parameters: { fields: JSON.stringify({ resume_data: answer }) },
		},
		{ name: 'Resume', type: COZE_TYPE, parameters: { resource: 'workflow', operation: 'resume' } },
	);
	graph.edges.push(['Coze', 1, 'Answer'], ['Answer', 0, 'Resume']);
	return graph;
}

const answering: SimWorkflow = {
	run: (body) => ({
		stream: numbered([
			...messageChunks({ title: 'Weather', uuid: 'n1', type: 'LLM' }, [
				'Sunny in ',
				String((body.parameters as { city: string }).city),
				', 25°C ☀️',
			]),
			{ event: 'PING', data: {} },
			...messageChunks({ title: 'End', uuid: 'n2', type: 'End' }, ['{"output":"穿短袖"}'], {
				usage: { token_count: 30, input_count: 10, output_count: 20 },
			}),
			{ event: 'Done', data: { debug_url: DEBUG_URL } },
		]),
		shape: {
			lineEnding: '\r\n',
			idWithoutSpace: true,
			splitAt: (bytes) => Array.from({ length: bytes.length / 5 }, (_, i) => (i + 1) * 5),
		},
	}),
};

/** A workflow that greets, then asks which city (its question as each server sends it), and answers once resumed. */
const asking = (flavour: Flavour): SimWorkflow => ({
	run: () => ({
		stream: numbered(
			new ServerStream(flavour)
				.message({ title: 'Greeter', id: '100001', uuid: 'g1' }, ['Hello! '])
				.question('Which city?', EVENT_ID, DEBUG_URL).events,
		),
	}),
	resume: (body) => ({
		stream: numbered(
			new ServerStream(flavour)
				.message({ title: 'End', id: '900001', uuid: 'e1', type: 'End' }, [
					`{"output":"Weather for ${String(body.resume_data)}: rain"}`,
				])
				.done(DEBUG_URL).events,
		),
	}),
});

describe.each(['cloud', 'studio'] as const)(
	'Workflow → Run through the n8n engine (%s)',
	(flavour) => {
		let sim: CozeSimulator;
		beforeAll(async () => {
			await useBinaryMode('memory');
		});
		beforeEach(async () => (sim = await CozeSimulator.start({ flavour })));
		afterEach(() => stopSimulator(sim));

		it('joins the streamed chunks into one item per node message on the Messages output', async () => {
			sim.defineWorkflow(WORKFLOW_ID, answering);
			const result = await runWorkflow(runWorkflowGraph(sim, {}));
			expect(result.run.status).toBe('success');
			expect(result.output('Coze', 0).map((item) => item.json)).toEqual([
				{
					content: 'Sunny in Hangzhou, 25°C ☀️',
					node_title: 'Weather',
					node_type: 'LLM',
					node_execute_uuid: 'n1',
					content_type: 'text',
					debug_url: DEBUG_URL,
					workflow_id: WORKFLOW_ID,
				},
				{
					content: '{"output":"穿短袖"}',
					parsed: { output: '穿短袖' },
					node_title: 'End',
					node_type: 'End',
					node_execute_uuid: 'n2',
					content_type: 'text',
					usage: { token_count: 30, input_count: 10, output_count: 20 },
					debug_url: DEBUG_URL,
					workflow_id: WORKFLOW_ID,
				},
			]);
			expect(result.output('Coze', 0).map((item) => item.pairedItem)).toEqual([
				{ item: 0 },
				{ item: 0 },
			]);
			expect(result.output('Coze', 1)).toEqual([]);
			expect(result.output('On Messages')).toHaveLength(2);
			expect(sim.bodiesOf('/v1/workflow/stream_run')).toEqual([
				{ workflow_id: WORKFLOW_ID, parameters: { city: 'Hangzhou' } },
			]);
		});

		it('sends the interrupt out of the Interrupts output, ids exact, and nothing to Messages', async () => {
			sim.defineWorkflow(WORKFLOW_ID, asking(sim.flavour));
			const result = await runWorkflow(runWorkflowGraph(sim, {}));
			expect(result.output('Coze', 0)).toEqual([]);
			const [interrupt] = result.output('On Interrupts');
			expect(interrupt.json).toMatchObject({
				workflow_id: WORKFLOW_ID,
				event_id: EVENT_ID,
				interrupt_type: 2,
				question: 'Which city?',
			});
			expect(interrupt.json.messages).toEqual(
				expect.arrayContaining([
					expect.objectContaining({ content: 'Hello! ', node_title: 'Greeter' }),
				]),
			);
			if (flavour === 'cloud') {
				// cozepy's fixture: the question came as a message of the question node, and data is "".
				expect(interrupt.json).toMatchObject({ data: '', node_title: '问答' });
			} else {
				// question_answer.go: the conversation is in data; Studio names no node.
				expect(JSON.parse(interrupt.json.data as string)).toMatchObject({
					messages: [{ type: 'question', content: 'Which city?' }],
				});
				expect(interrupt.json).toMatchObject({ debug_url: DEBUG_URL });
			}
			expect(result.run.data.resultData.runData['On Messages']).toBeUndefined();
		});
	},
);

describe('Workflow → Run, Resume and failures', () => {
	let sim: CozeSimulator;
	beforeAll(async () => {
		await useBinaryMode('memory');
	});
	beforeEach(async () => (sim = await CozeSimulator.start()));
	afterEach(() => stopSimulator(sim));

	it('answers an interrupt and resumes, all in one execution: Run → Interrupts → Set → Resume', async () => {
		sim.defineWorkflow(WORKFLOW_ID, asking(sim.flavour));
		const result = await runWorkflow(runAnswerResumeGraph(sim, 'Beijing'));

		expect(result.run.status).toBe('success');
		expect(sim.bodiesOf('/v1/workflow/stream_resume')).toEqual([
			{ workflow_id: WORKFLOW_ID, event_id: EVENT_ID, interrupt_type: 2, resume_data: 'Beijing' },
		]);
		expect(result.output('Resume', 0).map((item) => item.json.parsed)).toEqual([
			{ output: 'Weather for Beijing: rain' },
		]);
		expect(result.output('Resume', 1)).toEqual([]);
	});

	it("sends a resume that interrupts again out of Resume's Interrupts output", async () => {
		const second = '7404830425073352999/7000000000000000002';
		sim.defineWorkflow(WORKFLOW_ID, {
			...asking(sim.flavour),
			// An input node (type 5); its data is Coze Studio's form_schema shape (nodes/receiver/input_receiver.go):
			// no fixture shows the cloud's.
			resume: () => ({
				stream: numbered([
					{
						event: 'Interrupt',
						data: {
							interrupt_data: {
								event_id: second,
								type: 5,
								data: '{"content_type":"form_schema","content":"[{\\"name\\":\\"date\\",\\"type\\":\\"string\\"}]"}',
							},
							node_title: 'Ask date',
						},
					},
				]),
			}),
		});
		const result = await runWorkflow(runAnswerResumeGraph(sim, 'Beijing'));
		expect(result.output('Resume', 0)).toEqual([]);
		expect(
			result.output('Resume', 1).map((item) => [item.json.event_id, item.json.interrupt_type]),
		).toEqual([[second, 5]]);
	});

	it('keeps interrupt items out of n8n\'s error output ("On Error: Continue (using error output)")', async () => {
		sim.defineWorkflow(WORKFLOW_ID, asking(sim.flavour));
		const graph = runWorkflowGraph(sim, { onError: 'continueErrorOutput' });
		graph.nodes.push({ name: 'On Error', type: 'test.collect' });
		graph.edges.push(['Coze', 2, 'On Error']);
		const result = await runWorkflow(graph);
		expect(result.output('Coze', 1)).toHaveLength(1);
		expect(result.output('Coze', 2)).toEqual([]);
	});

	it("sends a failed run's error item to n8n's error output, with Coze's details", async () => {
		sim.defineWorkflow(WORKFLOW_ID, {
			run: () => ({
				stream: numbered([
					{
						event: 'Error',
						data: { error_code: 4000, error_message: 'bad input', debug_url: DEBUG_URL },
					},
				]),
			}),
		});
		const graph = runWorkflowGraph(sim, { onError: 'continueErrorOutput' });
		graph.nodes.push({ name: 'On Error', type: 'test.collect' });
		graph.edges.push(['Coze', 2, 'On Error']);
		const result = await runWorkflow(graph);
		expect(result.output('Coze', 0)).toEqual([]);
		const [errorItem] = result.output('On Error');
		expect(errorItem.json).toMatchObject({
			error: 'The Coze workflow failed with error 4000: bad input',
			details: { code: 4000, debug_url: DEBUG_URL },
		});
	});

	it.each([
		['eachMessage', ['Sunny in Hangzhou, 25°C ☀️', '{"output":"穿短袖"}']],
		['lastMessage', ['{"output":"穿短袖"}']],
	])('with Output "%s" gives those messages', async (outputMode, contents) => {
		sim.defineWorkflow(WORKFLOW_ID, answering);
		const result = await runWorkflow(
			runWorkflowGraph(sim, {
				parameters: {
					resource: 'workflow',
					operation: 'run',
					workflowId: WORKFLOW_ID,
					parameters: '{"city":"Hangzhou"}',
					options: { outputMode },
				},
			}),
		);
		expect(result.output('Coze', 0).map((item) => item.json.content)).toEqual(contents);
	});

	it('with Output "allMessages" gives one item holding the list', async () => {
		sim.defineWorkflow(WORKFLOW_ID, answering);
		const result = await runWorkflow(
			runWorkflowGraph(sim, {
				parameters: {
					resource: 'workflow',
					operation: 'run',
					workflowId: WORKFLOW_ID,
					parameters: '{"city":"Hangzhou"}',
					options: { outputMode: 'allMessages' },
				},
			}),
		);
		const [item] = result.output('Coze', 0);
		expect(
			(item.json.messages as Array<{ content: string }>).map((message) => message.content),
		).toEqual(['Sunny in Hangzhou, 25°C ☀️', '{"output":"穿短袖"}']);
		expect(item.json).toMatchObject({ debug_url: DEBUG_URL, workflow_id: WORKFLOW_ID });
	});

	it('runs each input item on its own and keeps input order, parameters from expressions', async () => {
		sim.defineWorkflow(WORKFLOW_ID, answering);
		const graph = runWorkflowGraph(
			sim,
			{
				parameters: {
					resource: 'workflow',
					operation: 'run',
					workflowId: WORKFLOW_ID,
					parameters: '={{ { city: $json.city } }}',
					options: {
						outputMode: 'lastMessage',
						botId: '7350000000000000001',
						ext: { user_id: 'u-1', latitude: '30.27' },
					},
				},
			},
			[{ city: 'Hangzhou' }, { city: 'Shanghai' }, { city: 'Shenzhen' }],
		);
		const result = await runWorkflow(graph);
		expect(result.output('Coze', 0).map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
			{ item: 2 },
		]);
		expect(sim.bodiesOf('/v1/workflow/stream_run')).toEqual(
			['Hangzhou', 'Shanghai', 'Shenzhen'].map((city) => ({
				workflow_id: WORKFLOW_ID,
				parameters: { city },
				bot_id: '7350000000000000001',
				ext: { user_id: 'u-1', latitude: '30.27' },
			})),
		);
	});

	it('fails on an Error event with its code, message and debug URL', async () => {
		sim.defineWorkflow(WORKFLOW_ID, {
			run: () => ({
				stream: numbered([
					...messageChunks({ title: 'Step 1', uuid: 's1' }, ['half done']),
					{
						event: 'Error',
						data: {
							error_code: 720701013,
							error_message: 'LLM node timed out',
							debug_url: DEBUG_URL,
						},
					},
				]),
			}),
		});
		const result = await runWorkflow(runWorkflowGraph(sim, {}));
		expect(result.run.status).toBe('error');
		expect(result.nodeError('Coze')).toMatchObject({
			message: 'The Coze workflow failed with error 720701013: LLM node timed out',
			description: `See the run in Coze: ${DEBUG_URL}\n\n1 message had arrived before the failure.\n\nWith the node's Settings → On Error → Continue, they come out as items instead, each failed item as an error item.`,
		});
	});

	it('with Continue on Fail, gives the messages that arrived, then the error item, then runs the next input', async () => {
		sim.defineWorkflow(WORKFLOW_ID, {
			run: (body) =>
				(body.parameters as { city: string }).city === 'Atlantis'
					? {
							stream: numbered([
								...messageChunks({ title: 'Step 1', uuid: 's1' }, ['looking…']),
								{
									event: 'Error',
									data: { error_code: 5000, error_message: 'no such city', debug_url: DEBUG_URL },
								},
							]),
						}
					: answering.run!(body),
		});
		const graph = runWorkflowGraph(
			sim,
			{
				onError: 'continueRegularOutput',
				parameters: {
					resource: 'workflow',
					operation: 'run',
					workflowId: WORKFLOW_ID,
					parameters: '={{ { city: $json.city } }}',
					options: { outputMode: 'lastMessage' },
				},
			},
			[{ city: 'Atlantis' }, { city: 'Hangzhou' }],
		);
		const result = await runWorkflow(graph);
		expect(
			result
				.output('Coze', 0)
				.map((item) => [item.json.content ?? item.json.error, item.pairedItem]),
		).toEqual([
			['looking…', { item: 0 }],
			['The Coze workflow failed with error 5000: no such city', { item: 0 }],
			['{"output":"穿短袖"}', { item: 1 }],
		]);
		expect(result.output('Coze', 0)[1].json.details).toMatchObject({
			code: 5000,
			debug_url: DEBUG_URL,
		});
	});

	it('fails a stream that ends without Done, saying how many messages had arrived', async () => {
		const events = numbered([
			...messageChunks({ title: 'A', uuid: 'a' }, ['one']),
			...messageChunks({ title: 'B', uuid: 'b' }, ['two', 'three']),
		]);
		sim.defineWorkflow(WORKFLOW_ID, { run: () => ({ stream: events }) });
		const result = await runWorkflow(runWorkflowGraph(sim, {}));
		expect(result.nodeError('Coze')?.message).toBe(
			'The Coze stream ended before the workflow finished: no Done or Interrupt event came, after 2 messages',
		);
	});

	it('fails a connection cut inside an event, and with Continue on Fail keeps what arrived', async () => {
		const events = numbered([
			...messageChunks({ title: 'A', uuid: 'a' }, ['one']),
			...messageChunks({ title: 'B', uuid: 'b' }, ['two', 'three']),
			{ event: 'Done', data: {} },
		]);
		const body = encodeEvents(events);
		const insideThirdEvent = body.indexOf('"three"');
		sim.defineWorkflow(WORKFLOW_ID, {
			run: () => ({ stream: events, shape: { cutAfterBytes: insideThirdEvent } }),
		});
		const result = await runWorkflow(runWorkflowGraph(sim, { onError: 'continueRegularOutput' }));
		expect(result.output('Coze', 0).map((item) => item.json.content ?? item.json.error)).toEqual([
			'one',
			'two',
			'The connection to Coze broke while the workflow was streaming',
		]);
	});

	it('shows the JSON error body Coze sends instead of a stream', async () => {
		// No workflow defined: the simulator answers as Coze does for an unpublished one.
		const result = await runWorkflow(runWorkflowGraph(sim, {}));
		expect(result.nodeError('Coze')?.message).toMatch(
			new RegExp(
				`^Coze error 4200: workflow ${WORKFLOW_ID} not found or not published \\(log id \\d+\\)$`,
			),
		);
		expect(result.nodeError('Coze')?.description).toMatch(/must be published/);
	});

	it('refuses Bot ID and App ID together before sending anything', async () => {
		const result = await runWorkflow(
			runWorkflowGraph(sim, {
				parameters: {
					resource: 'workflow',
					operation: 'run',
					workflowId: WORKFLOW_ID,
					options: { botId: '1', appId: '2' },
				},
			}),
		);
		expect(result.nodeError('Coze')?.message).toBe('Bot ID and App ID cannot both be set');
		expect(sim.requests).toHaveLength(0);
	});

	it('names the Parameters field and shows where its JSON breaks', async () => {
		const result = await runWorkflow(
			runWorkflowGraph(sim, {
				parameters: {
					resource: 'workflow',
					operation: 'run',
					workflowId: WORKFLOW_ID,
					parameters: '{\n  "city": "Hangzhou",\n  "days": 3,,\n}',
				},
			}),
		);
		expect(result.nodeError('Coze')?.message).toMatch(
			/^Parameters is not valid JSON: .*\(line 3, column 13\)$/,
		);
		const notObject = await runWorkflow(
			runWorkflowGraph(sim, {
				parameters: {
					resource: 'workflow',
					operation: 'run',
					workflowId: WORKFLOW_ID,
					parameters: '["Hangzhou"]',
				},
			}),
		);
		expect(notObject.nodeError('Coze')?.message).toBe('Parameters must be a JSON object');
		expect(sim.requests).toHaveLength(0);
	});

	it('stops the stream at once when the execution is stopped: the server sees the connection close', async () => {
		const closed = sim.nextStreamClosedByClient();
		let cancel: () => void = () => undefined;
		sim.defineWorkflow(WORKFLOW_ID, {
			run: () => ({
				stream: numbered([
					...messageChunks(
						{ title: 'Slow', uuid: 's' },
						Array.from({ length: 50 }, (_, i) => `chunk ${i} `),
					),
					{ event: 'Done', data: {} },
				]),
				shape: { delayMs: 20, onWrite: (index) => void (index === 3 && cancel()) },
			}),
		});
		const result = await runWorkflow({
			...runWorkflowGraph(sim, {}),
			onStart: (execution) => (cancel = execution.cancel),
		});
		await closed;
		expect(result.run.status).toBe('canceled');
	});

	it('runs synchronously when asked, one message with the answer', async () => {
		sim.defineWorkflow(WORKFLOW_ID, {
			blockingRun: () => ({
				json: {
					code: 0,
					msg: '',
					data: '{"output":"sync answer"}',
					execute_id: '7404830425073350001',
					debug_url: DEBUG_URL,
					usage: { token_count: 3 },
				},
			}),
		});
		const result = await runWorkflow(
			runWorkflowGraph(sim, {
				parameters: {
					resource: 'workflow',
					operation: 'run',
					workflowId: WORKFLOW_ID,
					options: { runMode: 'sync' },
				},
			}),
		);
		expect(result.output('Coze', 0).map((item) => item.json)).toEqual([
			{
				content: '{"output":"sync answer"}',
				parsed: { output: 'sync answer' },
				node_title: 'End',
				usage: { token_count: 3 },
				debug_url: DEBUG_URL,
				workflow_id: WORKFLOW_ID,
				execute_id: '7404830425073350001',
			},
		]);
		expect(sim.bodiesOf('/v1/workflow/run')[0]).not.toHaveProperty('is_async');
	});
});

describe.each(['cloud', 'studio'] as const)(
	'Workflow → Run asynchronously, polling the run history (%s)',
	(flavour) => {
		let sim: CozeSimulator;
		beforeEach(async () => (sim = await CozeSimulator.start({ flavour })));
		afterEach(() => stopSimulator(sim));

		it('polls until Success and keeps the 19-digit execute_id exact', async () => {
			const executeId = '7404830425073352713';
			const done =
				flavour === 'studio'
					? `{"code":0,"msg":"","data":[{"execute_id":${executeId},"execute_status":"Success","output":"{\\"output\\":\\"later\\"}","debug_url":"${DEBUG_URL}"}]}`
					: {
							execute_id: executeId,
							execute_status: 'Success',
							output: '{"output":"later"}',
							debug_url: DEBUG_URL,
						};
			sim.defineWorkflow(WORKFLOW_ID, {
				blockingRun: () => ({
					json: { code: 0, msg: '', execute_id: executeId, debug_url: DEBUG_URL },
				}),
				history: [{ execute_id: executeId, execute_status: 'Running' }, done],
			});
			const result = await runWorkflow(
				runWorkflowGraph(sim, {
					parameters: {
						resource: 'workflow',
						operation: 'run',
						workflowId: WORKFLOW_ID,
						options: { runMode: 'async', pollIntervalSeconds: 0.05 },
					},
				}),
			);
			expect(result.output('Coze', 0).map((item) => item.json)).toEqual([
				expect.objectContaining({
					content: '{"output":"later"}',
					parsed: { output: 'later' },
					execute_id: executeId,
				}),
			]);
			expect(sim.bodiesOf('/v1/workflow/run')[0]).toMatchObject({ is_async: true });
		});

		it('stops polling at Max Wait, saying the run is still going on in Coze and where to follow it', async () => {
			const executeId = '7404830425073350003';
			sim.defineWorkflow(WORKFLOW_ID, {
				blockingRun: () => ({
					json: { code: 0, msg: '', execute_id: executeId, debug_url: DEBUG_URL },
				}),
				history: [{ execute_id: executeId, execute_status: 'Running' }],
			});
			// Once the history has been read, every clock reading is 2 minutes on: Max Wait has passed.
			const realNow = Date.now.bind(Date);
			let ahead = 0;
			sim.observe({
				request: (request) => void (request.method === 'GET' && (ahead = 2 * 60_000)),
			});
			const now = jest.spyOn(Date, 'now').mockImplementation(() => realNow() + ahead);
			let result: Awaited<ReturnType<typeof runWorkflow>>;
			try {
				result = await runWorkflow(
					runWorkflowGraph(sim, {
						parameters: {
							resource: 'workflow',
							operation: 'run',
							workflowId: WORKFLOW_ID,
							options: { runMode: 'async', pollIntervalSeconds: 1, maxWaitMinutes: 2 },
						},
					}),
				);
			} finally {
				now.mockRestore();
			}
			expect(result.nodeError('Coze')).toMatchObject({
				message: `The Coze run ${executeId} was still running after 2 minutes`,
				description: `Raise Max Wait in the node's options, or follow the run in Coze: ${DEBUG_URL}`,
			});
			expect(sim.bodiesOf('/v1/workflow/run')).toHaveLength(1);
		});

		it("fails with the run's error when the history says Fail", async () => {
			sim.defineWorkflow(WORKFLOW_ID, {
				blockingRun: () => ({ json: { code: 0, msg: '', execute_id: '7404830425073350002' } }),
				history: [
					{
						execute_status: 'Fail',
						error_code: '720702002',
						error_message: 'plugin quota exceeded',
					},
				],
			});
			const result = await runWorkflow(
				runWorkflowGraph(sim, {
					parameters: {
						resource: 'workflow',
						operation: 'run',
						workflowId: WORKFLOW_ID,
						options: { runMode: 'async', pollIntervalSeconds: 0.05 },
					},
				}),
			);
			expect(result.nodeError('Coze')?.message).toBe(
				'The Coze run 7404830425073350002 failed with error 720702002: plugin quota exceeded',
			);
		});
	},
);
