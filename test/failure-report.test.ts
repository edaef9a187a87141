import { failureNotes, type Outcome } from '../nodes/Coze/actions/failure-report';
import { Redactor } from '../nodes/Coze/transport/http/redaction';

const TOKEN = 'pat_simulator_token_0123456789abcdefghijklmnop';
const redact = new Redactor([TOKEN]);
const finished = (json: Record<string, string>): Outcome => ({ result: { main: [{ json }] } });

describe('failureNotes', () => {
	it('names where each other item ran, the failed ones, and the ones not started, without a secret a server echoed', () => {
		const outcomes: Array<Outcome | undefined> = [
			finished({
				content: 'a',
				debug_url: `https://www.coze.cn/work_flow?execute_id=1&t=${TOKEN}`,
			}),
			{ failure: new Error('boom') },
			finished({ content: 'c', execute_id: '7404830425073350003' }),
			{ failure: new Error(`quota of ${TOKEN} exceeded`) },
			{
				result: {
					main: [],
					interrupts: [
						{ json: { event_id: '7404830425073352999/1', debug_url: 'https://www.coze.cn/run/5' } },
					],
				},
			},
			finished({ id: '7400000000000000006', file_ref: '{"file_id":"7400000000000000006"}' }),
			undefined,
			undefined,
			undefined,
			finished({ answer: 'hi' }),
			undefined,
		];
		const [ran, notStarted, hint] = failureNotes(1, 0, [], outcomes, redact);
		expect(ran).toBe(
			'Other items ran in Coze, and their results are not kept when the node fails: item 0: finished, https://www.coze.cn/work_flow?execute_id=1&t=[redacted]; ' +
				'item 2: finished, execute_id 7404830425073350003; item 3: failed too (quota of [redacted] exceeded); ' +
				'item 4: waiting for an answer (event_id 7404830425073352999/1), https://www.coze.cn/run/5; item 5: finished, file id 7400000000000000006; item 9: finished.',
		);
		expect(notStarted).toBe('Not started: items 6–8, 10.');
		expect(hint).toMatch(/^With the node's Settings → On Error → Continue/);
	});

	it('says only what there is: nothing for a lone item that received nothing', () => {
		expect(failureNotes(0, 0, [], [{ failure: new Error('x') }], redact)).toEqual([]);
		expect(
			failureNotes(
				0,
				2,
				[{ id: '7400000000000000001', file_name: 'a.pdf', binary_field: 'data' }],
				[{ failure: new Error('x') }],
				redact,
			),
		).toEqual([
			'2 messages had arrived before the failure.',
			'Uploaded to Coze for this item before the failure, and kept there: "a.pdf" (file id 7400000000000000001). A file input takes one again as {"file_id":"…"} without a new upload.',
			"With the node's Settings → On Error → Continue, they come out as items instead, each failed item as an error item.",
		]);
	});

	it('lists 20 items by name and counts the rest', () => {
		const outcomes: Outcome[] = Array.from({ length: 30 }, (_, n) =>
			n === 0 ? { failure: new Error('x') } : finished({ execute_id: String(n) }),
		);
		const [ran] = failureNotes(0, 0, [], outcomes, redact);
		expect(ran).toContain(
			"item 20: finished, execute_id 20; and 9 more (see the workflow's run history in Coze).",
		);
		expect(ran).not.toContain('item 21:');
	});
});
