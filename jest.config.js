/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	setupFiles: ['<rootDir>/test/setup-env.ts'],
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
