import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';

import { closeCozeDispatcher } from '../nodes/Coze/testing';
import { makeTempRoot, removeTempRoot } from '../test/temp-root';

export interface SimulatorChild {
	baseUrl: string;
	token: string;
	stop: () => Promise<void>;
}

/** Starts bench/simulator-process.ts in a child process and waits for its address. */
export async function startSimulatorChild(args: string[] = []): Promise<SimulatorChild> {
	const child: ChildProcess = spawn(
		process.execPath,
		[
			'-r',
			path.join(__dirname, '..', 'dev', 'register-ts.js'),
			path.join(__dirname, 'simulator-process.ts'),
			...args,
		],
		{ stdio: ['pipe', 'pipe', 'inherit'] },
	);
	const firstLine = await new Promise<string>((resolve, reject) => {
		createInterface({ input: child.stdout! }).once('line', resolve);
		child.once('exit', (code) => reject(new Error(`simulator exited with ${code}`)));
	});
	const { baseUrl, token } = JSON.parse(firstLine) as { baseUrl: string; token: string };
	return {
		baseUrl,
		token,
		stop: () =>
			new Promise<void>((resolve) => {
				child.once('exit', () => resolve());
				child.stdin!.end();
			}),
	};
}

/**
 * Runs a benchmark against a simulator in a child process (so this process measures only the
 * node's side), and cleans up whatever happens: the simulator, pooled sockets, temp folders.
 */
export function runBenchmark(
	simulatorArgs: string[],
	bench: (sim: SimulatorChild) => Promise<void>,
): void {
	void (async () => {
		// n8n's binary data stores and user folder go under a root removed when the bench ends.
		const tempRoot = makeTempRoot();
		process.env.N8N_USER_FOLDER ??= path.join(tempRoot, 'n8n-user');
		const sim = await startSimulatorChild(simulatorArgs);
		try {
			await bench(sim);
		} finally {
			await closeCozeDispatcher();
			await sim.stop();
			removeTempRoot(tempRoot);
		}
	})().catch((error: unknown) => {
		console.error(error);
		process.exitCode = 1;
	});
}

export function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)];
}
