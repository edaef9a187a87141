// Keys a server sends and names a user types are data, never members of a JavaScript object,
// through n8n's engine: an End node's JSON with keys named __proto__ or constructor reaches the
// item as it was sent, a chat message type named like a member is grouped like any other, and
// a Region, resource or operation named like a member is refused as unknown.
import { cozeGraph, WORKFLOW_ID } from '../faults/graph';
import { ChatStream } from '../simulator/chat-shapes';
import { CozeSimulator } from '../simulator/server';
import { stopSimulator } from '../simulator/stop';
import { DEBUG_URL, messageChunks, numbered } from '../simulator/workflows';
import { runWorkflow, useBinaryMode } from './harness';

/** Own keys and their values, `__proto__` included (JSON.parse makes it an own key, as a server's answer is read). */
const ownEntries = (value: unknown) =>
	Object.keys(value as object).map((key) => [
		key,
		Object.getOwnPropertyDescriptor(value, key)?.value,
	]);

describe('Data named like JavaScript object members, through the n8n engine', () => {
	let sim: CozeSimulator;
	// n8n's logger and error reporter, silent, as every engine test has them.
	beforeAll(() => useBinaryMode('memory'));
	beforeEach(async () => {
		sim = await CozeSimulator.start();
	});
	afterEach(() => stopSimulator(sim));

	it("keeps an End node's JSON keys __proto__, constructor and toString as keys of the item's parsed content", async () => {
		// No evidence of a workflow answering these keys: an End node's variables are the user's own names.
		const content = '{"__proto__":{"polluted":true},"constructor":"c","toString":"t"}';
		sim.defineWorkflow(WORKFLOW_ID, {
			run: () => ({
				stream: numbered([
					...messageChunks({ title: 'End', uuid: 'e' }, [content]),
					{ event: 'Done', data: { debug_url: DEBUG_URL } },
				]),
			}),
		});
		const run = await runWorkflow(cozeGraph(sim));
		const [item] = run.output('Coze');
		expect(item.json.content).toBe(content);
		expect(ownEntries(item.json.parsed)).toEqual([
			['__proto__', { polluted: true }],
			['constructor', 'c'],
			['toString', 't'],
		]);
		expect((item.json.parsed as { polluted?: unknown }).polluted).toBeUndefined();
	});

	it('groups chat messages whose type is named like a member under that type', async () => {
		// A hostile shape without evidence: Coze's message types are answer, follow_up, verbose, … .
		sim.defineWorkflow(WORKFLOW_ID, {
			chat: (turn) => {
				const ids = {
					conversationId: turn.conversationId,
					chatId: '7404830425073352001',
					sectionId: turn.conversationId,
					executeId: '7404830425073352002',
					debugUrl: DEBUG_URL,
				};
				const stream = new ChatStream('cloud', ids)
					.started()
					.answer(['hello'])
					.answer(['c'], 'constructor')
					.answer(['p'], '__proto__')
					.answer(['t'], 'toString');
				return { stream: stream.completed().numbered() };
			},
		});
		const run = await runWorkflow(
			cozeGraph(sim, {
				operation: 'chat' as 'run',
				parameters: { workflowId: WORKFLOW_ID, message: 'hi', conversation: 'new' },
			}),
		);
		expect(run.nodeError('Coze')).toBeUndefined();
		const [item] = run.output('Coze');
		expect(item.json.answer).toBe('hello');
		const byType = item.json.messages as Record<string, Array<{ content: string }>>;
		expect(
			ownEntries(byType).map(([type, messages]) => [
				type,
				(messages as Array<{ content: string }>).map((message) => message.content),
			]),
		).toEqual([
			['answer', ['hello']],
			['constructor', ['c']],
			['__proto__', ['p']],
			['toString', ['t']],
		]);
	});

	it.each(['constructor', 'toString', '__proto__'])(
		'says a credential\'s Region "%s" is unknown',
		async (region) => {
			const graph = cozeGraph(sim);
			const run = await runWorkflow({
				...graph,
				credentials: { cozeApi: { region, accessToken: sim.token } },
			});
			expect(run.nodeError('Coze')?.message).toBe(
				`The Coze API credential has an unknown Region "${region}"`,
			);
		},
	);

	it.each([
		['workflow', 'constructor'],
		['workflow', 'toString'],
		['file', 'constructor'],
	])('says the operation of %s → %s is not supported', async (resource, operation) => {
		const graph = cozeGraph(sim);
		const coze = graph.nodes.find((node) => node.name === 'Coze')!;
		coze.parameters = { ...coze.parameters, resource, operation };
		const run = await runWorkflow(graph);
		expect(run.nodeError('Coze')?.message).toBe(
			`The operation "${operation}" of "${resource}" is not supported`,
		);
		expect(sim.requests).toEqual([]);
	});
});
