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

	const upload = async (fileName: string, chunks: Buffer[], bytes = chunks.reduce((n, c) => n + c.length, 0)) =>
		await requestCozeJson(
			{ baseUrl: sim.baseUrl, accessToken: sim.token },
			{ method: 'POST', path: '/v1/files/upload', kind: 'upload', body: () => fileUploadBody({ source: Readable.from(chunks), bytes, fileName, mimeType: 'text/plain' }) },
		);

	it.each([
		['plain.txt', 'plain.txt'],
		['报告 2026.txt', '报告 2026.txt'],
		// undici escapes quotes and line breaks in file names; the part stays well formed.
		['say "hi".txt', 'say %22hi%22.txt'],
		['two\r\nlines.txt', 'two%0D%0Alines.txt'],
	])('frames the file %j as one part named "file" with exact bytes', async (fileName, received) => {
		const chunks = [Buffer.from('first\r\n\r\n'), Buffer.from('--not-a-boundary\r\n'), Buffer.from('last')];
		await upload(fileName, chunks);
		expect(sim.uploads[0]).toMatchObject({ fieldNames: ['file'], fileName: received, mimeType: 'text/plain', bytes: 31, complete: true });
	});

	it('fails, rather than sending a short body, when the file is shorter than its stated size', async () => {
		const failure = await upload('short.txt', [Buffer.from('12345')], 10).catch((error: unknown) => error);
		expect(failure).toBeInstanceOf(CozeError);
		expect((failure as CozeError).description).toMatch(/content-length/i);
		expect(sim.uploads.filter((received) => received.complete)).toEqual([]);
	});
});
