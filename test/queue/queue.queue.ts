// The packed node in n8n's queue mode: a main process (webhooks, REST API) puts executions on a
// Redis queue, two `n8n worker` processes run them, everything is kept in PostgreSQL. Which
// process sent each request to the Coze simulator is read off the connection (test/n8n/queue-tracker.ts),
// so a scenario can require that work landed on both workers, or moved from one to the other.
import { listExecutions, OwnerSession, startQueueN8n, type QueueN8n } from '../n8n/queue-n8n';
import { WorkerTracker, type ServedRequest } from '../n8n/queue-tracker';
import {
	binaryFailureInLogs,
	describeUpload,
	MiB,
	uploadThroughWebhook,
} from '../n8n/queue-upload';
import {
	QUEUE_PATHS,
	QUEUE_WEBHOOK_PATHS,
	QUEUE_WORKFLOW_IDS,
	queueWorkflows,
} from '../n8n/queue-workflows';
import { CozeSimulator } from '../simulator/server';
import { ServerStream } from '../simulator/shapes';
import { DEBUG_URL, numbered } from '../simulator/workflows';

const RUN_ID = '7404830425073352801';
const ASK_ID = '7404830425073352802';
const HOLD_ID = '7404830425073352803';
const CHAT_ID = '7404830425073352804';

let sim: CozeSimulator;
let n8n: QueueN8n;
let tracker: WorkerTracker;
let owner: OwnerSession;
/** Called when the held stream (scenario d) has sent its first message. */
let holdStarted: () => void = () => {};

beforeAll(async () => {
	sim = await CozeSimulator.start({ flavour: 'cloud' });
	sim.defineWorkflow(RUN_ID, {
		run: (body) => {
			const n = Number((body.parameters as { n?: number } | undefined)?.n);
			return {
				stream: numbered(
					new ServerStream('cloud')
						.message({ title: 'Step 1', type: 'Message' }, [`run ${n}: `, 'first'])
						.message({ title: 'Step 2', type: 'Message' }, [`run ${n}: `, 'second'])
						.message({ title: 'End', type: 'End' }, [`{"output":"run ${n} done"}`])
						.done(DEBUG_URL).events,
				),
				// Chunks 25 ms apart: the runs overlap, and a run's messages take time to arrive.
				shape: { delayMs: 25 },
			};
		},
	});
	sim.defineWorkflow(ASK_ID, {
		run: (body) => ({
			stream: numbered(
				new ServerStream('cloud').question('Which city?', eventIdOf(attemptOf(body)), DEBUG_URL)
					.events,
			),
		}),
		resume: (body) => ({
			stream: numbered(
				new ServerStream('cloud')
					.message({ title: 'End', type: 'End' }, [
						`{"output":"Weather for ${String(body.resume_data)}, asked by ${String(body.event_id)}"}`,
					])
					.done(DEBUG_URL).events,
			),
		}),
	});
	sim.defineWorkflow(HOLD_ID, {
		// One message, then nothing more and the connection held open: the run goes on until stopped.
		run: () => ({
			stream: numbered(
				new ServerStream('cloud').message({ title: 'Slow step' }, ['working…']).events,
			),
			shape: { holdOpen: true, onWrite: () => holdStarted() },
		}),
	});
	sim.defineWorkflow(CHAT_ID, {
		chat: (turn) => ({
			answers: [[`Turn ${turn.history.length / 2 + 1}: `, 'you said ', turn.message]],
		}),
	});
	n8n = await startQueueN8n({
		simulatorPort: sim.port,
		workflows: queueWorkflows(),
		webhookPaths: QUEUE_WEBHOOK_PATHS,
		workers: 2,
		concurrency: 10,
	});
	tracker = new WorkerTracker(sim, () => [n8n.main, ...n8n.workers]);
	owner = await OwnerSession.setUp(n8n.base);
}, 20 * 60_000);

afterAll(async () => {
	await n8n?.stop();
	await sim?.close();
}, 5 * 60_000);

const webhook = (name: keyof typeof QUEUE_PATHS) => `${n8n.base}/webhook/${QUEUE_PATHS[name]}`;
const attemptOf = (body: Record<string, unknown>) =>
	Number((body.parameters as { attempt?: number } | undefined)?.attempt);
