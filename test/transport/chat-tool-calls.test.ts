import { CozeError } from '../../nodes/Coze/transport/http/coze-error';
import { Redactor } from '../../nodes/Coze/transport/http/redaction';
import type { CollectedChat } from '../../nodes/Coze/transport/protocols/chat-collector';
import { assertNoToolCalls } from '../../nodes/Coze/transport/protocols/chat-tool-calls';

/**
 * The cloud's requires_action with tool calls (cozepy chat/__init__.py ChatRequiredAction: type
 * submit_tool_outputs, submit_tool_outputs.tool_calls[{id, type "function", function {name,
 * arguments}}]) waits for outputs this node cannot send; a question node's requires_action has
 * no required_action and is an answer.
 */
describe("the Chat protocol's refusal of a turn that waits for a local plugin", () => {
	const redact = new Redactor(['pat_secret_token_of_the_credential']);
	const turn = (changes: Partial<CollectedChat>): CollectedChat => ({
		answer: '',
		messages: [],
		status: 'completed',
		...changes,
	});

	it('throws the Coze error itself, naming what Coze asked for (redacted)', () => {
		const requiredAction = {
			type: 'submit_tool_outputs',
			submit_tool_outputs: {
				tool_calls: [
					{
						id: 'call_1',
						type: 'function',
						function: { name: 'local_plugin', arguments: 'pat_secret_token_of_the_credential' },
					},
				],
			},
		};
		let failure: unknown;
		try {
			assertNoToolCalls(
				turn({
					status: 'requires_action',
					requiredAction,
					debugUrl: 'https://www.coze.cn/work_flow?execute_id=1',
				}),
				redact,
			);
		} catch (error) {
			failure = error;
		}
		expect(failure).toBeInstanceOf(CozeError);
		expect(failure).toMatchObject({
			kind: 'api',
			message:
				'The Coze chatflow waits for the output of a local plugin, which this node cannot send',
			debugUrl: 'https://www.coze.cn/work_flow?execute_id=1',
		});
		expect((failure as CozeError).description).toContain('local_plugin');
		expect((failure as CozeError).description).not.toContain('pat_secret');
	});

	it("lets a question's requires_action (no tool calls) and a completed turn through", () => {
		expect(() => assertNoToolCalls(turn({ status: 'requires_action' }), redact)).not.toThrow();
		expect(() =>
			assertNoToolCalls(turn({ status: 'requires_action', requiredAction: null }), redact),
		).not.toThrow();
		expect(() => assertNoToolCalls(turn({ status: 'completed' }), redact)).not.toThrow();
	});
});
