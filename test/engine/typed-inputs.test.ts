// Version 2 at run time, through n8n's engine: the workflow from a resource locator (list, URL,
// ID), the inputs from the mapper (each read by Coze's type, every digit kept, files from URLs,
// file refs or binary fields), the JSON mode, and what each wrong value is told.
import type { INodeParameters } from 'n8n-workflow';

import { fieldOfInput } from '../../nodes/Coze/shared/input-fields';
import type { CozeInputParameter } from '../../nodes/Coze/transport/protocols/workflow-catalog';
import { cozeGraph, okStream, WORKFLOW_ID } from '../faults/graph';
import { CozeSimulator } from '../simulator/server';
import { stopSimulator } from '../simulator/stop';
import type { GeneratedFile } from './fixture-nodes';
import { runWorkflow, useBinaryMode } from './harness';

const INPUTS: Record<string, CozeInputParameter> = {
	name: { type: 'string', required: true },
	age: { type: 'integer' },
	score: { type: 'number' },
	vip: { type: 'boolean' },
	tags: { type: 'array', items: { type: 'string' } },
	profile: { type: 'object' },
	photo: { type: 'image' },
};
/** The schema n8n's editor saves with the mapper: the fields getWorkflowInputs gave it. */
const SCHEMA = Object.entries(INPUTS).map(([name, parameter]) => fieldOfInput(name, parameter));

const mapped = (
	value: Record<string, unknown>,
	mappingMode = 'defineBelow',
	schema = SCHEMA,
): INodeParameters =>
	({
		inputMode: 'fields',
		inputs: {
			mappingMode,
			value,
			matchingColumns: [],
			schema,
			attemptToConvertTypes: false,
			convertFieldsToString: true,
		},
	}) as unknown as INodeParameters;
const locator = (mode: string, value: string) => ({ __rl: true, mode, value });

/** The raw JSON text the simulator received for the run (its every digit). */
const runBodyText = (sim: CozeSimulator) =>
	sim.requests
		.filter((request) => request.path === '/v1/workflow/stream_run')
		.map((request) => request.body ?? '');

