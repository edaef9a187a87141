// A pinned n8n in the project's git-ignored .dev/ folder, and what it takes to run this
// package in it as a user would: packed, installed into an n8n user folder, loaded by n8n.
import { execFile, spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import {
	existsSync,
	mkdirSync,
	readdirSync,
	readFileSync,
	rmSync,
	symlinkSync,
	writeFileSync,
} from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import path from 'node:path';

/** The n8n the dev tools use; COZE_N8N_VERSION picks another (e.g. 1.123.81 to check n8n 1.x). */
export const N8N_VERSION = process.env.COZE_N8N_VERSION ?? '2.40.7';
const PACKAGE_NAME = 'n8n-nodes-coze-workflow';
/** n8n 2.36 and later need Node 24; the registry's node-<os>-<cpu> package brings one when the machine's is older. */
const NODE_MAJOR = 24;
// Not the `node` package: it fetches this one in an install script, and scripts are skipped here.
const NODE_PACKAGE = `node-${process.platform}-${process.arch}`;

export const root = path.resolve(__dirname, '..', '..');
export const devDir = path.join(root, '.dev');
/** Where n8n is installed: .dev/n8n-<version>, or COZE_N8N_DIR (CI keeps it across clones). */
const n8nDir = process.env.COZE_N8N_DIR ?? path.join(devDir, `n8n-${N8N_VERSION}`);
const readyMarker = path.join(n8nDir, `.ready-${N8N_VERSION}`);
/** Node's module compile cache, beside the installed n8n (whose start-up it speeds). */
const compileCacheDir = path.join(n8nDir, '.compile-cache');

/**
 * The environment of every process the dev tools start (npm, node-gyp, n8n). npm 11 and n8n turn
 * on Node's module compile cache, which otherwise goes to the system's temp folder and stays
 * there (a first install left /tmp/node-compile-cache, 529 files): here it goes beside n8n.
 */
export function toolEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
	return { ...process.env, NODE_COMPILE_CACHE: compileCacheDir, ...extra };
}

function run(
	command: string,
	args: string[],
	options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): void {
	const result = spawnSync(command, args, {
		cwd: options.cwd ?? root,
		env: options.env ?? toolEnv(),
		stdio: 'inherit',
	});
	if (result.status !== 0)
		throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
}

/** The Node binary n8n runs on: this one when new enough, else the one from the `node` package. */
export function nodeForN8n(): string {
	if (Number(process.versions.node.split('.')[0]) >= NODE_MAJOR) return process.execPath;
	return path.join(nodeHeadersDir(), 'bin', 'node');
}

function nodeHeadersDir(): string {
	return path.join(n8nDir, 'node_modules', NODE_PACKAGE);
}

/**
 * Installs n8n once (minutes cold; later calls return at once). Install scripts are skipped
 * (isolated-vm's native build needs newer Node headers than npm finds), then the one native
 * module n8n needs for SQLite is rebuilt against Node 24.
 */
export function ensureN8n(log: (line: string) => void = console.log): void {
	if (existsSync(readyMarker)) return;
	log(`installing n8n ${N8N_VERSION} into ${path.relative(root, n8nDir) || n8nDir} (once)…`);
	mkdirSync(n8nDir, { recursive: true });
	const manifest: Record<string, unknown> = {
		name: 'coze-dev-n8n',
		private: true,
		dependencies: { n8n: N8N_VERSION, [NODE_PACKAGE]: `^${NODE_MAJOR}` },
	};
	// n8n 1.x's nodes depend on xlsx from SheetJS's own server, which is not reachable here.
	if (N8N_VERSION.startsWith('1.')) manifest.overrides = { xlsx: '0.18.5' };
	writeFileSync(path.join(n8nDir, 'package.json'), JSON.stringify(manifest, null, 2));
	run('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], {
		cwd: n8nDir,
	});
	const nodeBin = path.dirname(nodeForN8n());
	log(`building sqlite3 for Node ${NODE_MAJOR} (once)…`);
	run('npm', ['rebuild', 'sqlite3', '--loglevel=error'], {
		cwd: n8nDir,
		env: toolEnv({
			PATH: `${nodeBin}${path.delimiter}${process.env.PATH ?? ''}`,
			npm_config_nodedir: nodeHeadersDir(),
		}),
	});
	writeFileSync(readyMarker, new Date().toISOString());
}

