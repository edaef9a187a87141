// Uploads cannot be undone: Coze keeps a file three months and has no way to delete it. An item
// that fails after some of its uploads names them (file id and name) in its error, and nothing
// is made in Coze before the uploads that could still fail.
import type { INodeParameters } from 'n8n-workflow';

import { fieldOfInput } from '../../nodes/Coze/shared/input-fields';
import { forgetConversationsOfThisProcess } from '../../nodes/Coze/testing';
import { cozeGraph, okStream, requestsTo, WORKFLOW_ID } from '../faults/graph';
import { stopSimulator } from '../simulator/stop';
import { CozeSimulator } from '../simulator/server';
import type { GeneratedFile } from './fixture-nodes';
import { runWorkflow, useBinaryMode } from './harness';

const PHOTO: GeneratedFile = {
	bytes: 20_000,
	fileName: 'photo.jpg',
	mimeType: 'image/jpeg',
	field: 'photo',
};
const SCAN: GeneratedFile = {
	bytes: 30_000,
	fileName: 'scan.pdf',
	mimeType: 'application/pdf',
	field: 'scan',
};
const TOO_LARGE = 'Coze refused the file "scan.pdf" as too large (HTTP 413)';
const BOTH_FILES = {
	filesFromBinary: {
		files: [
			{ binaryField: 'photo', parameter: 'image' },
			{ binaryField: 'scan', parameter: 'doc' },
		],
	},
};

describe.each(['cloud', 'studio'] as const)('uploads done before an item fails (%s)', (flavour) => {
	let sim: CozeSimulator;
	beforeAll(() => useBinaryMode('filesystem'));
	beforeEach(async () => {
		forgetConversationsOfThisProcess();
		sim = await CozeSimulator.start({ flavour });
		sim.defineWorkflow(WORKFLOW_ID, {
			run: () => okStream('seen'),
			chat: () => ({ answers: [['seen']] }),
		});
	});
	afterEach(() => stopSimulator(sim));

	/** The first upload is taken; the second is refused as Coze Studio's hertz refuses a body over its limit (upload.test.ts). */
	const refuseSecondUpload = () => {
		sim.passThrough('/v1/files/upload');
		sim.override('/v1/files/upload', (_req, res) => {
			res.writeHead(413, { 'content-type': 'text/plain', connection: 'close' });
			res.end('Request Entity Too Large');
		});
	};
	const firstFileId = () => {
		const id = sim.uploads[0]?.fileId;
		expect(id).toMatch(/^\d+$/);
		return id!;
	};

	it("Files From Binary: the second upload fails → the error names the first upload's file id, and nothing runs", async () => {
		refuseSecondUpload();
		const result = await runWorkflow(cozeGraph(sim, { files: [PHOTO, SCAN], options: BOTH_FILES }));
		const error = result.nodeError('Coze');
		expect(error?.message).toBe(TOO_LARGE);
		expect(error?.description).toContain(
			`Uploaded to Coze for this item before the failure, and kept there: "photo.jpg" (file id ${firstFileId()})`,
		);
		expect(requestsTo(sim, '/v1/workflow/stream_run')).toBe(0);
	});

	it('Files From Binary with Continue on Fail: the error item lists the uploaded files in its details', async () => {
		refuseSecondUpload();
		const result = await runWorkflow(
			cozeGraph(sim, {
				files: [PHOTO, SCAN],
				options: BOTH_FILES,
				onError: 'continueRegularOutput',
			}),
		);
		const [item] = result.output('Coze');
		expect(item.json.error).toBe(TOO_LARGE);
		expect((item.json.details as { uploaded_files: unknown }).uploaded_files).toEqual([
			{ id: firstFileId(), file_name: 'photo.jpg', binary_field: 'photo' },
		]);
	});

	it('Version 2 file inputs from binary fields: the second upload fails → the error names the first', async () => {
		refuseSecondUpload();
		const schema = [
			fieldOfInput('photo', { type: 'image' }),
			fieldOfInput('scan', { type: 'file' }),
		];
		const inputs = {
			inputMode: 'fields',
			inputs: {
				mappingMode: 'defineBelow',
				value: { photo: 'photo', scan: 'scan' },
				matchingColumns: [],
				schema,
			},
		} as unknown as INodeParameters;
		const result = await runWorkflow(
			cozeGraph(sim, {
				typeVersion: 2,
				files: [PHOTO, SCAN],
				parameters: { workflowId: { __rl: true, mode: 'id', value: WORKFLOW_ID }, ...inputs },
			}),
		);
		expect(result.nodeError('Coze')?.message).toBe(TOO_LARGE);
		expect(result.nodeError('Coze')?.description).toContain(
			`"photo.jpg" (file id ${firstFileId()})`,
		);
	});

	it('Version 2 inputs are all checked before the first upload: a wrong value after a file input uploads nothing', async () => {
		const schema = [
			fieldOfInput('photo', { type: 'image' }),
			fieldOfInput('age', { type: 'integer' }),
		];
		const inputs = {
			inputMode: 'fields',
			inputs: {
				mappingMode: 'defineBelow',
				value: { photo: 'photo', age: '={{ "forty" }}' },
				matchingColumns: [],
				schema,
			},
		} as unknown as INodeParameters;
		const result = await runWorkflow(
			cozeGraph(sim, {
				typeVersion: 2,
				files: [PHOTO],
				parameters: { workflowId: { __rl: true, mode: 'id', value: WORKFLOW_ID }, ...inputs },
			}),
		);
		expect(result.nodeError('Coze')?.message).toBe('Input "age" must be a whole number');
		expect(requestsTo(sim, '/v1/files/upload')).toBe(0);
	});

	it('refuses a missing binary field before uploading any file', async () => {
		const result = await runWorkflow(
			cozeGraph(sim, {
				files: [PHOTO],
				options: {
					filesFromBinary: {
						files: [
							{ binaryField: 'photo', parameter: 'image' },
							{ binaryField: 'picture', parameter: 'doc' },
						],
					},
				},
			}),
		);
		expect(result.nodeError('Coze')?.message).toBe('Input item 0 has no binary field "picture"');
		expect(requestsTo(sim, '/v1/files/upload')).toBe(0);
	});

	it('Chat uploads before it makes a conversation: an upload that fails leaves no conversation behind', async () => {
		refuseSecondUpload();
		const result = await runWorkflow(
			cozeGraph(sim, {
				files: [PHOTO, SCAN],
				parameters: {
					operation: 'chat',
					conversation: 'new',
					message: 'what is this?',
					parameters: '{}',
				},
				options: BOTH_FILES,
			}),
		);
		expect(result.nodeError('Coze')?.message).toBe(TOO_LARGE);
		expect(requestsTo(sim, '/v1/conversation/create')).toBe(0);
		expect(requestsTo(sim, '/v1/workflows/chat')).toBe(0);
	});
});
