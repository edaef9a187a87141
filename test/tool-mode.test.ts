import { NodeHelpers, type IExecuteFunctions } from 'n8n-workflow';

import { n8nToolTypeRule, runsAsTool, typeNameEndsInTool } from '../nodes/Coze/actions/tool-mode';

/** The two things runsAsTool asks of n8n's execute context. */
function contextOf(type: string, isToolExecution?: () => boolean): IExecuteFunctions {
	return {
		getNode: () => ({ type }),
		...(isToolExecution ? { isToolExecution } : {}),
	} as unknown as IExecuteFunctions;
}

describe("how the node knows it runs as an AI Agent's tool", () => {
	it("believes the context's isToolExecution() (an agent calling the tool n8n made of the node)", () => {
		expect(
			runsAsTool(
				contextOf('n8n-nodes-coze-workflow.coze', () => true),
				() => false,
			),
		).toBe(true);
	});

	it("asks n8n's own rule for tool node types when the context says no (an agent's engine request runs the node in an ordinary context)", () => {
		const asked: string[] = [];
		const rule = (type: string) => (asked.push(type), type === 'n8n-nodes-coze-workflow.cozeTool');
		expect(
			runsAsTool(
				contextOf('n8n-nodes-coze-workflow.cozeTool', () => false),
				rule,
			),
		).toBe(true);
		expect(
			runsAsTool(
				contextOf('n8n-nodes-coze-workflow.coze', () => false),
				rule,
			),
		).toBe(false);
		// n8n's rule, not the name's ending, decides: a rule that says no is believed.
		expect(runsAsTool(contextOf('n8n-nodes-coze-workflow.cozeTool'), () => false)).toBe(false);
		expect(asked).toEqual(['n8n-nodes-coze-workflow.cozeTool', 'n8n-nodes-coze-workflow.coze']);
	});

	it("uses n8n's NodeHelpers.isToolType where n8n has it", () => {
		expect(typeof NodeHelpers.isToolType).toBe('function');
		expect(n8nToolTypeRule(NodeHelpers)).toBe(NodeHelpers.isToolType);
		expect(runsAsTool(contextOf('n8n-nodes-coze-workflow.cozeTool', () => false))).toBe(true);
		expect(runsAsTool(contextOf('n8n-nodes-coze-workflow.coze', () => false))).toBe(false);
	});

	it('falls back to the type name ending in "Tool" (what n8n names the tool it makes of a node) in an n8n without that rule', () => {
		expect(n8nToolTypeRule({})).toBe(typeNameEndsInTool);
		expect(typeNameEndsInTool('n8n-nodes-coze-workflow.cozeTool')).toBe(true);
		expect(typeNameEndsInTool('n8n-nodes-coze-workflow.coze')).toBe(false);
		// An n8n 1.x context has no isToolExecution() at all.
		expect(runsAsTool(contextOf('n8n-nodes-coze-workflow.cozeTool'), n8nToolTypeRule({}))).toBe(
			true,
		);
		expect(runsAsTool(contextOf('n8n-nodes-coze-workflow.coze'), n8nToolTypeRule({}))).toBe(false);
	});
});
