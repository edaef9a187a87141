// bench:upload — 64 MB and 512 MB files sent to the simulator (in another process) three ways,
// in the same run: `curl -F file=@…` (the baseline), the transport alone (a file stream into
// the multipart body and undici), and the node's whole upload path (n8n's engine running the
// Coze node on an item whose binary sits in n8n's filesystem store, streamed by id). Prints
// throughput as a ratio to curl and the peak RSS growth of this process while the node runs.
import { execFileSync } from 'node:child_process';
import { createReadStream, createWriteStream, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';

import type { INodeExecutionData } from 'n8n-workflow';

import { requestCozeJson } from '../nodes/Coze/transport/http/client';
import { fileUploadBody } from '../nodes/Coze/transport/http/multipart';
import { generatedBytes } from '../test/engine/fixture-nodes';
import { COZE_TYPE, cozeCredentials, runWorkflow, useBinaryMode } from '../test/engine/harness';
import { median, runBenchmark, type SimulatorChild } from './bench-harness';

const MB = 1024 * 1024;
const SIZES_MB = (process.env.BENCH_SIZES_MB ?? '64,512').split(',').map(Number);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const dataDir = path.join(__dirname, '.data');

/** Seconds curl takes to send `file` as multipart to the simulator. */
function curlSeconds(sim: SimulatorChild, file: string): number {
	const out = execFileSync('curl', [
		'-sS',
		'-o',
		'/dev/null',
		'-w',
		'%{http_code} %{time_total}',
		'-H',
		`Authorization: Bearer ${sim.token}`,
		'-F',
		`file=@${file};type=application/octet-stream`,
		`${sim.baseUrl}/v1/files/upload`,
	]).toString();
	const [status, seconds] = out.split(' ');
	if (status !== '200') throw new Error(`curl upload answered HTTP ${status}`);
	return Number(seconds);
}

/** Seconds the transport alone takes: file stream → multipart body → undici → simulator. */
async function transportSeconds(sim: SimulatorChild, file: string, bytes: number): Promise<number> {
	const started = performance.now();
	const body = () =>
		fileUploadBody({
			source: createReadStream(file, { highWaterMark: MB }),
			bytes,
			fileName: 'bench.bin',
			mimeType: 'application/octet-stream',
		});
	await requestCozeJson(
		{ baseUrl: sim.baseUrl, accessToken: sim.token },
		{ method: 'POST', path: '/v1/files/upload', kind: 'upload', body },
	);
	return (performance.now() - started) / 1000;
}

/** Stores a generated file in n8n's filesystem binary store, as a node before Coze would. */
async function storedBinaryItem(bytes: number): Promise<INodeExecutionData> {
	const result = await runWorkflow({
		nodes: [
			{ name: 'Start', type: 'test.start' },
			{
				name: 'Make Binary',
				type: 'test.makeBinary',
				parameters: { files: JSON.stringify([{ bytes, fileName: 'bench.bin' }]) },
			},
		],
		edges: [['Start', 0, 'Make Binary']],
	});
	return result.output('Make Binary', 0)[0];
}

/** Runs Start → (the stored item) → Coze Upload; times the Coze node and samples RSS while it runs. */
async function nodeRun(
	sim: SimulatorChild,
	item: INodeExecutionData,
	bytes: number,
): Promise<{ seconds: number; rssGrowthMb: number }> {
	let startedAt = 0;
	let endedAt = 0;
	let rssAtStart = 0;
	let peakRss = 0;
	let sampler: NodeJS.Timeout | undefined;
	const result = await runWorkflow({
		nodes: [
			{ name: 'Start', type: 'test.start' },
			{
				name: 'Stored File',
				type: 'test.fixedItems',
				parameters: { items: JSON.stringify([item]) },
			},
			{ name: 'Coze', type: COZE_TYPE, parameters: { resource: 'file', operation: 'upload' } },
		],
		edges: [
			['Start', 0, 'Stored File'],
			['Stored File', 0, 'Coze'],
		],
		credentials: cozeCredentials(sim.baseUrl, sim.token),
		onNode: (event, name) => {
			if (name !== 'Coze') return;
			if (event === 'start') {
				global.gc?.();
				rssAtStart = peakRss = process.memoryUsage.rss();
				sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 20);
				startedAt = performance.now();
			} else {
				endedAt = performance.now();
				clearInterval(sampler);
				peakRss = Math.max(peakRss, process.memoryUsage.rss());
			}
		},
	});
	const uploaded = result.output('Coze', 0)[0]?.json;
	if (uploaded?.bytes !== bytes)
		throw new Error(`upload failed: ${JSON.stringify(result.nodeError('Coze') ?? uploaded)}`);
	return { seconds: (endedAt - startedAt) / 1000, rssGrowthMb: (peakRss - rssAtStart) / MB };
}

runBenchmark([], async (sim) => {
	mkdirSync(dataDir, { recursive: true });
	await useBinaryMode('filesystem');
	try {
		console.log(
			`bench:upload: ${ROUNDS} rounds each, medians; the simulator runs in a separate process`,
		);
		console.log(
			'size   | curl s | transport s (ratio) | n8n node s (ratio) | peak RSS growth, node',
		);
		for (const sizeMb of SIZES_MB) {
			const bytes = sizeMb * MB;
			const file = path.join(dataDir, `upload-${sizeMb}MB.bin`);
			await pipeline(generatedBytes(bytes, 'bench.bin'), createWriteStream(file));
			const item = await storedBinaryItem(bytes);
			// Both copies on disk before timing, so no side pays for another's write-back.
			execFileSync('sync');
			const curl: number[] = [];
			const transport: number[] = [];
			const node: number[] = [];
			const rss: number[] = [];
			for (let round = 0; round < ROUNDS; round++) {
				curl.push(curlSeconds(sim, file));
				transport.push(await transportSeconds(sim, file, bytes));
				const run = await nodeRun(sim, item, bytes);
				node.push(run.seconds);
				rss.push(run.rssGrowthMb);
			}
			rmSync(file);
			const cell = (seconds: number) =>
				`${seconds.toFixed(2)} (${(median(curl) / seconds).toFixed(2)})`;
			console.log(
				`${`${sizeMb} MB`.padEnd(6)} | ${median(curl).toFixed(2).padStart(6)} | ${cell(median(transport)).padStart(19)} | ${cell(median(node)).padStart(18)} | ${Math.max(...rss).toFixed(1)} MB (max of rounds)`,
			);
		}
		console.log('ratio = curl seconds / seconds: throughput relative to curl (1.00 = as fast)');
	} finally {
		rmSync(dataDir, { recursive: true, force: true });
	}
});
