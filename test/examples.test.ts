import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import type { INodeProperties } from 'n8n-workflow';

import { Coze } from '../nodes/Coze/Coze.node';

interface ExampleNode {
	name: string;
	type: string;
	typeVersion: number;
	parameters: Record<string, unknown>;
}

const examplesDir = path.join(__dirname, '..', 'examples');
const examples = readdirSync(examplesDir).filter((file) => file.endsWith('.json'));
const properties = new Coze().description.properties;

/** Whether a '@version' condition of displayOptions (versions.ts: a list, or { _cnd: { gte } }) holds for `version`. */
function versionShown(condition: unknown[] | undefined, version: number): boolean {
	if (!condition) return true;
	return condition.some((entry) => entry === version || (typeof entry === 'object' && entry !== null && version >= ((entry as { _cnd?: { gte?: number } })._cnd?.gte ?? Infinity)));
}

/** The names a Coze node of this version may carry for a resource and operation, nested option names included. */
function allowedNames(resource: string, operation: string, version: number): Map<string, INodeProperties> {
	const shown = properties.filter((property) => {
		const show = property.displayOptions?.show;
		return (
			!show ||
			((!show.resource || show.resource.includes(resource)) && (!show.operation || show.operation.includes(operation)) && versionShown(show['@version'] as unknown[] | undefined, version))
		);
	});
	return new Map(shown.map((property) => [property.name, property]));
}

/** The Coze node, and the same node as an AI Agent's tool (n8n makes `cozeTool` of it). */
const COZE_TYPES = new Set(['n8n-nodes-coze-workflow.coze', 'n8n-nodes-coze-workflow.cozeTool']);
/** What n8n adds to a node it makes a tool of. */
const TOOL_PARAMETERS = new Set(['descriptionType', 'toolDescription']);

describe.each(examples)('examples/%s', (file) => {
	const workflow = JSON.parse(readFileSync(path.join(examplesDir, file), 'utf8')) as { nodes: ExampleNode[]; connections: Record<string, unknown> };
	const cozeNodes = workflow.nodes.filter((node) => COZE_TYPES.has(node.type));

	it('uses the Coze node', () => {
		expect(cozeNodes.length).toBeGreaterThan(0);
	});

	it('uses the node\'s newest version, as a node added in the editor is', () => {
		for (const node of cozeNodes) expect([node.name, node.typeVersion]).toEqual([node.name, new Coze().description.defaultVersion]);
	});

	it('gives the Coze node only parameters its version has, with valid option values', () => {
		for (const node of cozeNodes) {
			const { resource, operation } = node.parameters as { resource: string; operation: string };
			const allowed = allowedNames(resource, operation, node.typeVersion);
			for (const [name, value] of Object.entries(node.parameters)) {
				if (node.type.endsWith('Tool') && TOOL_PARAMETERS.has(name)) continue;
				const property = allowed.get(name);
				expect([node.name, name, property !== undefined]).toEqual([node.name, name, true]);
				if (property?.type === 'options' && typeof value === 'string' && !value.startsWith('=')) {
					expect(property.options?.map((option) => (option as { value: string }).value)).toContain(value);
				}
				if (property?.type === 'collection') {
					const optionNames = (property.options as INodeProperties[]).map((option) => option.name);
					for (const key of Object.keys(value as object)) expect(optionNames).toContain(key);
				}
			}
		}
	});

	it('connects only nodes that exist', () => {
		const names = new Set(workflow.nodes.map((node) => node.name));
		for (const [from, outputs] of Object.entries(workflow.connections)) {
			expect(names.has(from)).toBe(true);
			// Every kind of connection: main, and an agent's ai_languageModel and ai_tool.
			for (const output of Object.values(outputs as Record<string, Array<Array<{ node: string }> | null>>).flat()) {
				for (const connection of output ?? []) expect(names.has(connection.node)).toBe(true);
			}
		}
	});
});
