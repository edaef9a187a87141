import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { CozeSimulator, SIMULATOR_TOKEN } from '../test/simulator/server';
import { n8nCli, root } from './n8n';
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
export function writeSandboxCredential(file: string, port: number, credential: { id: string; name: string } = SANDBOX_CREDENTIAL): void {
	writeFileSync(
		file,
		JSON.stringify([
			{
				...credential,
				type: 'cozeApi',
				data: { region: 'custom', baseUrl: `http://127.0.0.1:${port}`, accessToken: SIMULATOR_TOKEN },
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

/**
 * Imports the sandbox credential (for the sandbox on `port`) and the examples/ workflows into
 * an n8n user folder with n8n's CLI; ids in the files make a second import overwrite the first.
 */
export function importSandboxAndExamples(userFolder: string, port: number, env: NodeJS.ProcessEnv = {}): void {
	mkdirSync(userFolder, { recursive: true });
	const credentialFile = path.join(userFolder, 'sandbox-credential.json');
	writeSandboxCredential(credentialFile, port);
	const examples = readdirSync(path.join(root, 'examples')).filter((file) => file.endsWith('.json'));
	for (const file of examples) writeFileSync(path.join(userFolder, file), exampleForSandbox(readFileSync(path.join(root, 'examples', file), 'utf8'), `http://127.0.0.1:${port}`));
	const imports = [['import:credentials', credentialFile], ...examples.map((file) => ['import:workflow', path.join(userFolder, file)])];
	for (const [command, file] of imports) {
		const result = n8nCli(userFolder, [command, `--input=${file}`], env);
		if (result.status !== 0) throw new Error(`n8n ${command} ${path.basename(file)} failed:\n${result.stdout}\n${result.stderr}`);
	}
}
