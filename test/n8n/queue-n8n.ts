// n8n in queue mode, as a production install runs it: one main process (`n8n start`: editor,
// REST API, webhooks, the queue's producer) and N workers (`n8n worker`) that run the executions,
// sharing one PostgreSQL database, one Redis and one encryption key; this package installed in
// their shared user folder, the Coze credential pointing at a simulator.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
	closeSync,
	existsSync,
	openSync,
	readdirSync,
	readFileSync,
	readlinkSync,
	writeFileSync,
} from 'node:fs';
import path from 'node:path';

import { makeTempFolder } from '../temp-root';
import {
	ensureN8n,
	freePort,
	installPackage,
	n8nBin,
	n8nCliAsync,
	n8nEnv,
	nodeForN8n,
	packPackage,
} from './n8n';
import {
	PG_DATABASE,
	PG_USER,
	killOnExit,
	startQueueServices,
	stopChild,
	tail,
	type QueueServices,
} from './queue-services';
import { writeSandboxCredential } from '../sandbox/sandbox';

export interface QueueN8nOptions {
	/** The Coze simulator the imported credential points at. */
	simulatorPort: number;
	workflows: Array<{ id: string }>;
	/** Production webhook paths to wait for (registered once n8n has activated the workflows). */
	webhookPaths: string[];
	workers?: number;
	/** Jobs each worker runs at once (`n8n worker --concurrency`). */
	concurrency?: number;
	/** N8N_DEFAULT_BINARY_DATA_MODE; unset, n8n picks its queue-mode default (`database`). */
	binaryDataMode?: 'database' | 'filesystem';
	/** More environment for every n8n process. */
	env?: NodeJS.ProcessEnv;
	/** A tarball already packed (packPackage); packed here otherwise. */
	tarball?: string;
	log?: (line: string) => void;
}

export interface N8nProcess {
	role: 'main' | 'worker';
	/** 0 for the main process; workers count from 1. */
	index: number;
	pid: number;
	child: ChildProcess;
	/** The main's HTTP port, or the worker's health-check port. */
	port: number;
	logFile: string;
}

export interface QueueN8n {
	/** The main process's address: webhooks, REST API. */
	readonly base: string;
	readonly main: N8nProcess;
	/** The running workers (restart and addWorker change the list). */
	readonly workers: N8nProcess[];
	readonly services: QueueServices;
	readonly userFolder: string;
	/** Starts one more worker and resolves once it is ready to take jobs. */
	addWorker: () => Promise<N8nProcess>;
	/** Stops one worker (SIGTERM: n8n finishes its jobs first), removing it from `workers`. */
	stopWorker: (worker: N8nProcess) => Promise<void>;
	/**
	 * Stops the main and the workers and starts them again with `env` added (the database and
	 * Redis stay, and with them the imported workflows); resolves when all are ready again.
	 */
	restart: (env: NodeJS.ProcessEnv) => Promise<void>;
	/** Stops the main and the workers, then PostgreSQL and Redis. */
	stop: () => Promise<void>;
}

/**
 * Starts PostgreSQL, Redis, an n8n main and `workers` n8n workers in queue mode with this package
 * installed, the Coze credential and `workflows` imported and published; resolves when the main
 * is ready and has registered every path of `webhookPaths`, and every worker is ready.
 */
export async function startQueueN8n(options: QueueN8nOptions): Promise<QueueN8n> {
	const log = options.log ?? console.log;
	ensureN8n(log);
	const tarball = options.tarball ?? packPackage();
	const services = await startQueueServices(log);
	const userFolder = makeTempFolder('queue-n8n-');
	let cluster: QueueCluster | undefined;
	try {
		installPackage(userFolder, tarball);
		const mainPort = await freePort();
		const base = `http://127.0.0.1:${mainPort}`;
		const env: NodeJS.ProcessEnv = {
			// Where every process says webhooks are (a Wait node's $execution.resumeUrl, made on a worker).
			WEBHOOK_URL: `${base}/`,
			// One key for every process: the workers decrypt the credential the CLI imported.
			N8N_ENCRYPTION_KEY: randomBytes(24).toString('hex'),
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(services.redis.port),
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(services.postgres.port),
			DB_POSTGRESDB_DATABASE: PG_DATABASE,
			DB_POSTGRESDB_USER: PG_USER,
			DB_POSTGRESDB_PASSWORD: 'n8n',
			...(options.binaryDataMode ? { N8N_DEFAULT_BINARY_DATA_MODE: options.binaryDataMode } : {}),
			// n8n waits this long for running executions when told to stop; stopChild kills at 15 s.
			N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '10',
			N8N_LOG_LEVEL: 'info',
			...options.env,
		};
		await importAndPublish(userFolder, env, options.simulatorPort, options.workflows);
		cluster = new QueueCluster(
			services,
			userFolder,
			mainPort,
			env,
			options.concurrency ?? 10,
			options.webhookPaths,
		);
		await cluster.startProcesses(options.workers ?? 2);
		return cluster;
	} catch (error) {
		if (cluster) await cluster.stop();
		else await services.stop();
		throw error;
	}
}