const eventIdOf = (attempt: number) =>
	`7404830425073352999/${6961231853298581504n + BigInt(attempt)}`;
const bodyOf = (entry: ServedRequest) =>
	JSON.parse(entry.record.body ?? '{}') as Record<string, unknown>;

async function postJson(
	url: string,
	body: unknown,
	signal?: AbortSignal,
): Promise<{ status: number; json: unknown }> {
	const response = await fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
		signal,
	});
	const text = await response.text();
	let json: unknown = text;
	try {
		json = JSON.parse(text);
	} catch {
		// not JSON: keep the text
	}
	return { status: response.status, json };
}

async function waitUntil<T>(
	what: string,
	check: () => T | undefined | Promise<T | undefined>,
	timeoutMs = 30_000,
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await check();
		if (value !== undefined && value !== false) return value;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	try {
		return await Promise.race([
			promise,
			new Promise<never>(
				(_, reject) =>
					(timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms)),
			),
		]);
	} finally {
		clearTimeout(timer);
	}
}

const countBy = (values: string[]) =>
	values.reduce<Record<string, number>>(
		(counts, value) => ({ ...counts, [value]: (counts[value] ?? 0) + 1 }),
		{},
	);
const workerNames = () => n8n.workers.map((worker) => `worker ${worker.index}`).sort();

