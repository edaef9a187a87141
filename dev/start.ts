// npm run dev: this package in a real n8n, with a Coze sandbox, on http://localhost:5678.
// `npm run dev -- --reimport-examples` imports the examples and the sandbox credential again.
import path from 'node:path';

import { closeCozeDispatcher } from '../nodes/Coze/testing';
import {
	devDir,
	ensureN8n,
	installPackage,
	N8N_VERSION,
	packPackage,
	startN8n,
} from '../test/n8n/n8n';
import { elapsed, progressLog } from './progress';
import {
	importSandboxAndExamples,
	SANDBOX_DEFAULT_PORT,
	startSandbox,
	type ImportSummary,
} from '../test/sandbox/sandbox';

const N8N_PORT = Number(process.env.N8N_PORT ?? 5678);
const SANDBOX_PORT = Number(process.env.COZE_SANDBOX_PORT ?? SANDBOX_DEFAULT_PORT);
const REIMPORT = process.argv.includes('--reimport-examples');
const userFolder = path.join(devDir, 'user');
const started = Date.now();
const log = progressLog(started);

async function main(): Promise<void> {
	ensureN8n(log);
	log('building and packing n8n-nodes-coze-workflow…');
	const tarball = packPackage();
	log("installing it into n8n's user folder (.dev/user)…");
	installPackage(userFolder, tarball);

	const sandbox = await startSandbox(SANDBOX_PORT);
	log(`Coze sandbox on http://127.0.0.1:${SANDBOX_PORT}; checking what to import…`);
	const summary = importSandboxAndExamples(
		userFolder,
		SANDBOX_PORT,
		{},
		{ reimport: REIMPORT, log },
	);
	for (const line of describeImport(summary)) log(line);

	log(`starting n8n ${N8N_VERSION}…`);
	const n8n = startN8n(userFolder, { N8N_PORT: String(N8N_PORT) });
	const stop = () => {
		n8n.kill('SIGTERM');
	};
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
	n8n.once('exit', (code) => {
		void closeCozeDispatcher();
		void sandbox.close().then(() => process.exit(code ?? 0));
	});
	if (!(await becomesReady(`http://localhost:${N8N_PORT}`, () => n8n.exitCode !== null))) return;
	log(`n8n is ready (${elapsed(Date.now() - started)} since npm run dev started).`);
	console.log(`
n8n ${N8N_VERSION} runs with the Coze node (n8n-nodes-coze-workflow.coze).

  Open      http://localhost:${N8N_PORT}   (the first time, create the owner account)
  Examples  Workflows → "Coze: …" (imported from examples/)
  Sandbox   a Coze simulator on http://127.0.0.1:${SANDBOX_PORT}, credential "Coze sandbox (local simulator)":
            open an example and press Execute: messages stream in, an interrupt leaves by the
            second output, the form answers it and Resume finishes the run. In the chat
            examples press Open chat: a chatflow, and bots (one calls get_weather, which the
            workflow answers) stream their answers in.
  Real Coze add a "Coze API" credential with your token, and choose it in the node.
  Stop      Ctrl+C
`);
}

/** The terminal's account of the import: what came in, and what was kept as the user left it. */
function describeImport(summary: ImportSummary): string[] {
	const list = (files: string[]) => files.join(', ');
	const lines: string[] = [];
	if (summary.added.length) lines.push(`imported ${list(summary.added)} from examples/`);
	if (summary.changed.length)
		lines.push(
			`examples/ changed since the last import: imported ${list(summary.changed)} again (replacing that workflow in n8n)`,
		);
	if (summary.kept.length) {
		const count = summary.kept.length === 1 ? 'one example' : `${summary.kept.length} examples`;
		lines.push(
			`${count} already imported: left as they are in n8n, your edits included (\`npm run dev -- --reimport-examples\` imports them again)`,
		);
	}
	return lines;
}

/** Waits until n8n answers its readiness check (true), or its process ends first (false). */
async function becomesReady(base: string, exited: () => boolean): Promise<boolean> {
	while (!exited()) {
		if (
			await fetch(`${base}/healthz/readiness`).then(
				(response) => response.ok,
				() => false,
			)
		)
			return true;
		await new Promise((resolve) => setTimeout(resolve, 1000));
	}
	return false;
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
