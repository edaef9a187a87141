import { stopSimulator } from '../simulator/stop';
import { CozeSimulator } from '../simulator/server';
import { generatedFileHash, type GeneratedFile } from './fixture-nodes';
import {
	COZE_TYPE,
	cozeCredentials,
	runWorkflow,
	useBinaryMode,
	type Edge,
	type TestNode,
} from './harness';
import { closeCozeDispatcher } from '../../nodes/Coze/testing';

const MB = 1024 * 1024;

/** Start → Make Binary (one item per entry of `files`) → Coze Upload. */
function uploadWorkflow(sim: CozeSimulator, files: GeneratedFile[], coze: Partial<TestNode> = {}) {
	const nodes: TestNode[] = [
		{ name: 'Start', type: 'test.start' },
		{ name: 'Make Binary', type: 'test.makeBinary', parameters: { files: JSON.stringify(files) } },
		{
			name: 'Coze',
			type: COZE_TYPE,
			parameters: { resource: 'file', operation: 'upload' },
			...coze,
		},
	];
	const edges: Edge[] = [
		['Start', 0, 'Make Binary'],
		['Make Binary', 0, 'Coze'],
	];
	return { nodes, edges, credentials: cozeCredentials(sim.baseUrl, sim.token) };
}

describe.each(['cloud', 'studio'] as const)(
	'File → Upload through the n8n engine (%s)',
	(flavour) => {
		let sim: CozeSimulator;
		beforeAll(async () => {
			await useBinaryMode('filesystem');
		});
		beforeEach(async () => (sim = await CozeSimulator.start({ flavour })));
		afterEach(() => stopSimulator(sim));

		it('streams each binary by id and outputs the Coze file with a ready file_ref', async () => {
			const file = { bytes: 3 * MB + 17, fileName: '季度报告 Q3.pdf', mimeType: 'application/pdf' };
			const result = await runWorkflow(uploadWorkflow(sim, [file]));

			expect(result.run.status).toBe('success');
			const [item] = result.output('Coze', 0);
			expect(result.output('Coze', 1)).toEqual([]);
			expect(typeof item.json.id).toBe('string');
			expect(item.json).toEqual({
				id: item.json.id,
				bytes: file.bytes,
				file_name: file.fileName,
				created_at: expect.any(Number),
				...(flavour === 'studio' ? { uri: expect.any(String), url: expect.any(String) } : {}),
				// What a workflow's file input takes on that server: Coze Studio's take a URL
				// (coze-studio entity/vo/node.go, DataTypeFile "string (url)"), the cloud's a file id.
				file_ref: flavour === 'studio' ? item.json.url : JSON.stringify({ file_id: item.json.id }),
			});
			expect(item.pairedItem).toEqual({ item: 0 });

			const [received] = sim.uploads;
			expect(received).toMatchObject({
				fieldNames: ['file'],
				fileName: file.fileName,
				mimeType: 'application/pdf',
				bytes: file.bytes,
				complete: true,
			});
			expect(received.sha256).toBe(await generatedFileHash(file));
			expect(Number(sim.requests[0].contentLength)).toBeGreaterThan(file.bytes);
		});

		it("says a file over the server's body limit was refused for its size (Coze Studio: 200 MB by default)", async () => {
			// hertz (Coze Studio's server) answers a body over MAX_REQUEST_BODY_SIZE with a plain-text 413 and closes.
			sim.override('/v1/files/upload', (_req, res) => {
				res.writeHead(413, { 'content-type': 'text/plain', connection: 'close' });
				res.end('Request Entity Too Large');
			});
			const result = await runWorkflow(uploadWorkflow(sim, [{ bytes: MB, fileName: 'big.bin' }]));
			expect(result.nodeError('Coze')?.message).toBe(
				'Coze refused the file "big.bin" as too large (HTTP 413)',
			);
			expect(result.nodeError('Coze')?.description).toMatch(/MAX_REQUEST_BODY_SIZE.*200 MB/);
			expect(sim.requests.filter((request) => request.path === '/v1/files/upload')).toHaveLength(1);
		});

		it('gives Coze every file name as it is: backslashes, quotes, NUL, line breaks and Chinese included', async () => {
			const names = [
				'a\\',
				'a\u0000b.pdf',
				'back\\"slash.pdf',
				'中文 name.pdf',
				'"quoted".txt',
				'two\r\nlines.txt',
			];
			const result = await runWorkflow(
				uploadWorkflow(
					sim,
					names.map((fileName) => ({ bytes: 1000, fileName, mimeType: 'text/plain' })),
				),
			);
			expect(sim.uploads.map((upload) => [upload.fileName, upload.bytes, upload.complete])).toEqual(
				names.map((name) => [name, 1000, true]),
			);
			expect(result.output('Coze', 0).map((item) => item.json.file_name)).toEqual(names);
		});

		it('uploads every input item, in order, each paired with its input', async () => {
			const files = [
				{ bytes: 1, fileName: 'a.txt', mimeType: 'text/plain' },
				{ bytes: 0, fileName: 'empty.csv', mimeType: 'text/csv' },
				{ bytes: 700 * 1024, fileName: 'c.png', mimeType: 'image/png' },
			];
			const result = await runWorkflow(uploadWorkflow(sim, files));
			const items = result.output('Coze', 0);
			expect(items.map((item) => [item.json.file_name, item.json.bytes, item.pairedItem])).toEqual(
				files.map((file, i) => [file.fileName, file.bytes, { item: i }]),
			);
			expect(new Set(items.map((item) => item.json.id)).size).toBe(3);
			expect(sim.uploads.map((upload) => upload.sha256)).toEqual(
				await Promise.all(files.map(generatedFileHash)),
			);
		});
	},
);