class QueueCluster implements QueueN8n {
	readonly base: string;
	main!: N8nProcess;
	readonly workers: N8nProcess[] = [];
	/** Every process started, for stop(). */
	private readonly started: N8nProcess[] = [];
	private workerCount = 0;

	constructor(
		readonly services: QueueServices,
		readonly userFolder: string,
		private readonly mainPort: number,
		private env: NodeJS.ProcessEnv,
		private readonly concurrency: number,
		private readonly webhookPaths: string[],
	) {
		this.base = `http://127.0.0.1:${mainPort}`;
	}

	async startProcesses(workers: number): Promise<void> {
		this.main = await this.spawn('main', 0, this.mainPort, ['start'], {
			N8N_PORT: String(this.mainPort),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
		});
		for (let i = 0; i < workers; i++) this.workers.push(await this.spawnWorker());
		await waitUntilReady(`${this.base}/healthz/readiness`, this.main);
		await Promise.all(
			this.workers.map((worker) =>
				waitUntilReady(`http://127.0.0.1:${worker.port}/healthz/readiness`, worker),
			),
		);
		for (const webhookPath of this.webhookPaths)
			await waitForWebhook(`${this.base}/webhook/${webhookPath}`, this.main);
	}

	addWorker = async (): Promise<N8nProcess> => {
		const worker = await this.spawnWorker();
		this.workers.push(worker);
		await waitUntilReady(`http://127.0.0.1:${worker.port}/healthz/readiness`, worker);
		return worker;
	};

	stopWorker = async (worker: N8nProcess): Promise<void> => {
		this.workers.splice(this.workers.indexOf(worker), 1);
		await stopChild(worker.child);
	};

	restart = async (env: NodeJS.ProcessEnv): Promise<void> => {
		const workers = this.workers.length;
		await Promise.all([this.main, ...this.workers].map((proc) => stopChild(proc.child)));
		this.workers.splice(0);
		this.env = { ...this.env, ...env };
		await this.startProcesses(workers);
	};

	stop = async (): Promise<void> => {
		await Promise.all(this.started.map((proc) => stopChild(proc.child)));
		await this.services.stop();
	};

	private async spawnWorker(): Promise<N8nProcess> {
		const healthPort = await freePort();
		this.workerCount += 1;
		return await this.spawn(
			'worker',
			this.workerCount,
			healthPort,
			['worker', `--concurrency=${this.concurrency}`],
			{
				// The worker's own HTTP server, for /healthz/readiness.
				QUEUE_HEALTH_CHECK_ACTIVE: 'true',
				QUEUE_HEALTH_CHECK_PORT: String(healthPort),
				N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
			},
		);
	}

	private async spawn(
		role: 'main' | 'worker',
		index: number,
		port: number,
		args: string[],
		own: NodeJS.ProcessEnv,
	): Promise<N8nProcess> {
		const proc = await spawnN8n(this.userFolder, this.env, role, index, port, args, own);
		this.started.push(proc);
		return proc;
	}
}

