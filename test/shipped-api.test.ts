// What n8n loads of this package (package.json's n8n.nodes and n8n.credentials, built 1:1 from
// these sources by tsconfig.build.json) offers no way to empty the process's caches: the tests'
// hooks live in nodes/Coze/testing.ts, which no module of the node imports and the build leaves out.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

import ts from 'typescript';

const root = path.join(__dirname, '..');
const ENTRIES = ['nodes/Coze/Coze.node.ts', 'credentials/CozeApi.credentials.ts'];
const TEST_ENTRY = 'nodes/Coze/testing.ts';

/** Every source file reachable by relative imports from the entries (packages from node_modules left out). */
function importGraph(entries: string[]): string[] {
	const seen = new Set<string>();
	const pending = entries.map((entry) => path.join(root, entry));
	for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
		if (seen.has(file)) continue;
		seen.add(file);
		if (!file.endsWith('.ts')) continue;
		for (const { fileName } of ts.preProcessFile(readFileSync(file, 'utf8'), true, true)
			.importedFiles) {
			if (!fileName.startsWith('.')) continue;
			const base = path.resolve(path.dirname(file), fileName);
			const resolved = [`${base}.ts`, path.join(base, 'index.ts'), base].find((candidate) =>
				existsSync(candidate),
			);
			if (!resolved)
				throw new Error(
					`${path.relative(root, file)} imports ${fileName}, which resolves to no file`,
				);
			pending.push(resolved);
		}
	}
	return [...seen].map((file) => path.relative(root, file)).sort();
}

/** A name that empties or closes what the process keeps: a test's hook, not the node's API. */
const HOOK_NAME = /^(forget|reset|clear|close)/i;

describe('the shipped modules', () => {
	const graph = importGraph(ENTRIES);

	it("reach the node's code but not the tests' entry to its process caches", () => {
		expect(graph).toContain('nodes/Coze/transport/http/bounded-cache.ts');
		expect(graph).not.toContain(TEST_ENTRY);
		expect(
			graph.filter((file) => !file.startsWith('nodes/') && !file.startsWith('credentials/')),
		).toEqual([]);
	});

	it('export no hook that empties a cache or closes the connection pools', async () => {
		const hooks: string[] = [];
		for (const file of graph.filter((name) => name.endsWith('.ts'))) {
			for (const name of Object.keys((await import(path.join(root, file))) as object))
				if (HOOK_NAME.test(name)) hooks.push(`${file}: ${name}`);
		}
		expect(hooks).toEqual([]);
		// The test entry has them: the pattern finds what it looks for.
		expect(
			Object.keys((await import(path.join(root, TEST_ENTRY))) as object).filter((name) =>
				HOOK_NAME.test(name),
			),
		).toEqual(
			expect.arrayContaining([
				'forgetConversationsOfThisProcess',
				'forgetWorkflowApps',
				'forgetWorkspaces',
				'closeCozeDispatcher',
			]),
		);
	});

	it("are what the build compiles, without the tests' entry", () => {
		const config = ts.getParsedCommandLineOfConfigFile(
			path.join(root, 'tsconfig.build.json'),
			{},
			{ ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined },
		);
		const built = (config?.fileNames ?? []).map((file) => path.relative(root, file));
		expect(built).not.toContain(TEST_ENTRY);
		expect(built).toEqual(expect.arrayContaining(graph.filter((file) => file.endsWith('.ts'))));
	});
});
