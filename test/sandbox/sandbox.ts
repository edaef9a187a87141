import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { CozeSimulator, SIMULATOR_TOKEN } from '../simulator/server';
import { hashOf, readImportRecord, writeImportRecord } from './import-record';
import { n8nCli, root } from '../n8n/n8n';
import { defineSandboxWorkflows } from './sandbox-workflows';

export const SANDBOX_CREDENTIAL = { id: 'coze-sandbox', name: 'Coze sandbox (local simulator)' };

/** Starts the Coze simulator as a sandbox for trying the examples without a Coze account. */
export async function startSandbox(port: number): Promise<CozeSimulator> {
	const simulator = await CozeSimulator.start({ flavour: 'cloud', port });
	defineSandboxWorkflows(simulator);
	return simulator;
}

/**
 * Writes the sandbox credential (or another token credential for a simulator on `port`, named
 * `credential`) as `n8n import:credentials` takes it (plain; n8n encrypts it).
 */
export function writeSandboxCredential(
	file: string,
	port: number,
	credential: { id: string; name: string } = SANDBOX_CREDENTIAL,
): void {
	writeFileSync(
		file,
		JSON.stringify([
			{
				...credential,
				type: 'cozeApi',
				data: {
					region: 'custom',
					baseUrl: `http://127.0.0.1:${port}`,
					accessToken: SIMULATOR_TOKEN,
				},
			},
		]),
	);
}

/** The sandbox's port in `npm run dev` (COZE_SANDBOX_PORT picks another). */
export const SANDBOX_DEFAULT_PORT = 5680;
/** The examples address the sandbox (its sample photo) here. */
const SANDBOX_DEFAULT_URL = `http://127.0.0.1:${SANDBOX_DEFAULT_PORT}`;

/** An example's text as imported for the sandbox at `sandboxUrl` (another port in tests). */
export function exampleForSandbox(text: string, sandboxUrl: string): string {
	return text.split(SANDBOX_DEFAULT_URL).join(sandboxUrl);
}

/** The credential's name in the import record. */
const CREDENTIAL_RECORD = 'sandbox credential';

/** What one import did, for the terminal: files imported (new, or changed since) and files kept. */
export interface ImportSummary {
	credential: 'imported' | 'kept';
	added: string[];
	changed: string[];
	kept: string[];
}

/**
 * Imports the sandbox credential (for the sandbox on `port`) and the examples/ workflows into an
 * n8n user folder with n8n's CLI: the credential in one call, all examples in another (each CLI
 * call boots n8n, which is most of its time). Only what is new or changed since the last import
 * into this user folder is imported, so that an example edited in n8n is not overwritten on the
 * next start; `reimport` imports everything again. Ids in the files make an import replace the
 * workflow of the same id.
 */
export function importSandboxAndExamples(
	userFolder: string,
	port: number,
	env: NodeJS.ProcessEnv = {},
	options: { reimport?: boolean; log?: (line: string) => void } = {},
): ImportSummary {
	const log = options.log ?? (() => undefined);
	mkdirSync(path.join(userFolder, '.n8n'), { recursive: true });
	const record = options.reimport ? new Map<string, string>() : readImportRecord(userFolder);
	const cli = (command: string, file: string) => {
		const result = n8nCli(userFolder, [command, `--input=${file}`], env);
		if (result.status !== 0)
			throw new Error(`n8n ${command} failed:\n${result.stdout}\n${result.stderr}`);
	};

	const credentialFile = path.join(userFolder, 'sandbox-credential.json');
	writeSandboxCredential(credentialFile, port);
	const credentialHash = hashOf(readFileSync(credentialFile, 'utf8'));
	const credential = record.get(CREDENTIAL_RECORD) === credentialHash ? 'kept' : 'imported';
	if (credential === 'imported') {
		log('importing the sandbox credential…');
		cli('import:credentials', credentialFile);
		record.set(CREDENTIAL_RECORD, credentialHash);
		writeImportRecord(userFolder, record);
	}
	rmSync(credentialFile, { force: true });

	const summary: ImportSummary = { credential, added: [], changed: [], kept: [] };
	const sandboxUrl = `http://127.0.0.1:${port}`;
	const workflows: unknown[] = [];
	const hashes = new Map<string, string>();
	for (const file of readdirSync(path.join(root, 'examples'))
		.filter((name) => name.endsWith('.json'))
		.sort()) {
		const text = exampleForSandbox(
			readFileSync(path.join(root, 'examples', file), 'utf8'),
			sandboxUrl,
		);
		const hash = hashOf(text);
		const before = record.get(`examples/${file}`);
		if (before === hash) {
			summary.kept.push(file);
			continue;
		}
		(before === undefined ? summary.added : summary.changed).push(file);
		workflows.push(JSON.parse(text));
		hashes.set(`examples/${file}`, hash);
	}
	if (workflows.length > 0) {
		log(`importing ${workflows.length === 1 ? 'one example' : `${workflows.length} examples`}…`);
		const batchFile = path.join(userFolder, 'examples-to-import.json');
		writeFileSync(batchFile, JSON.stringify(workflows));
		try {
			cli('import:workflow', batchFile);
		} finally {
			rmSync(batchFile, { force: true });
		}
		for (const [name, hash] of hashes) record.set(name, hash);
		writeImportRecord(userFolder, record);
	}
	return summary;
}
