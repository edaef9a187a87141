import { cozeGraph, okStream, requestsTo, WORKFLOW_ID } from '../faults/graph';
import { CozeSimulator } from '../simulator/server';
import { stopSimulator } from '../simulator/stop';
import { generatedFileHash, type GeneratedFile } from './fixture-nodes';
import { runWorkflow, useBinaryMode } from './harness';

const PHOTO: GeneratedFile = {
	bytes: 200_000,
	fileName: 'photo.jpg',
	mimeType: 'image/jpeg',
	field: 'photo',
};
const SCAN: GeneratedFile = {
	bytes: 50_000,
	fileName: 'scan.pdf',
	mimeType: 'application/pdf',
	field: 'scan',
};

describe.each(['cloud', 'studio'] as const)(
	'Options → Files From Binary, through the n8n engine (%s)',
	(flavour) => {
		let sim: CozeSimulator;
		beforeAll(() => useBinaryMode('filesystem'));
		beforeEach(async () => {
			sim = await CozeSimulator.start({ flavour });
			sim.defineWorkflow(WORKFLOW_ID, { run: () => okStream('seen') });
		});
		afterEach(() => stopSimulator(sim));

		/** What a workflow's file input takes on this server: {"file_id"} on the cloud, the URL on Studio. */
		const refOf = (index: number) => {
			const upload = sim.uploads[index];
			expect(upload.complete).toBe(true);
			return upload;
		};

		it("uploads the mapped files first, then runs with each parameter given what this server's workflows take; typed Parameters keep every digit", async () => {
			const run = await runWorkflow(
				cozeGraph(sim, {
					files: [PHOTO, SCAN],
					parameters: { parameters: '{"order_id": 7404830425073352713}' },
					options: {
						filesFromBinary: {
							files: [
								{ binaryField: 'photo', parameter: 'image' },
								{ binaryField: 'scan', parameter: 'docs' },
								{ binaryField: 'photo', parameter: 'docs' },
							],
						},
					},
				}),
			);
			expect(run.output('Coze').map((item) => item.json.content)).toEqual(['seen']);
			expect(sim.uploads.map((upload) => upload.fileName)).toEqual([
				'photo.jpg',
				'scan.pdf',
				'photo.jpg',
			]);
			for (const [i, file] of [PHOTO, SCAN, PHOTO].entries())
				expect(refOf(i).sha256).toBe(await generatedFileHash(file));
			const [body] = sim.bodiesOf('/v1/workflow/stream_run');
			const parameters = body.parameters as { image: string; docs: string[] };
			if (flavour === 'cloud') {
				expect(JSON.parse(parameters.image)).toEqual({ file_id: expect.stringMatching(/^\d+$/) });
				expect(parameters.docs.map((ref) => Object.keys(JSON.parse(ref) as object))).toEqual([
					['file_id'],
					['file_id'],
				]);
			} else {
				expect(parameters.image).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/files\/\d+$/);
				expect(parameters.docs).toHaveLength(2);
			}
			expect(
				sim.requests.find((request) => request.path === '/v1/workflow/stream_run')?.body,
			).toContain('"order_id": 7404830425073352713');
		});

		it('passes every binary field under its own name with All Binary Fields as Files', async () => {
			await runWorkflow(
				cozeGraph(sim, {
					files: [PHOTO, SCAN],
					parameters: { parameters: '={{ { note: "two files" } }}' },
					options: { allBinaryFiles: true },
				}),
			);
			const [body] = sim.bodiesOf('/v1/workflow/stream_run');
			expect(Object.keys(body.parameters as object).sort()).toEqual(['note', 'photo', 'scan']);
		});

		it('gives Chat the files too', async () => {
			sim.defineWorkflow(WORKFLOW_ID, {
				chat: (turn) => ({
					answers: [[`got ${Object.keys(turn.body.parameters as object).join(', ')}`]],
				}),
			});
			const graph = cozeGraph(sim, {
				files: [PHOTO],
				parameters: {
					conversation: 'new',
					message: 'what is in the photo?',
					parameters: '{"CONVERSATION_NAME":"photos"}',
				},
				options: { allBinaryFiles: true },
			});
			const coze = graph.nodes.find((node) => node.name === 'Coze')!;
			coze.parameters = { ...coze.parameters, operation: 'chat' };
			const run = await runWorkflow(graph);
			expect(run.output('Coze').map((item) => item.json.answer)).toEqual([
				'got CONVERSATION_NAME, photo',
			]);
			expect(sim.uploads).toHaveLength(1);
		});

		it('names the binary field that is missing, and a parameter set twice, before anything is uploaded or run', async () => {
			const missing = await runWorkflow(
				cozeGraph(sim, {
					files: [PHOTO],
					options: { filesFromBinary: { files: [{ binaryField: 'picture', parameter: 'image' }] } },
				}),
			);
			expect(missing.nodeError('Coze')).toMatchObject({
				message: 'Input item 0 has no binary field "picture"',
				description: expect.stringContaining(
					'Its binary fields are: "photo". Set "Options → Files From Binary → Input Binary Field"',
				),
			});
			const twice = await runWorkflow(
				cozeGraph(sim, {
					files: [PHOTO],
					parameters: { parameters: '{"image":"x"}' },
					options: { filesFromBinary: { files: [{ binaryField: 'photo', parameter: 'image' }] } },
				}),
			);
			expect(twice.nodeError('Coze')).toMatchObject({
				message: 'Parameters already sets "image", which Options → Files From Binary also fills',
			});
			expect(requestsTo(sim, '/v1/files/upload')).toBe(0);
			expect(requestsTo(sim, '/v1/workflow/stream_run')).toBe(0);
		});
	},
);
