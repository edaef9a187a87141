import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * Every temporary folder a test run or benchmark makes (n8n's user folder, binary data stores)
 * goes under one root, removed when the run ends, so a reused machine does not fill up.
 * Jest's global setup makes the root and names it in this variable for its workers; a
 * benchmark makes its own with `makeTempRoot` and removes it in its `finally`.
 */
export const TEMP_ROOT_VARIABLE = 'COZE_TEST_TEMP_ROOT';

export function makeTempRoot(): string {
	const root = mkdtempSync(path.join(tmpdir(), 'coze-test-'));
	process.env[TEMP_ROOT_VARIABLE] = root;
	return root;
}

/** A new folder under the run's root (or the system's temp folder, outside a run). */
export function makeTempFolder(prefix: string): string {
	return mkdtempSync(path.join(process.env[TEMP_ROOT_VARIABLE] ?? tmpdir(), prefix));
}

export function removeTempRoot(root = process.env[TEMP_ROOT_VARIABLE]): void {
	if (root) rmSync(root, { recursive: true, force: true });
}
