// Ids and Resume's Interrupt Type as n8n hands them to the node, through its engine: text is
// trimmed; a number from an expression is taken only while JavaScript holds it exactly (a Coze
// id of 19 digits has lost some by then, and is refused as Workflow ID refuses it); an Interrupt
// Type is sent as the JSON number it is written as, every digit kept, and an empty one is refused.
import type { INodeParameters } from 'n8n-workflow';

import { cozeGraph, EVENT_ID, okStream, WORKFLOW_ID } from '../faults/graph';
import { CozeSimulator } from '../simulator/server';
import { stopSimulator } from '../simulator/stop';
import { runWorkflow, useBinaryMode } from './harness';

const CONVERSATION_ID = '7460000000000000001';

/** The raw bodies sent to `path`, as the server received them (every digit). */
const bodyTexts = (sim: CozeSimulator, path: string) =>
	sim.requests.filter((request) => request.path === path).map((request) => request.body ?? '');

describe('Ids and Interrupt Type, through the n8n engine', () => {
	let sim: CozeSimulator;
	// n8n's logger and error reporter, silent, as every engine test has them.
	beforeAll(() => useBinaryMode('memory'));
	beforeEach(async () => {
		sim = await CozeSimulator.start();
		sim.defineWorkflow(WORKFLOW_ID, {
			run: () => okStream('ran'),
			resume: () => okStream('resumed'),
			chat: () => ({ answers: [['hi']] }),
		});
		sim.conversations.set(CONVERSATION_ID, { history: [] });
	});
	afterEach(() => stopSimulator(sim));

	const chat = (parameters: INodeParameters, options: INodeParameters = {}) =>
		cozeGraph(sim, {
			operation: 'chat' as 'run',
			parameters: { workflowId: WORKFLOW_ID, message: 'hello', conversation: 'id', ...parameters },
			options,
		});

	describe('Chat → Conversation ID', () => {
		it('is sent trimmed', async () => {
			const run = await runWorkflow(chat({ conversationId: `  ${CONVERSATION_ID}\n` }));
			expect(run.nodeError('Coze')).toBeUndefined();
			expect(bodyTexts(sim, '/v1/workflows/chat')[0]).toContain(
				`"conversation_id":"${CONVERSATION_ID}"`,
			);
		});

		it("from an expression's number JavaScript cannot hold is refused, naming the field, instead of sent with lost digits", async () => {
			const run = await runWorkflow(chat({ conversationId: `={{ ${CONVERSATION_ID} }}` }));
			expect(run.nodeError('Coze')).toMatchObject({
				message: 'Conversation ID arrived as a number and has lost digits',
				description: expect.stringContaining('Pass it as a string'),
			});
			expect(bodyTexts(sim, '/v1/workflows/chat')).toEqual([]);
		});

		it("from an expression's number JavaScript holds exactly is sent as its digits", async () => {
			sim.conversations.set('74600000000001', { history: [] });
			await runWorkflow(chat({ conversationId: '={{ 74600000000001 }}' }));
			expect(bodyTexts(sim, '/v1/workflows/chat')[0]).toContain(
				'"conversation_id":"74600000000001"',
			);
		});

		it('that is empty is refused, naming the field', async () => {
			const run = await runWorkflow(chat({ conversationId: '   ' }));
			expect(run.nodeError('Coze')?.message).toBe('Conversation ID is empty');
		});
	});

	describe.each([
		['run', 'App ID', 'appId', 'app_id'],
		['run', 'Bot ID', 'botId', 'bot_id'],
		['chat', 'App ID', 'appId', 'app_id'],
		['chat', 'Bot ID', 'botId', 'bot_id'],
	] as const)('%s → Options → %s', (operation, label, option, field) => {
		const graph = (value: string) =>
			operation === 'run'
				? cozeGraph(sim, { options: { [option]: value } })
				: chat({ conversationId: CONVERSATION_ID }, { [option]: value });
		const path = operation === 'run' ? '/v1/workflow/stream_run' : '/v1/workflows/chat';

		it("from an expression's number JavaScript cannot hold is refused, naming the field", async () => {
			const run = await runWorkflow(graph('={{ 7404830425073352713 }}'));
			expect(run.nodeError('Coze')?.message).toBe(
				`Options → ${label} arrived as a number and has lost digits`,
			);
			expect(bodyTexts(sim, path)).toEqual([]);
		});

		it('is sent as its exact digits, trimmed', async () => {
			await runWorkflow(graph(' 7404830425073352799 '));
			expect(bodyTexts(sim, path)[0]).toContain(`"${field}":"7404830425073352799"`);
		});
	});

	describe('Resume → Interrupt Type', () => {
		const resume = (interruptType: string, inputs: object[] = [{}]) =>
			cozeGraph(sim, {
				operation: 'resume',
				inputs,
				parameters: {
					workflowId: WORKFLOW_ID,
					eventId: EVENT_ID,
					interruptType,
					resumeData: 'Hangzhou',
				},
			});

		it.each([
			['2', '2'],
			[' 0005 ', '5'],
			['99999999999999999999', '99999999999999999999'],
			['={{ $json.interrupt_type }}', '2'],
		])('%j is sent as the JSON number %s, every digit kept', async (interruptType, sent) => {
			const run = await runWorkflow(resume(interruptType, [{ interrupt_type: 2 }]));
			expect(run.nodeError('Coze')).toBeUndefined();
			const [body] = bodyTexts(sim, '/v1/workflow/stream_resume');
			expect(() => JSON.parse(body) as unknown).not.toThrow();
			expect(body).toContain(`"interrupt_type":${sent},`);
		});

		// A fixed empty value never gets this far: n8n refuses to start a node whose required parameter is empty.
		const hint = '{{ $json.interrupt_type }}';
		it.each([
			['={{ $json.interrupt_type }}', 'Interrupt Type is empty', hint],
			['={{ "  " }}', 'Interrupt Type is empty', hint],
			['two', 'Interrupt Type must be a whole number', hint],
			['2.5', 'Interrupt Type must be a whole number', hint],
			['-2', 'Interrupt Type must be a whole number', hint],
			[
				'={{ 99999999999999999999 }}',
				'Interrupt Type arrived as a number and has lost digits',
				'Pass it as a string',
			],
		])('%j is refused: %s', async (interruptType, message, description) => {
			const run = await runWorkflow(resume(interruptType));
			expect(run.nodeError('Coze')).toMatchObject({
				message,
				description: expect.stringContaining(description),
			});
			expect(bodyTexts(sim, '/v1/workflow/stream_resume')).toEqual([]);
		});

		it('an empty Resume Data is refused, saying where the answer comes from, before anything is sent', async () => {
			const graph = cozeGraph(sim, {
				operation: 'resume',
				parameters: {
					workflowId: WORKFLOW_ID,
					eventId: EVENT_ID,
					interruptType: '2',
					resumeData: '={{ $json.resume_data }}',
				},
			});
			const run = await runWorkflow(graph);
			expect(run.nodeError('Coze')).toMatchObject({
				message: 'Resume Data is empty',
				description: expect.stringContaining('"resume_data" field'),
			});
			expect(sim.requests).toEqual([]);
		});
	});
});
