import { Readable } from 'node:stream';

import { CozeError } from '../../nodes/Coze/transport/http/coze-error';
import { uploadFile } from '../../nodes/Coze/transport/protocols/file-upload';
import { stopSimulator } from '../simulator/stop';
import { CozeSimulator } from '../simulator/server';

/** A file as the protocol opens it for each try: a fresh stream every time. */
function fileOf(fileName: string, content: Buffer) {
	let opened = 0;
	return {
		name: fileName,
		get opened() {
			return opened;
		},
		open: async () => {
			opened++;
			return {
				source: Readable.from([content]),
				bytes: content.byteLength,
				fileName,
				mimeType: 'text/plain',
			};
		},
	};
}

describe('the file upload protocol (POST /v1/files/upload), without n8n', () => {
	let sim: CozeSimulator;
	afterEach(() => stopSimulator(sim));

	it.each(['cloud', 'studio'] as const)(
		'sends one part named "file" and answers the Coze file with the file_ref a workflow input takes (%s)',
		async (flavour) => {
			sim = await CozeSimulator.start({ flavour });
			const file = fileOf('报告.txt', Buffer.from('hello coze'));
			const uploaded = await uploadFile({ baseUrl: sim.baseUrl, accessToken: sim.token }, file);

			expect(sim.uploads[0]).toMatchObject({
				fieldNames: ['file'],
				fileName: '报告.txt',
				bytes: 10,
				complete: true,
			});
			expect(typeof uploaded.id).toBe('string');
			expect(uploaded).toMatchObject({
				id: sim.uploads[0].fileId,
				bytes: 10,
				file_name: '报告.txt',
				created_at: expect.any(Number),
			});
			// Coze Studio's file inputs take a URL; the cloud's take {"file_id"} and its answer has no URL.
			expect(uploaded.file_ref).toBe(
				flavour === 'studio' ? uploaded.url : JSON.stringify({ file_id: uploaded.id }),
			);
		},
	);

	it('opens the file again for each try, so a retried upload sends it whole from its start', async () => {
		sim = await CozeSimulator.start();
		sim.override('/v1/files/upload', (_req, res) => {
			res.writeHead(503, { 'content-type': 'application/json', connection: 'close' });
			res.end(JSON.stringify({ code: 5000, msg: 'busy' }));
		});
		const file = fileOf('twice.txt', Buffer.from('0123456789'));
		await uploadFile({ baseUrl: sim.baseUrl, accessToken: sim.token }, file);

		expect(file.opened).toBe(2);
		expect(sim.uploads.filter((upload) => upload.complete).at(-1)).toMatchObject({
			fileName: 'twice.txt',
			bytes: 10,
		});
	});

	it('names the file when the server refuses it as too large (HTTP 413)', async () => {
		sim = await CozeSimulator.start({ flavour: 'studio' });
		// hertz (Coze Studio's server) answers a body over MAX_REQUEST_BODY_SIZE with a plain-text 413.
		sim.override('/v1/files/upload', (_req, res) => {
			res.writeHead(413, { 'content-type': 'text/plain', connection: 'close' });
			res.end('Request Entity Too Large');
		});
		const failure = await uploadFile(
			{ baseUrl: sim.baseUrl, accessToken: sim.token },
			fileOf('big.bin', Buffer.alloc(100)),
		).catch((error: unknown) => error);

		expect(failure).toBeInstanceOf(CozeError);
		expect((failure as CozeError).message).toBe(
			'Coze refused the file "big.bin" as too large (HTTP 413)',
		);
		expect((failure as CozeError).httpStatus).toBe(413);
	});

	it('refuses an answer that names no file id, as a protocol failure', async () => {
		sim = await CozeSimulator.start();
		// No evidence of such an answer from Coze: it stands for a Base URL that is not Coze's API.
		sim.override('/v1/files/upload', (_req, res) => {
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ code: 0, msg: '', data: { bytes: 1 } }));
		});
		const failure = await uploadFile(
			{ baseUrl: sim.baseUrl, accessToken: sim.token },
			fileOf('x.txt', Buffer.from('x')),
		).catch((error: unknown) => error);

		expect(failure).toBeInstanceOf(CozeError);
		expect(failure).toMatchObject({
			kind: 'protocol',
			message: "Coze accepted the upload but did not say the file's id",
		});
	});
});
