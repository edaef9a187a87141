// PostgreSQL and Redis for n8n's queue mode, from Debian's packages: each on a free loopback port
// of its own, its data in a temporary folder under the tests' temp root, stopped at the end.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
	chmodSync,
	chownSync,
	closeSync,
	existsSync,
	mkdirSync,
	openSync,
	readdirSync,
	readFileSync,
	statSync,
	unlinkSync,
	writeFileSync,
} from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';

import { makeTempFolder } from '../temp-root';
import { freePort } from './n8n';

/** The PostgreSQL role and database n8n uses (trust authentication on loopback: a throw-away cluster). */
export const PG_USER = 'n8n';
export const PG_DATABASE = 'postgres';
const REDIS_SERVER = '/usr/bin/redis-server';
const POSTGRES_ROOT = '/usr/lib/postgresql';
const STOP_GRACE_MS = 15_000;

export interface RunningService {
	port: number;
	/** Where its data and log are (removed with the temp root). */
	folder: string;
	logFile: string;
	pid: number;
	stop: () => Promise<void>;
}

export interface QueueServices {
	postgres: RunningService;
	redis: RunningService;
	stop: () => Promise<void>;
}

/** The newest Debian PostgreSQL server's bin folder (/usr/lib/postgresql/<major>/bin), if any. */
export function postgresBinDir(): string | undefined {
	if (!existsSync(POSTGRES_ROOT)) return undefined;
	const majors = readdirSync(POSTGRES_ROOT)
		.filter(
			(name) =>
				/^\d+$/.test(name) &&
				existsSync(path.join(POSTGRES_ROOT, name, 'bin', 'initdb')) &&
				existsSync(path.join(POSTGRES_ROOT, name, 'bin', 'postgres')),
		)
		.sort((a, b) => Number(b) - Number(a));
	return majors.length ? path.join(POSTGRES_ROOT, majors[0], 'bin') : undefined;
}

const isRoot = () => process.getuid?.() === 0;

/**
 * Installs Debian's `postgresql` and `redis-server` when their binaries are missing: as root
 * with apt-get (services are not started by the install: a policy-rc.d that says so is put in
 * place for it when the machine has none); otherwise it throws with the command to run.
 */
export function ensureQueueServicePackages(log: (line: string) => void = console.log): void {
	const missing = [
		...(postgresBinDir() ? [] : ['postgresql']),
		...(existsSync(REDIS_SERVER) ? [] : ['redis-server']),
	];
	if (missing.length === 0) return;
	const command = `apt-get update && apt-get install -y --no-install-recommends ${missing.join(' ')}`;
	if (!isRoot())
		throw new Error(
			`n8n's queue mode needs ${missing.join(' and ')}, which are not installed. Install them with:\n  sudo sh -c '${command}'`,
		);
	log(`Installing ${missing.join(', ')} from Debian's packages (once)…`);
	const policy = '/usr/sbin/policy-rc.d';
	const ownPolicy = !existsSync(policy);
	// Debian starts a service when its package is installed, unless policy-rc.d says no (101).
	if (ownPolicy) writeFileSync(policy, '#!/bin/sh\nexit 101\n', { mode: 0o755 });
	try {
		for (const args of [['update'], ['install', '-y', '--no-install-recommends', ...missing]]) {
			const result = spawnSync('apt-get', args, {
				stdio: 'inherit',
				env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
			});
			if (result.status !== 0)
				throw new Error(
					`apt-get ${args.join(' ')} failed (exit ${result.status ?? result.signal}); run by hand:\n  ${command}`,
				);
		}
	} finally {
		if (ownPolicy) unlinkSync(policy);
	}
	if (!postgresBinDir() || !existsSync(REDIS_SERVER))
		throw new Error(
			`apt-get installed ${missing.join(', ')} but ${POSTGRES_ROOT}/*/bin/postgres or ${REDIS_SERVER} is still missing`,
		);
}

/** Starts PostgreSQL and Redis (installing them first if need be). */
export async function startQueueServices(
	log: (line: string) => void = console.log,
): Promise<QueueServices> {
	ensureQueueServicePackages(log);
	const redis = await startRedis();
	let postgres: RunningService;
	try {
		postgres = await startPostgres();
	} catch (error) {
		await redis.stop();
		throw error;
	}
	return {
		postgres,
		redis,
		stop: async () => void (await Promise.all([postgres.stop(), redis.stop()])),
	};
}

/** uid and gid of the `postgres` user (initdb and postgres refuse to run as root). */
function postgresUser(): { uid: number; gid: number } {
	const line = readFileSync('/etc/passwd', 'utf8')
		.split('\n')
		.find((entry) => entry.startsWith('postgres:'));
	if (!line)
		throw new Error(
			'running as root, and there is no "postgres" user to run PostgreSQL as (Debian\'s postgresql package makes it)',
		);
	const [, , uid, gid] = line.split(':');
	return { uid: Number(uid), gid: Number(gid) };
}

/**
 * Lets the postgres user reach `folder`: the temp root is made with mode 0700, so each folder
 * from it down gets the search (x) bit for others; nothing in them becomes listable or readable.
 */
function letOthersTraverse(folder: string): void {
	const root = process.env.COZE_TEST_TEMP_ROOT;
	for (let dir = path.dirname(folder); root && dir.startsWith(root); dir = path.dirname(dir)) {
		chmodSync(dir, statSync(dir).mode | 0o001);
		if (dir === root) break;
	}
}

