import { cozeNodeOutputs } from './harness';

describe("the node's outputs follow its resource", () => {
	it('gives Run and Resume their Messages and Interrupts outputs', () => {
		for (const operation of ['run', 'resume']) {
			expect(cozeNodeOutputs({ resource: 'workflow', operation })).toEqual([
				{ type: 'main', displayName: 'Messages' },
				{ type: 'main', displayName: 'Interrupts' },
			]);
		}
	});

	it('gives Upload one output named for what it holds', () => {
		expect(cozeNodeOutputs({ resource: 'file', operation: 'upload' })).toEqual([
			{ type: 'main', displayName: 'File' },
		]);
	});

	it("puts n8n's error output right after them", () => {
		expect(
			cozeNodeOutputs({ resource: 'file', operation: 'upload' }, 'continueErrorOutput').map(
				(output) => (output as { displayName: string }).displayName,
			),
		).toEqual(['Success', 'Error']);
		expect(
			cozeNodeOutputs({ resource: 'workflow', operation: 'run' }, 'continueErrorOutput').map(
				(output) => (output as { displayName: string }).displayName,
			),
		).toEqual(['Messages', 'Interrupts', 'Error']);
	});
});
