// Numbers stay exact: the Parameters a user types reach Coze digit for digit, an
// expression's rounded integer is refused with a clear error, and numbers Coze sends are read
// without losing digits or failing on fractions.
import { runWorkflow, useBinaryMode } from '../engine/harness';
import { stopSimulator } from '../simulator/stop';
import { CozeSimulator } from '../simulator/server';
import { cozeGraph, okStream, WORKFLOW_ID } from './graph';

describe('numbers through the node', () => {
	let sim: CozeSimulator;
	beforeAll(() => useBinaryMode('memory'));
	beforeEach(async () => {
		sim = await CozeSimulator.start();
		sim.defineWorkflow(WORKFLOW_ID, { run: () => okStream() });
	});
	afterEach(() => stopSimulator(sim));

	it('sends typed Parameters digit for digit: a 19-digit integer, 1e400, a long fraction', async () => {
		const typed =
			'{"order_id": 7404830425073352713, "big": 1e400, "score": 0.30000000000000004, "ids": [9007199254740993]}';
		const result = await runWorkflow(cozeGraph(sim, { parameters: { parameters: typed } }));
		expect(result.nodeError('Coze')).toBeUndefined();
		const sent =
			sim.requests.find((request) => request.path === '/v1/workflow/stream_run')?.body ?? '';
		expect(sent).toContain(`"parameters":${typed}`);
	});

	it.each([
		[
			'={{ { order_id: 7404830425073352713 } }}',
			'Parameters.order_id is the integer 7404830425073353000',
		],
		['={{ { list: [1, 2 ** 60] } }}', `Parameters.list[1] is the integer ${2 ** 60}`],
		['={{ { ratio: 0 / 0 } }}', 'Parameters.ratio is NaN, which JSON cannot carry'],
	])(
		'refuses an expression whose numbers JavaScript has already changed: %s',
		async (parameters, message) => {
			const result = await runWorkflow(cozeGraph(sim, { parameters: { parameters } }));
			expect(result.nodeError('Coze')?.message).toContain(message);
			expect(result.nodeError('Coze')?.description).toMatch(/Quote it as a string/);
			expect(sim.requests).toHaveLength(0);
		},
	);

	it('reads event data with a 19-digit integer beside a long fraction, and keeps a safe 16-digit integer a number', async () => {
		const content =
			'{"id":7404830425073352713,"score":0.30000000000000004,"safe":1234567890123456,"e":1.5e300}';
		sim.defineWorkflow(WORKFLOW_ID, {
			run: () => ({
				stream: [
					{
						id: 0,
						event: 'Message',
						data: `{"content":${JSON.stringify(content)},"node_title":"End","node_seq_id":"0","node_is_finish":true,"node_id":7404830425073352713,"cost":0.30000000000000004}`,
					},
					{ id: 1, event: 'Done', data: {} },
				],
			}),
		});
		const result = await runWorkflow(cozeGraph(sim));
		expect(result.nodeError('Coze')).toBeUndefined();
		const [message] = result.output('Coze', 0);
		expect(message.json).toMatchObject({ content, node_id: '7404830425073352713' });
		expect(message.json.parsed).toEqual({
			id: '7404830425073352713',
			score: 0.30000000000000004,
			safe: 1234567890123456,
			e: 1.5e300,
		});
	});
});