describe('the Coze node in n8n queue mode (main + 2 workers, PostgreSQL, Redis)', () => {
	it('a) 40 runs through a production webhook land on both workers, and each answers with its own messages, in order', async () => {
		const from = tracker.served.length;
		const answers = await Promise.all(
			Array.from({ length: 40 }, (_, n) =>
				postJson(webhook('run'), { workflow_id: RUN_ID, parameters: { n } }),
			),
		);
		answers.forEach(({ status, json }, n) => {
			expect(status).toBe(200);
			expect((json as Array<{ content: string }>).map((item) => item.content)).toEqual([
				`run ${n}: first`,
				`run ${n}: second`,
				`{"output":"run ${n} done"}`,
			]);
		});
		const runs = tracker.served
			.slice(from)
			.filter((entry) => entry.record.path === '/v1/workflow/stream_run');
		// Each run reached Coze once, from a worker (never from the main process).
		expect(
			runs
				.map((entry) => Number((bodyOf(entry).parameters as { n: number }).n))
				.sort((a, b) => a - b),
		).toEqual(Array.from({ length: 40 }, (_, n) => n));
		const perWorker = countBy(runs.map((entry) => entry.by));
		console.log(`a) 40 runs per worker: ${JSON.stringify(perWorker)}`);
		expect(Object.keys(perWorker).sort()).toEqual(workerNames());
	});

	it('c) an interrupt is answered by a Resume that runs on the other worker (the execution waits in PostgreSQL, not in a worker)', async () => {
		let crossed: { run: string; resume: string } | undefined;
		// Which worker takes a job is the queue's choice: try until the resume lands on the other one.
		for (let attempt = 1; attempt <= 8 && !crossed; attempt++) {
			const started = await postJson(webhook('ask'), { workflow_id: ASK_ID, attempt });
			expect(started.status).toBe(200);
			const run = await waitUntil(`the run of attempt ${attempt}`, () =>
				tracker
					.of('/v1/workflow/stream_run')
					.find(
						(entry) =>
							entry.record.body &&
							bodyOf(entry).workflow_id === ASK_ID &&
							attemptOf(bodyOf(entry)) === attempt,
					),
			);
			const resumeUrl = String((bodyOf(run).parameters as { resume_url: string }).resume_url);
			const executionId = /\/webhook-waiting\/([^/?]+)/.exec(resumeUrl)?.[1];
			expect(executionId).toBeDefined();
			await waitUntil(
				`execution ${executionId} to wait`,
				async () =>
					(
						await listExecutions(owner, { workflowId: QUEUE_WORKFLOW_IDS.ask, status: ['waiting'] })
					).some((execution) => execution.id === executionId) || undefined,
			);

			const resumed = await postJson(resumeUrl, { answer: `City ${attempt}` });
			expect(resumed.status).toBe(200);
			expect((resumed.json as Array<{ content: string }>).map((item) => item.content)).toEqual([
				`{"output":"Weather for City ${attempt}, asked by ${eventIdOf(attempt)}"}`,
			]);
			const resume = tracker
				.of('/v1/workflow/stream_resume')
				.find((entry) => bodyOf(entry).event_id === eventIdOf(attempt));
			expect(resume).toBeDefined();
			expect(bodyOf(resume!)).toMatchObject({
				workflow_id: ASK_ID,
				event_id: eventIdOf(attempt),
				interrupt_type: 2,
				resume_data: `City ${attempt}`,
			});
			expect(workerNames()).toContain(run.by);
			expect(workerNames()).toContain(resume!.by);
			console.log(`c) attempt ${attempt}: run on ${run.by}, resume on ${resume!.by}`);
			if (resume!.by !== run.by) crossed = { run: run.by, resume: resume!.by };
		}
		expect(crossed).toBeDefined();
	});

	describe('e) a chat session (Workflow → Chat, conversation remembered per session) whose turns run on both workers', () => {
		const turns: Array<{
			answer?: string;
			conversation_id?: string;
			by: string;
			sentConversation?: unknown;
		}> = [];
		/** The first turn served by a worker that served no earlier turn: it knows the conversation only from what n8n saved. */
		let newWorkerTurn: number | undefined;

		beforeAll(async () => {
			for (let turn = 1; turn <= 8 && (newWorkerTurn === undefined || turn <= 4); turn++) {
				const { status, json } = await postJson(webhook('chat'), {
					workflow_id: CHAT_ID,
					sessionId: 'queue-session-1',
					chatInput: `message ${turn}`,
				});
				expect(status).toBe(200);
				const chat = tracker.of('/v1/workflows/chat').at(-1)!;
				const by = chat.by;
				if (turn > 1 && newWorkerTurn === undefined && !turns.some((earlier) => earlier.by === by))
					newWorkerTurn = turn;
				turns.push({
					...(json as { answer?: string; conversation_id?: string }),
					by,
					sentConversation: bodyOf(chat).conversation_id,
				});
			}
			console.log(
				`e) turns: ${turns.map((turn, i) => `${i + 1} on ${turn.by} in conversation ${turn.conversation_id}`).join('; ')}`,
			);
		});

		it('every turn is answered, and the turns ran on both workers', () => {
			expect(newWorkerTurn).toBeDefined();
			turns.forEach((turn) => expect(workerNames()).toContain(turn.by));
			turns.forEach((turn, i) =>
				expect(turn.answer).toMatch(new RegExp(`^Turn \\d+: you said message ${i + 1}$`)),
			);
		});

		// n8n 2.40.7 loses a workflow's static data in queue mode: the execution it stores for a
		// worker keeps only id, name, nodes, connections and settings (executions/execution-data/
		// types.js toWorkflowSnapshot), and a new execution's job does not ask the worker to load
		// static data (workflow-runner.js: loadStaticData only for an existing execution). Each
		// worker starts with empty static data, remembers sessions only in its own process, and its
		// save overwrites the other's. Flip to it() once n8n (or the node) keeps the conversation.
		it.failing(
			'keeps one Coze conversation whichever worker serves the next turn — KNOWN TO FAIL on n8n 2.40.7 (workers get no static data)',
			() => {
				turns.forEach((turn, i) =>
					expect(turn.answer).toBe(`Turn ${i + 1}: you said message ${i + 1}`),
				);
				expect(new Set(turns.map((turn) => turn.conversation_id)).size).toBe(1);
				turns
					.slice(1)
					.forEach((turn) => expect(turn.sentConversation).toBe(turns[0].conversation_id));
			},
		);

		it('another session gets a conversation of its own', async () => {
			const { json } = await postJson(webhook('chat'), {
				workflow_id: CHAT_ID,
				sessionId: 'queue-session-2',
				chatInput: 'hello',
			});
			expect((json as { answer?: string }).answer).toBe('Turn 1: you said hello');
			expect(turns.map((turn) => turn.conversation_id)).not.toContain(
				(json as { conversation_id?: string }).conversation_id,
			);
		});
	});

	it("d) stopping an execution from the main process closes the worker's connection to Coze", async () => {
		const started = new Promise<void>((resolve) => (holdStarted = resolve));
		const closed = sim.nextStreamClosedByClient();
		const call = new AbortController();
		const answer = postJson(webhook('run'), { workflow_id: HOLD_ID }, call.signal).catch(
			(error: unknown) => (error instanceof Error ? error : new Error(String(error))),
		);
		try {
			await withTimeout(started, 60_000, 'the held run to start');
			const held = tracker
				.of('/v1/workflow/stream_run')
				.find((entry) => entry.record.body && bodyOf(entry).workflow_id === HOLD_ID);
			expect(workerNames()).toContain(held?.by);
			const running = await waitUntil('the held execution to be listed as running', async () => {
				const list = await listExecutions(owner, {
					workflowId: QUEUE_WORKFLOW_IDS.run,
					status: ['running'],
				});
				return list.length === 1 ? list[0] : undefined;
			});
			// Nothing closes the held stream on its own (the node's idle timeout is 600 s here).
			await new Promise((resolve) => setTimeout(resolve, 1000));
			expect(held?.closedByClient).toBeUndefined();

			const stopAt = Date.now();
			const stopped = await owner.request<{ status: string }>(
				'POST',
				`/executions/${running.id}/stop`,
			);
			expect(stopped.status).toBe('canceled');
			const closedIn = await withTimeout(
				closed,
				15_000,
				'the worker to close its Coze stream',
			).then(
				() => Date.now() - stopAt,
				() => -1,
			);
			console.log(`d) the worker closed its Coze stream ${closedIn} ms after the stop request`);
			expect(closedIn).toBeGreaterThanOrEqual(0);
			expect(closedIn).toBeLessThan(10_000);
			expect(held?.closedByClient).toBe(true);
			// The worker lives on and takes the next job.
			expect(n8n.workers.every((worker) => worker.child.exitCode === null)).toBe(true);
			const next = await postJson(webhook('run'), { workflow_id: RUN_ID, parameters: { n: 99 } });
			expect((next.json as Array<{ content: string }>).map((item) => item.content)).toEqual([
				'run 99: first',
				'run 99: second',
				'{"output":"run 99 done"}',
			]);
			const ended = await withTimeout(answer, 15_000, "the stopped run's webhook call to end");
			console.log(
				`d) the stopped run's webhook call ended with ${ended instanceof Error ? ended.message : `HTTP ${ended.status} ${JSON.stringify(ended.json).slice(0, 200)}`}`,
			);
		} finally {
			call.abort();
			await answer;
		}
	});

	// n8n's `database` mode on PostgreSQL reads a file back as one bytea value, which the pg driver
	// receives as hex text: over 256 MiB that text is longer than V8's longest string, the worker
	// logs "Cannot create a string longer than 0x1fffffe8 characters" and the execution never ends
	// (n8n 2.40.7; bench/queue-upload.ts shows it). So 250 MiB here, and 300 MiB in filesystem mode.
	it('b) a 250 MiB file posted to a webhook in binary data mode "database" (queue mode\'s default) reaches Coze intact from a worker', async () => {
		await uploadIntact('database', 250 * MiB);
	});

	it('b) a 300 MiB file in binary data mode "filesystem" reaches Coze intact, and the worker streams it (its memory grows by less than half the file)', async () => {
		await n8n.restart({ N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem' });
		const { growth } = await uploadIntact('filesystem', 300 * MiB);
		// Holding the file would take 300 MiB more; garbage 1 MiB chunks waiting for a GC account for up to ~100.
		expect(growth).toBeLessThan(150);
	});
});

/** Uploads `bytes` through the webhook; checks that Coze received the file intact from a worker. */
async function uploadIntact(mode: string, bytes: number): Promise<{ growth: number }> {
	const outcome = await uploadThroughWebhook(n8n, sim, tracker, bytes, {
		timeoutMs: 3 * 60_000,
		giveUp: binaryFailureInLogs(n8n),
	});
	console.log(`b) ${describeUpload(outcome, mode)}`);
	expect(outcome.gaveUp).toBeUndefined();
	expect(outcome.response?.status).toBe(200);
	expect(outcome.response?.json).toMatchObject({ bytes, file_name: 'big.bin' });
	expect(outcome.received).toMatchObject({
		complete: true,
		bytes,
		sha256: outcome.sha256,
		fileName: 'big.bin',
		fieldNames: ['file'],
	});
	expect(outcome.worker).toBeDefined();
	const memory = outcome.memory.get(outcome.worker!)!;
	return { growth: memory.peak - memory.before };
}