describe.each(['cloud', 'studio'] as const)(
	'Version 2: Workflow and Inputs at run time, through the n8n engine (%s)',
	(flavour) => {
		let sim: CozeSimulator;
		beforeAll(() => useBinaryMode('filesystem'));
		beforeEach(async () => {
			sim = await CozeSimulator.start({ flavour });
			sim.defineWorkflow(WORKFLOW_ID, { run: () => okStream('card ready') });
		});
		afterEach(() => stopSimulator(sim));

		it('sends each mapped input as its Coze type: 19-digit integers and numbers exact, booleans, lists and objects as JSON, text from expressions', async () => {
			const run = await runWorkflow(
				cozeGraph(sim, {
					typeVersion: 2,
					inputs: [{ who: 'Ada' }],
					parameters: {
						// As n8n saves a choice from coze.cn's list: the entry's link says the workflow is in no app.
						workflowId: {
							...locator('list', WORKFLOW_ID),
							cachedResultUrl: `https://www.coze.cn/work_flow?space_id=7404830425073300001&workflow_id=${WORKFLOW_ID}`,
						},
						...mapped({
							name: '={{ $json.who }}',
							age: '7404830425073352713',
							score: '0.1000000000000000055511151231257827',
							vip: true,
							tags: '["tea", "books"]',
							profile: '{"city": "Hangzhou", "member_no": 7404830425073352999}',
							photo: 'https://example.com/ada.png',
						}),
					},
				}),
			);
			expect(run.output('Coze').map((item) => item.json.content)).toEqual(['card ready']);
			const [text] = runBodyText(sim);
			expect(text).toContain(`"workflow_id":"${WORKFLOW_ID}"`);
			expect(text).toContain(
				'"parameters":{"name":"Ada","age":7404830425073352713,"score":0.1000000000000000055511151231257827,"vip":true,"tags":["tea", "books"],"profile":{"city": "Hangzhou", "member_no": 7404830425073352999},"photo":"https://example.com/ada.png"}',
			);
			// The run needs nothing of the lists or the workflow's description: what the mapper and the
			// list's choice saved is enough (a choice without a link is read once: app-workflows.test.ts).
			expect(
				sim.requests
					.map((request) => request.path)
					.filter((path) => path === '/v1/workspaces' || /^\/v1\/workflows(\/\d+)?$/.test(path)),
			).toEqual([]);
		});

		it('leaves out inputs without a value, and reads the workflow By URL', async () => {
			await runWorkflow(
				cozeGraph(sim, {
					typeVersion: 2,
					parameters: {
						workflowId: locator(
							'url',
							`https://www.coze.cn/space/7404830425073300001/project-ide/7404830425073300009/workflow/${WORKFLOW_ID}`,
						),
						...mapped({ name: 'Ada', age: '', vip: null }),
					},
				}),
			);
			const [body] = sim.bodiesOf('/v1/workflow/stream_run');
			expect(body).toMatchObject({ workflow_id: WORKFLOW_ID, parameters: { name: 'Ada' } });
			expect(Object.keys(body.parameters as object)).toEqual(['name']);
		});

		it("uploads a file input given as the name of a binary field, and sends what this server's workflows take", async () => {
			const photo: GeneratedFile = {
				bytes: 100_000,
				fileName: 'ada.jpg',
				mimeType: 'image/jpeg',
				field: 'picture',
			};
			await runWorkflow(
				cozeGraph(sim, {
					typeVersion: 2,
					files: [photo],
					parameters: {
						workflowId: locator('id', WORKFLOW_ID),
						...mapped({ name: 'Ada', photo: 'picture' }),
					},
				}),
			);
			expect(sim.uploads.map((upload) => [upload.fileName, upload.complete])).toEqual([
				['ada.jpg', true],
			]);
			const sent = (sim.bodiesOf('/v1/workflow/stream_run')[0].parameters as { photo: string })
				.photo;
			if (flavour === 'cloud')
				expect(JSON.parse(sent)).toEqual({ file_id: expect.stringMatching(/^\d+$/) });
			else expect(sent).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/files\/\d+$/);
		});

		it("maps automatically from the input item's fields of the same names", async () => {
			await runWorkflow(
				cozeGraph(sim, {
					typeVersion: 2,
					inputs: [{ name: 'Bo', age: 31, vip: false, unrelated: 'x' }],
					parameters: { workflowId: locator('id', WORKFLOW_ID), ...mapped({}, 'autoMapInputData') },
				}),
			);
			expect(runBodyText(sim)[0]).toContain('"parameters":{"name":"Bo","age":31,"vip":false}');
		});

		it('keeps Inputs → JSON as typed, digit for digit', async () => {
			await runWorkflow(
				cozeGraph(sim, {
					typeVersion: 2,
					parameters: {
						workflowId: locator('id', WORKFLOW_ID),
						inputMode: 'json',
						parameters: '{"order": 7404830425073352713}',
					},
				}),
			);
			expect(runBodyText(sim)[0]).toContain('"parameters":{"order": 7404830425073352713}');
		});

		// Values from expressions: a fixed value of the wrong type never gets this far, since n8n
		// refuses to start a workflow whose node has issues (the next test).
		it.each([
			[{ age: '={{ "thirty" }}' }, /Input "age" must be a whole number/, /It is "thirty"/],
			[{ age: '={{ 2.5 }}' }, /Input "age" must be a whole number/, /It is number 2.5/],
			[
				{ age: '={{ 7404830425073352713 }}' },
				/Input "age" is the integer 7404830425073353000, beyond what JavaScript holds exactly/,
				/Quote it as a string/,
			],
			[{ score: '={{ "high" }}' }, /Input "score" must be a number/, /It is "high"/],
			[{ vip: '={{ "yes" }}' }, /Input "vip" must be true or false/, /It is "yes"/],
			[{ tags: '={{ \'{"a": 1}\' }}' }, /Input "tags" must be a JSON array/, /\["a", "b"\]/],
			[
				{ profile: '={{ \'{"city": \' }}' },
				/Input "profile" must be a JSON object/,
				/\{"city": "Hangzhou"\}/,
			],
			[
				{ photo: 'selfie' },
				/Input "photo" is a file, and "selfie" is not a URL, a file reference or a binary field of the item/,
				/this item has no binary data/,
			],
		])(
			'refuses %j with an error that names the input and says what it takes',
			async (values, message, description) => {
				const run = await runWorkflow(
					cozeGraph(sim, {
						typeVersion: 2,
						parameters: {
							workflowId: locator('id', WORKFLOW_ID),
							...mapped({ name: 'Ada', ...values }),
						},
					}),
				);
				expect(run.nodeError('Coze')?.message).toMatch(message);
				expect(run.nodeError('Coze')?.description).toMatch(description);
				expect(runBodyText(sim)).toEqual([]);
			},
		);

		it('says which required input is empty, and with Continue on Fail the other items still run', async () => {
			const run = await runWorkflow(
				cozeGraph(sim, {
					typeVersion: 2,
					inputs: [{ who: '' }, { who: 'Ada' }],
					onError: 'continueRegularOutput',
					parameters: {
						workflowId: locator('id', WORKFLOW_ID),
						...mapped({ name: '={{ $json.who }}' }),
					},
				}),
			);
			const [failed, ran] = run.output('Coze');
			expect(failed.json.error).toMatch(
				/Input "name" is required by the workflow and has no value/,
			);
			expect(ran.json.content).toBe('card ready');
			expect(sim.bodiesOf('/v1/workflow/stream_run').map((body) => body.parameters)).toEqual([
				{ name: 'Ada' },
			]);
		});

		it("refuses an address without a workflow ID, saying where to find one: a fixed one before the run (n8n's check), one from an expression at run time", async () => {
			const fixed = 'https://www.coze.cn/space/7404830425073300001/develop';
			await expect(
				runWorkflow(
					cozeGraph(sim, {
						typeVersion: 2,
						parameters: { workflowId: locator('url', fixed), ...mapped({ name: 'Ada' }) },
					}),
				),
			).rejects.toThrow(
				/This address holds no workflow ID: open the workflow in Coze and copy the address bar/,
			);
			const run = await runWorkflow(
				cozeGraph(sim, {
					typeVersion: 2,
					parameters: {
						workflowId: locator('url', `={{ "${fixed}" }}`),
						...mapped({ name: 'Ada' }),
					},
				}),
			);
			expect(run.nodeError('Coze')?.message).toBe(
				`The address "${fixed}" holds no Coze workflow ID`,
			);
			expect(run.nodeError('Coze')?.description).toMatch(/workflow_id=/);
			expect(runBodyText(sim)).toEqual([]);
		});

		it('a fixed value of the wrong type stops the run before it starts, as n8n checks a mapper against its schema', async () => {
			await expect(
				runWorkflow(
					cozeGraph(sim, {
						typeVersion: 2,
						parameters: {
							workflowId: locator('id', WORKFLOW_ID),
							...mapped({ name: 'Ada', score: 'high' }),
						},
					}),
				),
			).rejects.toThrow(/'score' expects a number/);
			expect(runBodyText(sim)).toEqual([]);
		});

		it('Chat (version 2) sends its mapped inputs beside the message; a mapped CONVERSATION_NAME lets Coze find the conversation', async () => {
			sim.defineWorkflow(WORKFLOW_ID, {
				chat: (turn) => ({
					answers: [[`mood: ${String((turn.body.parameters as { mood?: string }).mood)}`]],
				}),
			});
			const schema = [
				fieldOfInput('CONVERSATION_NAME', { type: 'string' }),
				fieldOfInput('mood', { type: 'string' }),
			];
			const run = await runWorkflow(
				cozeGraph(sim, {
					typeVersion: 2,
					operation: 'chat' as 'run',
					parameters: {
						workflowId: locator('list', WORKFLOW_ID),
						message: 'hello',
						conversation: 'new',
						...mapped({ CONVERSATION_NAME: 'support', mood: 'calm' }, 'defineBelow', schema),
					},
				}),
			);
			expect(run.output('Coze').map((item) => item.json.answer)).toEqual(['mood: calm']);
			const [body] = sim.bodiesOf('/v1/workflows/chat');
			expect(body).toMatchObject({
				workflow_id: WORKFLOW_ID,
				parameters: { CONVERSATION_NAME: 'support', mood: 'calm' },
				additional_messages: [expect.objectContaining({ content: 'hello' })],
			});
			expect(sim.requests.filter((request) => request.path === '/v1/conversation/create')).toEqual(
				[],
			);
		});

		it('Resume (version 2) reads the interrupted workflow from the interrupt item by default', async () => {
			sim.defineWorkflow(WORKFLOW_ID, { resume: () => okStream('resumed') });
			const run = await runWorkflow(
				cozeGraph(sim, {
					typeVersion: 2,
					operation: 'resume',
					inputs: [
						{
							workflow_id: WORKFLOW_ID,
							event_id: '7404830425073352999/1',
							interrupt_type: 2,
							resume_data: 'Hangzhou',
						},
					],
					parameters: {
						workflowId: locator('id', '={{ $json.workflow_id }}'),
						eventId: '={{ $json.event_id }}',
						interruptType: '={{ $json.interrupt_type }}',
						resumeData: '={{ $json.resume_data }}',
					},
				}),
			);
			expect(run.output('Coze').map((item) => item.json.content)).toEqual(['resumed']);
			expect(sim.bodiesOf('/v1/workflow/stream_resume')[0]).toMatchObject({
				workflow_id: WORKFLOW_ID,
				event_id: '7404830425073352999/1',
				resume_data: 'Hangzhou',
			});
		});
	},
);
