// test/sandbox/sandbox.ts importSandboxAndExamples, with a stand-in for n8n's CLI that records each call:
// every `n8n import:…` boots n8n (most of a call's time), so the first start imports the sandbox
// credential and all examples in two calls; a later start imports only what is new or changed,
// so that an example edited in n8n is not overwritten.
import {
	existsSync,
	mkdirSync,
	readdirSync,
	readFileSync,
	rmSync,
	symlinkSync,
	writeFileSync,
} from 'node:fs';
import path from 'node:path';

import { makeTempFolder } from '../temp-root';

interface CliCall {
	command: string;
	/** Where the call's Node keeps its module compile cache. */
	compileCache?: string;
	/** What the --input file held when the CLI read it. */
	input: Array<{
		id?: string;
		name?: string;
		nodes?: Array<{ parameters?: { url?: string } }>;
		data?: { baseUrl?: string };
	}>;
}

type Importer = typeof import('../sandbox/sandbox').importSandboxAndExamples;

const examples = readdirSync(path.join(__dirname, '..', '..', 'examples'))
	.filter((file) => file.endsWith('.json'))
	.sort();

/** An installed "n8n" whose CLI records its calls (and makes the database file n8n would). */
function fakeN8n(root: string, callLog: string): string {
	const n8nDir = path.join(root, 'n8n');
	const bin = path.join(n8nDir, 'node_modules', 'n8n', 'bin');
	mkdirSync(bin, { recursive: true });
	writeFileSync(
		path.join(bin, 'n8n'),
		`const fs = require('node:fs'); const path = require('node:path');
const folder = path.join(process.env.N8N_USER_FOLDER, '.n8n');
fs.mkdirSync(folder, { recursive: true });
fs.writeFileSync(path.join(folder, 'database.sqlite'), '');
const input = process.argv.find((arg) => arg.startsWith('--input=')).slice('--input='.length);
fs.appendFileSync(process.env.FAKE_N8N_LOG, JSON.stringify({ command: process.argv[2], input: JSON.parse(fs.readFileSync(input, 'utf8')), compileCache: process.env.NODE_COMPILE_CACHE }) + '\\n');
`,
	);
	// The Node that runs n8n when this one is older than 24 (test/n8n/n8n.ts nodeForN8n): this one will do here.
	const nodeBin = path.join(
		n8nDir,
		'node_modules',
		`node-${process.platform}-${process.arch}`,
		'bin',
	);
	mkdirSync(nodeBin, { recursive: true });
	symlinkSync(process.execPath, path.join(nodeBin, 'node'));
	writeFileSync(callLog, '');
	return n8nDir;
}

describe('importing the sandbox credential and the examples into n8n', () => {
	let importSandboxAndExamples: Importer;
	let userFolder: string;
	let callLog: string;
	let n8nDir: string;
	const calls = (): CliCall[] =>
		readFileSync(callLog, 'utf8')
			.split('\n')
			.filter(Boolean)
			.map((line) => JSON.parse(line) as CliCall);
	const run = (port: number, reimport = false) => {
		const before = calls().length;
		const summary = importSandboxAndExamples(
			userFolder,
			port,
			{ FAKE_N8N_LOG: callLog },
			{ reimport },
		);
		return { summary, calls: calls().slice(before) };
	};

	beforeAll(() => {
		const root = makeTempFolder('import-examples-');
		callLog = path.join(root, 'calls.jsonl');
		n8nDir = fakeN8n(root, callLog);
		process.env.COZE_N8N_DIR = n8nDir;
		jest.isolateModules(() => {
			({ importSandboxAndExamples } =
				jest.requireActual<typeof import('../sandbox/sandbox')>('../sandbox/sandbox'));
		});
		delete process.env.COZE_N8N_DIR;
		userFolder = path.join(root, 'user');
	});

	it('imports the credential in one call and every example in one more, on a first start', () => {
		const { summary, calls } = run(5680);
		expect(calls.map((call) => call.command)).toEqual(['import:credentials', 'import:workflow']);
		expect(calls[0].input).toEqual([
			expect.objectContaining({
				id: 'coze-sandbox',
				data: expect.objectContaining({ baseUrl: 'http://127.0.0.1:5680' }),
			}),
		]);
		expect(calls[1].input).toHaveLength(examples.length);
		// Beside the installed n8n, not in the system's temp folder, where Node would put it.
		expect(calls.map((call) => call.compileCache)).toEqual([
			path.join(n8nDir, '.compile-cache'),
			path.join(n8nDir, '.compile-cache'),
		]);
		expect(summary).toEqual({ credential: 'imported', added: examples, changed: [], kept: [] });
		// Nothing of the import is left in the user folder (the credential file holds its token).
		expect(readdirSync(userFolder).filter((name) => name.endsWith('.json'))).toEqual([]);
	});

	it('imports nothing on the next start: what the user changed in n8n stays', () => {
		const { summary, calls } = run(5680);
		expect(calls).toEqual([]);
		expect(summary).toEqual({ credential: 'kept', added: [], changed: [], kept: examples });
	});

	it("imports again only what changed: here the sandbox's address, in the credential and in the example that downloads from it", () => {
		const { summary, calls } = run(5690);
		expect(calls.map((call) => call.command)).toEqual(['import:credentials', 'import:workflow']);
		expect(summary.changed).toEqual(['file-into-workflow.json']);
		expect(summary.kept).toEqual(examples.filter((file) => file !== 'file-into-workflow.json'));
		const [fileExample] = calls[1].input;
		expect(fileExample.nodes?.map((node) => node.parameters?.url).filter(Boolean)).toEqual([
			'http://127.0.0.1:5690/sandbox/photo.png',
		]);
	});

	it('imports everything again when asked to', () => {
		const { summary, calls } = run(5690, true);
		expect(calls.map((call) => [call.command, call.input.length])).toEqual([
			['import:credentials', 1],
			['import:workflow', examples.length],
		]);
		expect(summary.added).toEqual(examples);
	});

	it('imports everything again into a new database', () => {
		const database = path.join(userFolder, '.n8n', 'database.sqlite');
		expect(existsSync(database)).toBe(true);
		rmSync(database);
		const { summary, calls } = run(5690);
		expect(calls).toHaveLength(2);
		expect(summary.added).toEqual(examples);
	});
});