async function importAndPublish(
	userFolder: string,
	env: NodeJS.ProcessEnv,
	simulatorPort: number,
	workflows: Array<{ id: string }>,
): Promise<void> {
	const credentialFile = path.join(userFolder, 'credential.json');
	writeSandboxCredential(credentialFile, simulatorPort);
	const workflowFile = path.join(userFolder, 'workflows.json');
	writeFileSync(workflowFile, JSON.stringify(workflows));
	const cli = async (args: string[]) => {
		// Each CLI command needs a broker port of its own too (they may run at once).
		const result = await n8nCliAsync(userFolder, args, {
			...env,
			N8N_RUNNERS_BROKER_PORT: String(await freePort()),
		});
		if (result.status !== 0)
			throw new Error(
				`n8n ${args.join(' ')} failed:\n${result.stdout.slice(-3000)}\n${result.stderr.slice(-3000)}`,
			);
	};
	// The first command migrates the empty database; the publishes can then run side by side.
	await cli(['import:credentials', `--input=${credentialFile}`]);
	await cli(['import:workflow', `--input=${workflowFile}`]);
	await Promise.all(workflows.map(({ id }) => cli(['publish:workflow', `--id=${id}`])));
}

async function spawnN8n(
	userFolder: string,
	env: NodeJS.ProcessEnv,
	role: 'main' | 'worker',
	index: number,
	port: number,
	args: string[],
	own: NodeJS.ProcessEnv,
): Promise<N8nProcess> {
	const brokerPort = await freePort();
	const logFile = path.join(userFolder, `${role}-${index}.log`);
	const out = openSync(logFile, 'a');
	const child = spawn(nodeForN8n(), [n8nBin(), ...args], {
		env: n8nEnv(userFolder, {
			...env,
			...own,
			N8N_RUNNERS_BROKER_PORT: String(brokerPort),
			N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		}),
		stdio: ['ignore', out, out],
	});
	closeSync(out);
	killOnExit(child);
	return { role, index, pid: child.pid ?? -1, child, port, logFile };
}

async function waitUntilReady(url: string, proc: N8nProcess): Promise<void> {
	for (let i = 0; i < 360; i++) {
		if (proc.child.exitCode !== null)
			throw new Error(
				`n8n ${proc.role} ${proc.index} exited (${proc.child.exitCode}) before it was ready:\n${tail(proc.logFile)}`,
			);
		if (
			await fetch(url).then(
				(response) => response.ok,
				() => false,
			)
		)
			return;
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
	throw new Error(
		`n8n ${proc.role} ${proc.index} (${url}) was not ready in 3 minutes:\n${tail(proc.logFile)}`,
	);
}

/**
 * As test/n8n/live-n8n.ts: a CORS preflight lists POST among the allowed methods once the
 * webhook's path is registered (the main registers the published workflows after it is ready).
 */
async function waitForWebhook(url: string, main: N8nProcess): Promise<void> {
	for (let i = 0; i < 240; i++) {
		if (main.child.exitCode !== null)
			throw new Error(
				`n8n main exited (${main.child.exitCode}) before ${url} was registered:\n${tail(main.logFile)}`,
			);
		const methods = await fetch(url, {
			method: 'OPTIONS',
			headers: { origin: 'http://localhost' },
		}).then(
			(response) => response.headers.get('access-control-allow-methods') ?? '',
			() => '',
		);
		if (methods.includes('POST')) return;
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	throw new Error(`n8n did not register ${url} in a minute:\n${tail(main.logFile)}`);
}

/**
 * A session on the main's REST API as the instance owner, set up on first use
 * (`POST /rest/owner/setup` answers with the auth cookie; n8n ties the cookie to a browser-id
 * header, sent with every request).
 */
export class OwnerSession {
	private cookie = '';
	private readonly browserId = randomBytes(8).toString('hex');

	private constructor(private readonly base: string) {}

	static async setUp(base: string): Promise<OwnerSession> {
		const session = new OwnerSession(base);
		const response = await fetch(`${base}/rest/owner/setup`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'browser-id': session.browserId },
			body: JSON.stringify({
				email: 'owner@example.com',
				firstName: 'Queue',
				lastName: 'Owner',
				password: 'Queue-mode-test-1',
			}),
		});
		if (!response.ok)
			throw new Error(`owner setup answered HTTP ${response.status}: ${await response.text()}`);
		session.cookie = response.headers
			.getSetCookie()
			.map((cookie) => cookie.split(';')[0])
			.join('; ');
		if (!session.cookie.includes('n8n-auth='))
			throw new Error('owner setup set no n8n-auth cookie');
		return session;
	}

	async request<T>(method: string, pathAndQuery: string, body?: unknown): Promise<T> {
		const response = await fetch(`${this.base}/rest${pathAndQuery}`, {
			method,
			headers: {
				cookie: this.cookie,
				'browser-id': this.browserId,
				...(body === undefined ? {} : { 'content-type': 'application/json' }),
			},
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		if (!response.ok)
			throw new Error(
				`${method} /rest${pathAndQuery} answered HTTP ${response.status}: ${text.slice(0, 500)}`,
			);
		const json = JSON.parse(text) as { data?: T };
		return (json.data ?? json) as T;
	}
}

/** One execution as n8n's REST API lists it. */
export interface ExecutionSummary {
	id: string;
	workflowId: string;
	status: string;
	mode: string;
}

export async function listExecutions(
	session: OwnerSession,
	filter: Record<string, unknown>,
): Promise<ExecutionSummary[]> {
	const result = await session.request<{ results: ExecutionSummary[] }>(
		'GET',
		`/executions?filter=${encodeURIComponent(JSON.stringify(filter))}&limit=100`,
	);
	return result.results;
}

/**
 * Which of `pids` holds the client end of a loopback TCP connection to `serverPort` from
 * `clientPort`: /proc/net/tcp gives the socket's inode, /proc/<pid>/fd the process that has it.
 * Read while the connection is open (on the server's `connection` event). Linux only.
 */
export function processOfClientSocket(
	clientPort: number,
	serverPort: number,
	pids: number[],
): number | undefined {
	const hex = (port: number) => port.toString(16).toUpperCase().padStart(4, '0');
	let inode: string | undefined;
	for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
		if (!existsSync(table)) continue;
		for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
			const fields = line.trim().split(/\s+/);
			if (fields.length < 10) continue;
			if (fields[1].endsWith(`:${hex(clientPort)}`) && fields[2].endsWith(`:${hex(serverPort)}`))
				inode = fields[9];
		}
		if (inode) break;
	}
	if (!inode || inode === '0') return undefined;
	const wanted = `socket:[${inode}]`;
	for (const pid of pids) {
		let fds: string[];
		try {
			fds = readdirSync(`/proc/${pid}/fd`);
		} catch {
			continue;
		}
		for (const fd of fds) {
			try {
				if (readlinkSync(`/proc/${pid}/fd/${fd}`) === wanted) return pid;
			} catch {
				// closed meanwhile
			}
		}
	}
	return undefined;
}

