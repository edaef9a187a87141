import { Readable } from 'node:stream';

import { requestCozeJson } from '../../nodes/Coze/transport/http/client';
import { CozeError } from '../../nodes/Coze/transport/http/coze-error';
import { fileUploadBody } from '../../nodes/Coze/transport/http/multipart';
import { stopSimulator } from '../simulator/stop';
import { CozeSimulator } from '../simulator/server';

describe('the streamed multipart upload body', () => {
	let sim: CozeSimulator;
	beforeEach(async () => (sim = await CozeSimulator.start()));
	afterEach(() => stopSimulator(sim));

	const upload = async (
		fileName: string,
		chunks: Buffer[],
		bytes = chunks.reduce((n, c) => n + c.length, 0),
		mimeType = 'text/plain',
	) =>
		await requestCozeJson(
			{ baseUrl: sim.baseUrl, accessToken: sim.token },
			{
				method: 'POST',
				path: '/v1/files/upload',
				kind: 'upload',
				body: () => fileUploadBody({ source: Readable.from(chunks), bytes, fileName, mimeType }),
			},
		);

	it.each([
		'plain.txt',
		'报告 2026.txt',
		'中文 name.pdf',
		'say "hi".txt',
		'"quoted".txt',
		'a\\',
		'back\\"slash.pdf',
		'a\u0000b.pdf',
		'two\r\nlines.txt',
		'cr\ronly\n.txt',
		"it's (100%) *done*.txt",
		'%22 is not a quote.txt',
		"tab\there, it's (1%) *.txt",
	])(
		'frames the file %j as one part named "file" with exact bytes, and the name arrives as it is',
		async (fileName) => {
			const chunks = [
				Buffer.from('first\r\n\r\n'),
				Buffer.from('--not-a-boundary\r\n'),
				Buffer.from('last'),
			];
			await upload(fileName, chunks);
			expect(sim.uploads[0]).toMatchObject({
				fieldNames: ['file'],
				fileName,
				mimeType: 'text/plain',
				bytes: 31,
				complete: true,
			});
		},
	);

	it('writes a name without control characters as a quoted-string only, and one with them also as filename* (RFC 5987)', async () => {
		const head = async (fileName: string) => {
			const body = await fileUploadBody({
				source: Readable.from([]),
				bytes: 0,
				fileName,
				mimeType: 'text/plain',
			});
			for await (const chunk of body.chunks)
				return Buffer.from(chunk).toString('utf8').split('\r\n')[1];
			return '';
		};
		expect(await head('back\\"slash 中.pdf')).toBe(
			'Content-Disposition: form-data; name="file"; filename="back\\\\\\"slash 中.pdf"',
		);
		expect(await head('a\u0000b\r\n.pdf')).toBe(
			`Content-Disposition: form-data; name="file"; filename="a%00b%0D%0A.pdf"; filename*=UTF-8''a%00b%0D%0A.pdf`,
		);
	});

	it('sends application/octet-stream for a MIME type that could break the header', async () => {
		await upload('x.txt', [Buffer.from('x')], 1, 'text/plain\r\nX-Evil: 1');
		expect(sim.uploads[0]).toMatchObject({
			fileName: 'x.txt',
			mimeType: 'application/octet-stream',
			bytes: 1,
			complete: true,
		});
	});

	it('fails, rather than sending a short body, when the file is shorter than its stated size', async () => {
		const failure = await upload('short.txt', [Buffer.from('12345')], 10).catch(
			(error: unknown) => error,
		);
		expect(failure).toBeInstanceOf(CozeError);
		expect((failure as CozeError).description).toMatch(/content-length/i);
		expect(sim.uploads.filter((received) => received.complete)).toEqual([]);
	});
});
