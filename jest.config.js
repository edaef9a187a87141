/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	setupFiles: ['<rootDir>/test/setup-env.ts'],
	// One temp root for the run's folders (n8n user folders, binary stores), removed at its end.
	// jest's transform cache stays inside the clone (git-ignored), not in the system's temp folder.
	cacheDirectory: '<rootDir>/node_modules/.cache/jest',
	globalSetup: '<rootDir>/test/global-setup.ts',
	globalTeardown: '<rootDir>/test/global-teardown.ts',
	testMatch: ['**/*.test.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
	},
	// Open sockets or timers left by a test are bugs here (a leaked stream is a leaked socket).
	detectOpenHandles: true,
	testTimeout: 30_000,
	testEnvironmentOptions: { globalsCleanup: 'on' },
	reporters: ['default', '<rootDir>/test/summary-reporter.js'],
};