describe("File → Upload with in-memory binary data (n8n's default mode)", () => {
	let sim: CozeSimulator;
	beforeAll(async () => {
		await useBinaryMode('memory');
		sim = await CozeSimulator.start();
	});
	afterAll(async () => {
		await sim.close();
		await closeCozeDispatcher();
		await useBinaryMode('filesystem');
	});

	it('sends the exact bytes', async () => {
		const file = { bytes: 200 * 1024 + 3, fileName: 'photo.jpg', mimeType: 'image/jpeg' };
		const result = await runWorkflow(uploadWorkflow(sim, [file]));
		expect(result.output('Coze', 0)[0].json).toMatchObject({
			bytes: file.bytes,
			file_name: 'photo.jpg',
		});
		expect(sim.uploads[0]).toMatchObject({
			bytes: file.bytes,
			mimeType: 'image/jpeg',
			sha256: await generatedFileHash(file),
		});
	});
});

describe('File → Upload errors', () => {
	let sim: CozeSimulator;
	beforeAll(async () => {
		await useBinaryMode('filesystem');
	});
	beforeEach(async () => (sim = await CozeSimulator.start()));
	afterEach(() => stopSimulator(sim));

	const small = [{ bytes: 10, fileName: 'small.txt', mimeType: 'text/plain' }];

	it('names a missing binary field and lists the ones the item has', async () => {
		const result = await runWorkflow(
			uploadWorkflow(sim, small, {
				parameters: { resource: 'file', operation: 'upload', binaryPropertyName: 'attachment' },
			}),
		);
		expect(result.run.status).toBe('error');
		const error = result.nodeError('Coze');
		expect(error?.message).toBe('Input item 0 has no binary field "attachment"');
		expect(error?.description).toContain('Its binary fields are: "data"');
		expect(sim.requests).toHaveLength(0);
	});

	/** Two files; the first item names a binary field it does not have, so it fails and the second uploads. */
	const firstOfTwoFails = (onError: TestNode['onError']) =>
		uploadWorkflow(sim, [...small, { bytes: 20, fileName: 'second.txt', mimeType: 'text/plain' }], {
			parameters: {
				resource: 'file',
				operation: 'upload',
				binaryPropertyName: '={{ $json.fileName === "small.txt" ? "nope" : "data" }}',
			},
			onError,
		});

	it('with Continue on Fail, gives an error item and goes on with the next item', async () => {
		const result = await runWorkflow(firstOfTwoFails('continueRegularOutput'));
		expect(result.run.status).toBe('success');
		const [failed, uploaded] = result.output('Coze', 0);
		expect(failed.json.error).toBe('Input item 0 has no binary field "nope"');
		expect(failed.pairedItem).toEqual({ item: 0 });
		expect(uploaded.json).toMatchObject({ file_name: 'second.txt', bytes: 20 });
		expect(uploaded.pairedItem).toEqual({ item: 1 });
	});

	it('with Continue (using error output), sends a failed item to the error output, right after File', async () => {
		const result = await runWorkflow(firstOfTwoFails('continueErrorOutput'));
		expect(result.output('Coze', 0).map((item) => item.json.file_name)).toEqual(['second.txt']);
		expect(result.output('Coze', 1).map((item) => item.json.error)).toEqual([
			'Input item 0 has no binary field "nope"',
		]);
	});

	it('refuses a file over 512 MB before sending anything', async () => {
		const result = await runWorkflow(
			uploadWorkflow(sim, [{ bytes: 512 * MB + 1, fileName: 'huge.zip' }]),
		);
		expect(result.nodeError('Coze')?.message).toBe(
			'The file "huge.zip" is 512.0 MB; Coze accepts at most 512 MB',
		);
		expect(sim.requests).toHaveLength(0);
	});

	it('says a wrong token was refused, hints at the region, and never shows the token', async () => {
		const workflow = uploadWorkflow(sim, small);
		workflow.credentials = {
			cozeApi: {
				region: 'custom',
				baseUrl: sim.baseUrl,
				accessToken: 'pat_definitely_wrong_token_123',
			},
		};
		const result = await runWorkflow(workflow);
		const error = result.nodeError('Coze');
		expect(error?.message).toMatch(/^Coze error 4100: authentication is invalid \(log id \d+\)$/);
		expect(error?.description).toMatch(/Region matches/);
		expect(JSON.stringify(result.run)).not.toContain('pat_definitely_wrong_token_123');
	});

	it("reports HTTP 200 with a non-zero code, and a 429, with Coze's code and message", async () => {
		sim.override('/v1/files/upload', async (_req, res, body) => {
			await body();
			res.writeHead(200, { 'content-type': 'application/json', 'x-tt-logid': 'L200' });
			res.end(JSON.stringify({ code: 4000, msg: 'file type not supported' }));
		});
		const first = await runWorkflow(uploadWorkflow(sim, small));
		expect(first.nodeError('Coze')?.message).toBe(
			'Coze error 4000: file type not supported (log id L200)',
		);

		for (let i = 0; i < 2; i++) {
			sim.override('/v1/files/upload', async (_req, res, body) => {
				await body();
				res.writeHead(429, {
					'content-type': 'application/json',
					'x-tt-logid': 'L429',
					'retry-after': '0',
				});
				res.end(JSON.stringify({ code: 4013, msg: 'request frequency exceeds limit' }));
			});
		}
		const second = await runWorkflow(
			uploadWorkflow(sim, small, {
				parameters: { resource: 'file', operation: 'upload', requestOptions: { maxRetries: 1 } },
			}),
		);
		expect(second.nodeError('Coze')?.message).toBe(
			'Coze error 4013: request frequency exceeds limit (log id L429) (after 2 tries)',
		);
		expect(second.nodeError('Coze')?.description).toMatch(/per second/);
	});

	it('says where it could not connect when the server is gone', async () => {
		const workflow = uploadWorkflow(sim, small, {
			parameters: { resource: 'file', operation: 'upload', requestOptions: { maxRetries: 1 } },
		});
		await sim.close();
		const result = await runWorkflow(workflow);
		expect(result.nodeError('Coze')?.message).toBe(
			`Could not talk to Coze at ${workflow.credentials.cozeApi.baseUrl as string} (after 2 tries)`,
		);
		sim = await CozeSimulator.start();
	});

	it('stops the upload when the execution is stopped: the server sees the connection close', async () => {
		const paused = sim.pauseAtFirstUploadBytes();
		const received = sim.nextUpload();
		const result = await runWorkflow({
			...uploadWorkflow(sim, [{ bytes: 64 * MB, fileName: 'big.bin' }]),
			// Stop while the server holds the upload half-read, then let it read on and find the
			// connection closed (a paused reader would not notice the close).
			onStart: (execution) =>
				void paused.then(({ resume }) => {
					execution.cancel();
					resume();
				}),
		});
		const upload = await received;
		expect(upload.complete).toBe(false);
		expect(upload.bytes).toBeLessThan(64 * MB);
		expect(result.run.status).toBe('canceled');
	});
});
