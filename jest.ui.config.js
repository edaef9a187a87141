/** The browser test: n8n's editor in headless Chromium, used as a person would (npm run test:ui). */
const base = require('./jest.config.js');

/** @type {import('jest').Config} */
module.exports = {
	...base,
	testMatch: ['**/ui/**/*.ui.ts'],
	testTimeout: 180_000,
	// One n8n and one browser, the steps in order.
	maxWorkers: 1,
};
