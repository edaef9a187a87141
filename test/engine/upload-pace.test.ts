import { stopSimulator } from '../simulator/stop';
import { CozeSimulator } from '../simulator/server';
import {
	COZE_TYPE,
	cozeCredentials,
	runWorkflow,
	useBinaryMode,
	type Edge,
	type TestNode,
} from './harness';

const UPLOADS = 30;

/** Start → Make Binary (`count` small files) → Coze Upload, all items at once. */
function uploadBatch(sim: CozeSimulator, count: number, onCozeStart: () => void) {
	const files = Array.from({ length: count }, (_, i) => ({
		bytes: 1000,
		fileName: `f${i}.txt`,
		mimeType: 'text/plain',
	}));
	const nodes: TestNode[] = [
		{ name: 'Start', type: 'test.start' },
		{ name: 'Make Binary', type: 'test.makeBinary', parameters: { files: JSON.stringify(files) } },
		{
			name: 'Coze',
			type: COZE_TYPE,
			parameters: { resource: 'file', operation: 'upload', requestOptions: { concurrency: count } },
		},
	];
	const edges: Edge[] = [
		['Start', 0, 'Make Binary'],
		['Make Binary', 0, 'Coze'],
	];
	return runWorkflow({
		nodes,
		edges,
		credentials: cozeCredentials(sim.baseUrl, sim.token),
		onNode: (event, name) => {
			if (event === 'start' && name === 'Coze') onCozeStart();
		},
	});
}

/** When each upload reached the simulator (its clock, ms), in order. */
function uploadArrivals(sim: CozeSimulator): number[] {
	return sim.requests
		.filter((request) => request.path === '/v1/files/upload')
		.map((request) => request.receivedAt)
		.sort((a, b) => a - b);
}

describe('Upload pacing: at most ten uploads start a second per Coze address', () => {
	let near: CozeSimulator;
	let far: CozeSimulator;
	beforeAll(() => useBinaryMode('filesystem'));
	beforeEach(async () => {
		near = await CozeSimulator.start();
		far = await CozeSimulator.start();
	});
	afterEach(async () => {
		await near.close();
		await stopSimulator(far);
	});

	it(`lets no upload start before its tenth of a second (${UPLOADS} at once), and paces another address apart`, async () => {
		let nodeStarted = 0;
		let otherRun: ReturnType<typeof uploadBatch> | undefined;
		// Once a third of the batch has gone to the first address, one upload to the other.
		near.observe({
			request: (request) => {
				if (request.path === '/v1/files/upload' && uploadArrivals(near).length === 10)
					otherRun = uploadBatch(far, 1, () => undefined);
			},
		});
		const result = await uploadBatch(near, UPLOADS, () => (nodeStarted = Date.now()));
		expect(result.nodeError('Coze')).toBeUndefined();
		expect(result.output('Coze', 0)).toHaveLength(UPLOADS);
		expect(otherRun).toBeDefined();
		const other = await otherRun!;
		expect(other.output('Coze', 0)).toHaveLength(1);

		// Ten a second is one start every 100 ms: counted from when the node started, the k-th upload
		// (from 0) cannot arrive sooner than k × 100 ms. A busy machine only delays arrivals, so this
		// holds however loaded it is (counts per sliding second do not: a stalled event loop lets
		// late uploads go together). Unpaced, all 30 would arrive within a few milliseconds.
		const arrivals = uploadArrivals(near);
		expect(arrivals).toHaveLength(UPLOADS);
		const tooSoon = arrivals
			.map((time, k) => ({ k, afterMs: time - nodeStarted }))
			.filter(({ k, afterMs }) => afterMs < k * 100);
		expect(tooSoon).toEqual([]);

		// The other address did not queue behind the 20 uploads still waiting for their turn: one pace
		// for both would have given it the turn after them.
		const [otherArrival] = uploadArrivals(far);
		expect(otherArrival).toBeLessThan(arrivals[UPLOADS - 1]);
	});
});