/**
 * Packs this package as npm would publish it, built by its prepack script (scripts on, whatever
 * the environment says: a pack without its build would ship a stale dist); returns the tarball's path.
 */
export function packPackage(): string {
	const packDir = path.join(devDir, 'pack');
	rmSync(packDir, { recursive: true, force: true });
	mkdirSync(packDir, { recursive: true });
	run('npm', ['pack', '--silent', '--ignore-scripts=false', '--pack-destination', packDir]);
	const tarball = readdirSync(packDir).find((file) => file.endsWith('.tgz'));
	if (!tarball) throw new Error('npm pack made no tarball');
	return path.join(packDir, tarball);
}

/**
 * Installs the tarball into `<userFolder>/.n8n/nodes` the way n8n 2.x installs a community
 * package: unpacked into nodes/node_modules/<name>, its package.json stripped of dev, peer and
 * optional dependencies (n8n provides n8n-workflow), then `npm install` there with n8n's flags.
 * n8n loads it from there at start, as `n8n-nodes-coze-workflow.coze`.
 */
export function installPackage(userFolder: string, tarball: string): void {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	const packageDir = path.join(nodesDir, 'node_modules', PACKAGE_NAME);
	rmSync(packageDir, { recursive: true, force: true });
	mkdirSync(packageDir, { recursive: true });
	run('tar', ['-xzf', tarball, '-C', packageDir, '--strip-components=1']);
	const manifestFile = path.join(packageDir, 'package.json');
	const { devDependencies, peerDependencies, optionalDependencies, ...manifest } =
		readJson<Record<string, unknown>>(manifestFile);
	void [devDependencies, peerDependencies, optionalDependencies];
	writeFileSync(manifestFile, JSON.stringify(manifest, null, 2));
	run(
		'npm',
		[
			'install',
			'--audit=false',
			'--fund=false',
			'--bin-links=false',
			'--install-strategy=shallow',
			'--ignore-scripts=true',
			'--package-lock=false',
			'--loglevel=error',
		],
		{ cwd: packageDir },
	);
	linkN8nWorkflow(nodesDir);
	const nodesManifest = path.join(nodesDir, 'package.json');
	const installed = existsSync(nodesManifest)
		? readJson<{ dependencies?: Record<string, string> }>(nodesManifest)
		: {};
	installed.dependencies = { ...installed.dependencies, [PACKAGE_NAME]: String(manifest.version) };
	writeFileSync(
		nodesManifest,
		JSON.stringify({ name: 'installed-nodes', private: true, ...installed }, null, 2),
	);
}

/**
 * Makes the installed package find n8n's own n8n-workflow, as it does in a user's n8n: there
 * nothing above `~/.n8n/nodes` holds n8n-workflow, and n8n puts its own folders on NODE_PATH. A
 * user folder inside a clone (.dev/user) would find the clone's development copy first: errors
 * made from that second copy are not n8n's own classes to n8n, which then logs each one with its
 * stack (and leaves a NodeApiError's description out of the editor's answer). The link points at
 * the copy n8n loads, so both resolve to one module.
 */
function linkN8nWorkflow(nodesDir: string): void {
	const n8nsCopy = path.dirname(
		require.resolve('n8n-workflow/package.json', {
			paths: [path.join(n8nDir, 'node_modules', 'n8n')],
		}),
	);
	const link = path.join(nodesDir, 'node_modules', 'n8n-workflow');
	rmSync(link, { recursive: true, force: true });
	// n8n loads only n8n-nodes-* folders of nodes/node_modules as packages: this one is only resolved.
	symlinkSync(n8nsCopy, link, 'junction');
}