export async function startPostgres(): Promise<RunningService> {
	const bin = postgresBinDir();
	if (!bin) throw new Error('PostgreSQL is not installed (ensureQueueServicePackages installs it)');
	const folder = makeTempFolder('queue-postgres-');
	const dataDir = path.join(folder, 'data');
	const logFile = path.join(folder, 'postgres.log');
	const asUser = isRoot() ? postgresUser() : undefined;
	if (asUser) {
		letOthersTraverse(folder);
		chownSync(folder, asUser.uid, asUser.gid);
	}
	const options = {
		...(asUser ?? {}),
		cwd: folder,
		env: { ...process.env, LC_ALL: 'C', TMPDIR: folder },
	};
	const init = spawnSync(
		path.join(bin, 'initdb'),
		['-D', dataDir, '-U', PG_USER, '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync'],
		{ ...options, encoding: 'utf8' },
	);
	if (init.status !== 0)
		throw new Error(
			`initdb failed (exit ${init.status ?? init.signal}):\n${init.stdout}\n${init.stderr}`,
		);
	const port = await freePort();
	const out = openSync(logFile, 'a');
	if (asUser) chownSync(logFile, asUser.uid, asUser.gid);
	// No Unix socket (none in /var/run/postgresql or /tmp), loopback only; a throw-away cluster
	// need not survive a crash, so no fsync. n8n opens a few connections per process.
	const child = spawn(
		path.join(bin, 'postgres'),
		[
			'-D',
			dataDir,
			'-p',
			String(port),
			'-c',
			'listen_addresses=127.0.0.1',
			'-c',
			'unix_socket_directories=',
			'-c',
			'fsync=off',
			'-c',
			'synchronous_commit=off',
			'-c',
			'full_page_writes=off',
			'-c',
			'max_connections=200',
		],
		{ ...options, stdio: ['ignore', out, out] },
	);
	closeSync(out);
	const service = track({ port, folder, logFile, child, signal: 'SIGINT' });
	try {
		await waitFor(`PostgreSQL on port ${port}`, child, logFile, () => pgIsReady(bin, port));
	} catch (error) {
		await service.stop();
		throw error;
	}
	return service;
}

function pgIsReady(bin: string, port: number): boolean {
	return (
		spawnSync(path.join(bin, 'pg_isready'), [
			'-q',
			'-h',
			'127.0.0.1',
			'-p',
			String(port),
			'-U',
			PG_USER,
			'-d',
			PG_DATABASE,
		]).status === 0
	);
}

export async function startRedis(): Promise<RunningService> {
	const folder = makeTempFolder('queue-redis-');
	const logFile = path.join(folder, 'redis.log');
	const port = await freePort();
	mkdirSync(folder, { recursive: true });
	const child = spawn(
		REDIS_SERVER,
		[
			'--port',
			String(port),
			'--bind',
			'127.0.0.1',
			'--dir',
			folder,
			'--save',
			'',
			'--appendonly',
			'no',
			'--daemonize',
			'no',
			'--logfile',
			logFile,
		],
		{ cwd: folder, stdio: 'ignore' },
	);
	const service = track({ port, folder, logFile, child, signal: 'SIGTERM' });
	try {
		await waitFor(`Redis on port ${port}`, child, logFile, () => redisPing(port));
	} catch (error) {
		await service.stop();
		throw error;
	}
	return service;
}

/** Sends PING, resolves true on +PONG. */
function redisPing(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = connect(port, '127.0.0.1');
		let answer = '';
		const done = (ok: boolean) => {
			socket.destroy();
			resolve(ok);
		};
		socket.setTimeout(1000, () => done(false));
		socket.on('error', () => done(false));
		socket.on('connect', () => socket.write('PING\r\n'));
		socket.on('data', (data) => {
			answer += data.toString('latin1');
			if (answer.includes('\r\n')) done(answer.startsWith('+PONG'));
		});
	});
}

async function waitFor(
	what: string,
	child: ChildProcess,
	logFile: string,
	ready: () => boolean | Promise<boolean>,
): Promise<void> {
	for (let i = 0; i < 300; i++) {
		if (child.exitCode !== null || child.signalCode !== null)
			throw new Error(
				`${what} exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${tail(logFile)}`,
			);
		if (await ready()) return;
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	throw new Error(`${what} was not ready in 30 s:\n${tail(logFile)}`);
}

export function tail(file: string, bytes = 4000): string {
	try {
		const text = readFileSync(file, 'utf8');
		return text.slice(-bytes);
	} catch {
		return '(no log)';
	}
}

/** Children still running when this process exits are killed, so none outlives a crashed run. */
const running = new Set<ChildProcess>();
let exitHookInstalled = false;

export function killOnExit(child: ChildProcess): void {
	running.add(child);
	child.once('exit', () => running.delete(child));
	if (exitHookInstalled) return;
	exitHookInstalled = true;
	process.once('exit', () => {
		for (const left of running) left.kill('SIGKILL');
	});
}

/** Stops a child: `signal`, then SIGKILL after 15 s; resolves when it has exited. */
export function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
	return new Promise((resolve) => {
		const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
		child.once('exit', () => {
			clearTimeout(timer);
			resolve();
		});
		child.kill(signal);
	});
}

function track(options: {
	port: number;
	folder: string;
	logFile: string;
	child: ChildProcess;
	signal: NodeJS.Signals;
}): RunningService {
	const { port, folder, logFile, child, signal } = options;
	killOnExit(child);
	return { port, folder, logFile, pid: child.pid ?? -1, stop: () => stopChild(child, signal) };
}
