// npm run dev: this package in a real n8n, with a Coze sandbox, on http://localhost:5678.
import path from 'node:path';

import { closeCozeDispatcher } from '../nodes/Coze/transport/http/dispatcher';
import { devDir, ensureN8n, installPackage, N8N_VERSION, packPackage, startN8n } from './n8n';
import { importSandboxAndExamples, startSandbox } from './sandbox';

const N8N_PORT = Number(process.env.N8N_PORT ?? 5678);
const SANDBOX_PORT = Number(process.env.COZE_SANDBOX_PORT ?? 5680);
const userFolder = path.join(devDir, 'user');

async function main(): Promise<void> {
	ensureN8n();
	console.log('Building and packing n8n-nodes-coze-workflow…');
	installPackage(userFolder, packPackage());

	const sandbox = await startSandbox(SANDBOX_PORT);
	importSandboxAndExamples(userFolder, SANDBOX_PORT);

	const n8n = startN8n(userFolder, { N8N_PORT: String(N8N_PORT) });
	console.log(`
n8n ${N8N_VERSION} is starting with the Coze node (n8n-nodes-coze-workflow.coze).

  Open      http://localhost:${N8N_PORT}   (the first time, create the owner account)
  Examples  Workflows → "Coze: …" (imported from examples/)
  Sandbox   a Coze simulator on http://127.0.0.1:${SANDBOX_PORT}, credential "Coze sandbox (local simulator)":
            open an example and press Execute: messages stream in, an interrupt leaves by the
            second output, the form answers it and Resume finishes the run.
  Real Coze add a "Coze API" credential with your token, and choose it in the node.
  Stop      Ctrl+C
`);
	const stop = () => {
		n8n.kill('SIGTERM');
	};
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
	n8n.once('exit', (code) => {
		void closeCozeDispatcher();
		void sandbox.close().then(() => process.exit(code ?? 0));
	});
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
