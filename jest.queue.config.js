/**
 * n8n's queue mode: a main process, two workers, PostgreSQL and Redis (Debian's, installed when
 * missing), the packed node in n8n's user folder and the Coze simulator. Slow: one cluster for
 * the whole file, scenarios in order.
 */
const base = require('./jest.config.js');

/** @type {import('jest').Config} */
module.exports = {
	...base,
	testMatch: ['**/queue/**/*.queue.ts'],
	testTimeout: 10 * 60_000,
	maxWorkers: 1,
};