/** The environment n8n runs with here: a project-local user folder, SQLite, nothing phoning home. */
export function n8nEnv(userFolder: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
	// Not the test runner's NODE_ENV=test: n8n's logger then prints nothing, the CLI's results included.
	const { NODE_ENV, JEST_WORKER_ID, ...inherited } = process.env;
	void [NODE_ENV, JEST_WORKER_ID];
	// n8n keeps temporary files (data-table uploads, …) in the system's temp folder and leaves
	// them there: give it one inside the user folder, which goes when the user folder goes.
	const tmp = path.join(userFolder, 'tmp');
	mkdirSync(tmp, { recursive: true });
	return {
		...inherited,
		TMPDIR: tmp,
		N8N_USER_FOLDER: userFolder,
		DB_TYPE: 'sqlite',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_SECURE_COOKIE: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		// n8n turns on Node's module compile cache: see toolEnv.
		NODE_COMPILE_CACHE: compileCacheDir,
		// Nothing to fetch from api.n8n.io here (no network): n8n 2.x's MCP registry, its Instance
		// AI and agents' model catalogs, the list of verified community nodes. (n8n 1.x has no
		// such modules and refuses their names.)
		...(N8N_VERSION.startsWith('1.')
			? {}
			: { N8N_DISABLED_MODULES: 'mcp-registry,instance-ai,agents' }),
		N8N_VERIFIED_PACKAGES_ENABLED: 'false',
		// This package is a community package n8n has not verified: say so, as n8n asks, before
		// its default turns to false. The other settings n8n warns about, set to what it will default to.
		N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
		N8N_RUNNERS_TASK_TIMEOUT: '60',
		N8N_COMPRESSION_NODE_MAX_DECOMPRESSED_SIZE_BYTES: String(256 * 1024 * 1024),
		N8N_COMPRESSION_NODE_MAX_ZIP_ENTRIES: '1000',
		...extra,
	};
}

/** The installed n8n's command line entry. */
export function n8nBin(): string {
	return path.join(n8nDir, 'node_modules', 'n8n', 'bin', 'n8n');
}

/** Runs an `n8n` CLI command to its end and returns what it printed. */
export function n8nCli(
	userFolder: string,
	args: string[],
	extraEnv: NodeJS.ProcessEnv = {},
): SpawnSyncReturns<string> {
	return spawnSync(nodeForN8n(), [n8nBin(), ...args], {
		env: n8nEnv(userFolder, extraEnv),
		encoding: 'utf8',
		maxBuffer: 64 * 1024 * 1024,
	});
}

/** The same without blocking this process (its event loop may be serving a simulator n8n calls). */
export function n8nCliAsync(
	userFolder: string,
	args: string[],
	extraEnv: NodeJS.ProcessEnv = {},
): Promise<{ status: number | null; stdout: string; stderr: string }> {
	return new Promise((resolve) => {
		execFile(
			nodeForN8n(),
			[n8nBin(), ...args],
			{ env: n8nEnv(userFolder, extraEnv), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
			(error, stdout, stderr) => {
				resolve({
					status: error ? (typeof error.code === 'number' ? error.code : 1) : 0,
					stdout,
					stderr,
				});
			},
		);
	});
}

/** Starts `n8n start` in the background. (Not for CLI commands: they print their results as info logs.) */
export function startN8n(userFolder: string, extraEnv: NodeJS.ProcessEnv = {}) {
	return spawn(nodeForN8n(), [n8nBin(), 'start'], {
		env: n8nEnv(userFolder, { N8N_LOG_LEVEL: 'warn', ...extraEnv }),
		stdio: 'inherit',
	});
}

/** A TCP port nothing listens on now (n8n's task broker wants one of its own per process). */
export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as AddressInfo;
			server.close(() => resolve(port));
		});
	});
}

/**
 * `n8n execute --rawOutput` prints log lines, the run's JSON, and (for a failed run) more log
 * lines after it: take the JSON, from a line that opens it to the line that closes it.
 */
export function rawOutputJson(stdout: string): unknown {
	const start = stdout.search(/^\{/m);
	if (start === -1) throw new Error(`no JSON in n8n's output:\n${stdout.slice(-2000)}`);
	const rest = stdout.slice(start);
	for (let end = rest.search(/^\}\s*$/m); end !== -1; end = nextClosing(rest, end)) {
		try {
			return JSON.parse(rest.slice(0, end + 1));
		} catch {
			// not the closing brace of the run's JSON yet
		}
	}
	throw new Error(`n8n's output has no complete JSON:\n${rest.slice(0, 2000)}`);
}

function nextClosing(text: string, after: number): number {
	const next = text.slice(after + 1).search(/^\}\s*$/m);
	return next === -1 ? -1 : after + 1 + next;
}

function readJson<T>(file: string): T {
	return JSON.parse(readFileSync(file, 'utf8')) as T;
}
