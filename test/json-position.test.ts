import { whereJsonBreaks } from '../nodes/Coze/actions/workflow/parameters';

describe('where typed JSON breaks', () => {
	const text = '{\n  "a": 1,\n  x\n}';

	it.each([
		['Node 20', 'Expected double-quoted property name in JSON at position 14'],
		[
			'Node 22 and later',
			'Expected double-quoted property name in JSON at position 14 (line 3 column 3)',
		],
	])('says the line and column once (%s)', (_node, message) => {
		expect(whereJsonBreaks(text, new SyntaxError(message))).toBe(
			'Expected double-quoted property name in JSON at position 14 (line 3, column 3)',
		);
	});
});

describe('what typed JSON that breaks is told', () => {
	it.each([
		['the start of a short text', '{"a": pat_simulator_token_0123456789}'],
		[
			'the middle of a long text',
			`{"order": "${'4'.repeat(40)}", "note": pat_simulator_token_0123456789}`,
		],
	])(
		"leaves out the piece of the text JavaScript's message quotes (%s): it may be half a secret",
		(_where, text) => {
			let error: Error | undefined;
			try {
				JSON.parse(text);
			} catch (thrown) {
				error = thrown as Error;
			}
			expect(error?.message).toContain('pat_simu');
			expect(whereJsonBreaks(text, error!)).toBe("Unexpected token 'p'");
		},
	);
});