/** A process's resident set now and its peak (VmRSS, VmHWM), in bytes; NaN once it has exited. */
export function memoryOf(pid: number): { rss: number; peak: number } {
	let status = '';
	try {
		status = readFileSync(`/proc/${pid}/status`, 'utf8');
	} catch {
		// gone
	}
	const kib = (field: string) =>
		Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
	return { rss: kib('VmRSS'), peak: kib('VmHWM') };
}

/** Resets a process's peak resident set (VmHWM) to its current one: `echo 5 > /proc/<pid>/clear_refs`. */
export function resetPeakMemory(pid: number): boolean {
	try {
		writeFileSync(`/proc/${pid}/clear_refs`, '5');
		return true;
	} catch {
		return false;
	}
}

const MiB = 1024 * 1024;

/**
 * Each process's resident set before, and its peak while watched: the kernel's own peak (VmHWM,
 * reset first through clear_refs) where it can be reset, else the highest of samples every 20 ms.
 */
export function watchMemory(processes: N8nProcess[]): {
	stop: () => Map<N8nProcess, { before: number; peak: number }>;
} {
	const state = new Map(
		processes.map((proc) => {
			const before = memoryOf(proc.pid).rss;
			return [proc, { before, sampled: before, resettable: resetPeakMemory(proc.pid) }];
		}),
	);
	const timer = setInterval(() => {
		for (const [proc, entry] of state)
			entry.sampled = Math.max(entry.sampled, memoryOf(proc.pid).rss || 0);
	}, 20);
	timer.unref();
	return {
		stop: () => {
			clearInterval(timer);
			return new Map(
				[...state].map(([proc, entry]) => {
					const peak = entry.resettable
						? Math.max(memoryOf(proc.pid).peak, entry.sampled)
						: entry.sampled;
					return [proc, { before: Math.round(entry.before / MiB), peak: Math.round(peak / MiB) }];
				}),
			);
		},
	};
}
