import type { StructuredChunk } from 'n8n-workflow';

import { stopSimulator } from '../simulator/stop';
import { CozeSimulator } from '../simulator/server';
import { ServerStream } from '../simulator/shapes';
import { DEBUG_URL, numbered, type SimWorkflow } from '../simulator/workflows';
import { cozeGraph, EVENT_ID, WORKFLOW_ID, type CozeGraphOptions } from '../faults/graph';
import { runWorkflow, useBinaryMode } from './harness';

/** The chunks of one item, and its text as a person reads it. */
function itemChunks(chunks: StructuredChunk[], itemIndex = 0) {
	const mine = chunks.filter(
		(chunk) => chunk.metadata.itemIndex === itemIndex && chunk.metadata.nodeName !== 'Start',
	);
	return {
		types: mine.map((chunk) => chunk.type),
		text: mine
			.filter((chunk) => chunk.type === 'item')
			.map((chunk) => chunk.content)
			.join(''),
	};
}

/** Runs the graph streaming and not streaming; returns the chunks and checks the outputs are the same. */
async function runBothWays(sim: CozeSimulator, graph: CozeGraphOptions = {}) {
	const chunks: StructuredChunk[] = [];
	const streamed = await runWorkflow({
		...cozeGraph(sim, graph),
		mode: 'webhook',
		onChunk: (chunk) => chunks.push(chunk),
	});
	const plain = await runWorkflow({ ...cozeGraph(sim, graph), mode: 'webhook' });
	for (const output of [0, 1])
		expect(streamed.output('Coze', output)).toEqual(plain.output('Coze', output));
	expect(streamed.run.status).toBe(plain.run.status);
	return { chunks, run: streamed };
}

