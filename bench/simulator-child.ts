import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';

export interface SimulatorChild {
	baseUrl: string;
	token: string;
	stop: () => Promise<void>;
}

/** Starts bench/simulator-process.ts in a child process and waits for its address. */
export async function startSimulatorChild(args: string[] = []): Promise<SimulatorChild> {
	const child: ChildProcess = spawn(
		process.execPath,
		['-r', path.join(__dirname, '..', 'dev', 'register-ts.js'), path.join(__dirname, 'simulator-process.ts'), ...args],
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
