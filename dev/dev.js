#!/usr/bin/env node
// Entry of `npm run dev`. Plain JavaScript so it runs on a fresh clone: it installs the
// project's own dependencies first if they are missing, then runs dev/start.ts.
const { existsSync } = require('node:fs');
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
if (!existsSync(path.join(root, 'node_modules', 'ts-node'))) {
	console.log("Installing the project's dependencies…");
	// --ignore-scripts: see .ci/run (isolated-vm, pulled in by n8n-core for tests, does not build on Node 20).
	// npm 11 keeps Node's compile cache in the system's temp folder unless told where (see test/n8n/n8n.ts toolEnv).
	const env = { ...process.env, NODE_COMPILE_CACHE: path.join(root, '.dev', 'compile-cache') };
	const result = spawnSync('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund'], {
		cwd: root,
		stdio: 'inherit',
		env,
	});
	if (result.status !== 0) process.exit(result.status ?? 1);
}
require('./register-ts.js');
require('./start.ts');