describe.each(['cloud', 'studio'] as const)(
	'Stream to Chat, Run and Resume through the n8n engine (%s)',
	(flavour) => {
		let sim: CozeSimulator;
		beforeAll(async () => {
			await useBinaryMode('memory');
		});
		beforeEach(async () => (sim = await CozeSimulator.start({ flavour })));
		afterEach(() => stopSimulator(sim));

		const answering: SimWorkflow = {
			run: () => ({
				stream: numbered(
					new ServerStream(flavour)
						.message({ title: 'Think', id: '100001', type: 'LLM' }, ['思考', '中…'])
						.ping()
						.message({ title: 'End', id: '900001', type: 'End' }, ['{"output":"穿短袖 ☀️"}'], {
							tokens: 9,
						})
						.done(DEBUG_URL).events,
				),
				// Cut inside the multi-byte characters, with CRLF.
				shape: {
					lineEnding: '\r\n',
					splitAt: (bytes) =>
						Array.from({ length: Math.floor(bytes.length / 7) }, (_, i) => (i + 1) * 7),
				},
			}),
		};

		it("streams each message as it arrives, an End node's JSON as its output, one begin/end pair per item; the items are those of a run not streamed", async () => {
			sim.defineWorkflow(WORKFLOW_ID, answering);
			const { chunks, run } = await runBothWays(sim, { inputs: [{}, {}] });
			expect(run.run.status).toBe('success');
			for (const itemIndex of [0, 1]) {
				const { types, text } = itemChunks(chunks, itemIndex);
				expect(types[0]).toBe('begin');
				expect(types[types.length - 1]).toBe('end');
				expect(types.filter((type) => type === 'begin')).toHaveLength(1);
				expect(text).toBe('思考中…\n\n穿短袖 ☀️');
			}
			expect(run.output('Coze', 0)).toHaveLength(4);
		});

		it('Final Answer Only streams just the End node; Nothing streams nothing', async () => {
			sim.defineWorkflow(WORKFLOW_ID, answering);
			const final = await runBothWays(sim, { options: { streamToChat: 'final' } });
			expect(itemChunks(final.chunks).text).toBe('穿短袖 ☀️');
			const none = await runBothWays(sim, { options: { streamToChat: 'none' } });
			expect(none.chunks).toEqual([]);
		});

		it('streams a question the workflow asks once, then Resume streams the rest of the run', async () => {
			sim.defineWorkflow(WORKFLOW_ID, {
				run: () => ({
					stream: numbered(
						new ServerStream(flavour)
							.message({ title: 'Greeter', id: '100001' }, ['Hello! '])
							.question('Which city?', EVENT_ID, DEBUG_URL).events,
					),
				}),
				resume: (body) => ({
					stream: numbered(
						new ServerStream(flavour)
							.message({ title: 'End', id: '900001', type: 'End' }, [
								'Rain in ',
								String(body.resume_data),
							])
							.done(DEBUG_URL).events,
					),
				}),
			});
			const run = await runBothWays(sim);
			expect(itemChunks(run.chunks).text).toBe('Hello! \n\nWhich city?');
			expect(run.run.output('Coze', 1)).toHaveLength(1);

			const resume = await runBothWays(sim, {
				operation: 'resume',
				parameters: { resumeData: 'Hangzhou' },
			});
			expect(itemChunks(resume.chunks).text).toBe('Rain in Hangzhou');
			expect(itemChunks(resume.chunks).types).toEqual(['begin', 'item', 'item', 'end']);
		});

		it('ends the message with the reason a person can read when the workflow fails, then the node fails', async () => {
			sim.defineWorkflow(WORKFLOW_ID, {
				run: () => ({
					stream: numbered(
						new ServerStream(flavour)
							.message({ title: 'Out', id: '100002', type: 'Message' }, ['Half an ', 'answer'])
							.error(5000, 'the model timed out', DEBUG_URL).events,
					),
				}),
			});
			const chunks: StructuredChunk[] = [];
			const run = await runWorkflow({
				...cozeGraph(sim),
				mode: 'webhook',
				onChunk: (chunk) => chunks.push(chunk),
			});
			expect(run.run.status).toBe('error');
			const { types, text } = itemChunks(chunks.filter((chunk) => chunk.type !== 'error'));
			expect(types).toEqual(['begin', 'item', 'item', 'item', 'end']);
			expect(text).toBe(
				'Half an answer\n\n⚠️ The Coze workflow failed with error 5000: the model timed out',
			);
		});

		it('says so when the stream is cut before Done, and Continue on Fail still gives the items', async () => {
			const events = numbered(
				new ServerStream(flavour)
					.message({ title: 'Out', id: '100002', type: 'Message' }, ['Only this'])
					.done(DEBUG_URL).events,
			);
			sim.defineWorkflow(WORKFLOW_ID, { run: () => ({ stream: events.slice(0, -1) }) });
			const { chunks, run } = await runBothWays(sim, { onError: 'continueRegularOutput' });
			const { text, types } = itemChunks(chunks);
			expect(text).toMatch(/^Only this\n\n⚠️ The Coze stream ended before the workflow finished/);
			expect(types[types.length - 1]).toBe('end');
			expect(run.output('Coze', 0).map((item) => item.json.content ?? item.json.error)).toEqual([
				'Only this',
				expect.stringContaining('ended before'),
			]);
		});

		it('never streams the token, even split across chunks and events', async () => {
			const token = sim.token;
			sim.defineWorkflow(WORKFLOW_ID, {
				run: () => ({
					stream: numbered(
						new ServerStream(flavour)
							.message({ title: 'Leak', id: '100003', type: 'Message' }, [
								'your key is ',
								token.slice(0, 9),
								token.slice(9, 30),
								`${token.slice(30)} ok`,
							])
							.done(DEBUG_URL).events,
					),
				}),
			});
			const { chunks } = await runBothWays(sim);
			const streamedText = chunks.map((chunk) => chunk.content ?? '').join('');
			expect(streamedText).toBe('your key is [redacted] ok');
			for (const chunk of chunks) expect(chunk.content ?? '').not.toContain(token.slice(0, 12));
		});

		it('streams the answer of a synchronous run once it is whole', async () => {
			sim.defineWorkflow(WORKFLOW_ID, {
				blockingRun: () => ({
					json: {
						code: 0,
						msg: '',
						data: '{"output":"同步的答案"}',
						debug_url: DEBUG_URL,
						execute_id: '7404830425073350001',
					},
				}),
			});
			const { chunks } = await runBothWays(sim, { options: { runMode: 'sync' } });
			expect(itemChunks(chunks)).toEqual({ types: ['begin', 'item', 'end'], text: '同步的答案' });
		});
	},
);
