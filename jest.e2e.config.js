/** The packaged end-to-end tests: a real n8n (installed into .dev/ once) running the packed node. */
const base = require('./jest.config.js');

/** @type {import('jest').Config} */
module.exports = {
	...base,
	testMatch: ['**/e2e/**/*.e2e.ts'],
	testTimeout: 120_000,
	// One n8n user folder, scenarios in order.
	maxWorkers: 1,
};
