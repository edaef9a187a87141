import { writeFileSync } from 'node:fs';

import { CozeSimulator, SIMULATOR_TOKEN } from '../test/simulator/server';
import { defineSandboxWorkflows } from './sandbox-workflows';

export const SANDBOX_CREDENTIAL = { id: 'coze-sandbox', name: 'Coze sandbox (local simulator)' };

/** Starts the Coze simulator as a sandbox for trying the examples without a Coze account. */
export async function startSandbox(port: number): Promise<CozeSimulator> {
	const simulator = await CozeSimulator.start({ flavour: 'cloud', port });
	defineSandboxWorkflows(simulator);
	return simulator;
}

/** Writes the sandbox credential as `n8n import:credentials` takes it (plain; n8n encrypts it). */
export function writeSandboxCredential(file: string, port: number): void {
	writeFileSync(
		file,
		JSON.stringify([
			{
				...SANDBOX_CREDENTIAL,
				type: 'cozeApi',
				data: { region: 'custom', baseUrl: `http://127.0.0.1:${port}`, accessToken: SIMULATOR_TOKEN },
			},
		]),
	);
}
