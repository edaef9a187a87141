import { whereJsonBreaks } from '../nodes/Coze/actions/workflow/parameters';

describe('where typed JSON breaks', () => {
	const text = '{\n  "a": 1,\n  x\n}';

	it.each([
		['Node 20', 'Expected double-quoted property name in JSON at position 14'],
		['Node 22 and later', 'Expected double-quoted property name in JSON at position 14 (line 3 column 3)'],
	])('says the line and column once (%s)', (_node, message) => {
		expect(whereJsonBreaks(text, new SyntaxError(message))).toBe('Expected double-quoted property name in JSON at position 14 (line 3, column 3)');
	});
});
