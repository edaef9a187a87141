// test/n8n/n8n.ts installPackage: the node installed into an n8n user folder that sits inside a clone
// (npm run dev's .dev/user) must load n8n's own n8n-workflow, as in a user's n8n, and not the
// clone's development copy above it: n8n treats errors made from a second copy as foreign ones.
import { execFileSync } from 'node:child_process';
import { mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { makeTempFolder } from '../temp-root';

/** A package folder with a package.json and an index.js saying which copy it is. */
function fakePackage(
	dir: string,
	name: string,
	copy: string,
	extra: Record<string, unknown> = {},
): void {
	mkdirSync(dir, { recursive: true });
	writeFileSync(
		path.join(dir, 'package.json'),
		JSON.stringify({ name, version: '1.0.0', main: 'index.js', ...extra }),
	);
	writeFileSync(path.join(dir, 'index.js'), `module.exports = ${JSON.stringify({ copy })};`);
}

it("resolves n8n-workflow to the copy n8n runs, not to the clone's one above the user folder", () => {
	const root = makeTempFolder('install-package-');
	// An installed n8n (COZE_N8N_DIR) with its n8n-workflow beside it.
	const n8nDir = path.join(root, 'n8n');
	fakePackage(path.join(n8nDir, 'node_modules', 'n8n'), 'n8n', 'n8n itself', {
		dependencies: { 'n8n-workflow': '*' },
	});
	fakePackage(path.join(n8nDir, 'node_modules', 'n8n-workflow'), 'n8n-workflow', "n8n's copy");
	// A clone with its own development copy, and the dev user folder inside it.
	const clone = path.join(root, 'clone');
	fakePackage(path.join(clone, 'node_modules', 'n8n-workflow'), 'n8n-workflow', "the clone's copy");
	const userFolder = path.join(clone, '.dev', 'user');
	// The package as npm packs it (no dependencies, so its install asks no registry).
	const packed = path.join(root, 'packed');
	fakePackage(path.join(packed, 'package'), 'n8n-nodes-coze-workflow', 'the node', {
		peerDependencies: { 'n8n-workflow': '*' },
	});
	const tarball = path.join(root, 'node.tgz');
	execFileSync('tar', ['-czf', tarball, '-C', packed, 'package']);

	process.env.COZE_N8N_DIR = n8nDir;
	let installPackage: (userFolder: string, tarball: string) => void = () => undefined;
	jest.isolateModules(() => {
		({ installPackage } = jest.requireActual<typeof import('../n8n/n8n')>('../n8n/n8n'));
	});
	try {
		installPackage(userFolder, tarball);
	} finally {
		delete process.env.COZE_N8N_DIR;
	}

	const packageDir = path.join(
		userFolder,
		'.n8n',
		'nodes',
		'node_modules',
		'n8n-nodes-coze-workflow',
	);
	const resolved = realpathSync(
		require.resolve('n8n-workflow', { paths: [path.join(packageDir, 'dist')] }),
	);
	expect(resolved).toBe(
		realpathSync(path.join(n8nDir, 'node_modules', 'n8n-workflow', 'index.js')),
	);
}, 60_000);
