// Lint: TypeScript's recommended rules, n8n's rules for community nodes, and the older
// n8n-nodes-base rules (node descriptions, credentials, package.json). Every rule switched
// off below says why.
import communityNodes from '@n8n/eslint-plugin-community-nodes';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';
import tseslint from 'typescript-eslint';

const plugin = communityNodes.n8nCommunityNodesPlugin ?? communityNodes.default ?? communityNodes;

/** HTTP machinery past its API (transport/http/index.ts): the client, retries, pacing, multipart, streams, tokens. */
const HTTP_INTERNALS = {
	group: ['**/transport/http/*'],
	message:
		'Import from transport/http (its index.ts, the HTTP API) instead; requests to Coze belong in transport/protocols/.',
};

/** The actions: n8n's parameters and items at run time. The editor's methods and shared/ do not depend on them. */
const ACTIONS = {
	group: ['**/actions', '**/actions/*'],
	message:
		'The editor (methods/) and shared/ do not depend on the actions: move what both need to nodes/Coze/shared/ (n8n-facing) or transport/protocols/ (Coze data).',
};

/** The editor's methods: what n8n's editor calls. Nothing at run time depends on them. */
const METHODS = {
	group: ['**/methods', '**/methods/*'],
	message:
		"The run (actions/) and shared/ do not depend on the editor's methods: move what both need to nodes/Coze/shared/.",
};

/** What Coze answered becomes a CozeError in transport/; an action or method says what is wrong with its parameters. */
const NO_COZE_ERROR_OUTSIDE_TRANSPORT = {
	selector: "NewExpression[callee.name='CozeError']",
	message:
		'A CozeError is what the transport makes of what Coze answered: build it in transport/protocols/. Bad parameters are a NodeOperationError with the item index.',
};

export default tseslint.config(
	{
		ignores: [
			'dist/**',
			'node_modules/**',
			'coverage/**',
			'.dev/**',
			'bench/.data/**',
			'eslint.config.mjs',
		],
	},
	{
		files: ['**/*.ts'],
		extends: [tseslint.configs.recommended],
	},
	{
		files: ['**/*.ts', 'package.json'],
		plugins: { '@n8n/community-nodes': plugin },
		rules: {
			// Without the n8n Cloud rules: Cloud forbids any import (node:stream included) and
			// `process`, and this package streams with undici and reads proxy variables.
			...plugin.configs.recommendedWithoutN8nCloudSupport.rules,
			// This package needs two runtime libraries (undici for streaming HTTP and proxies,
			// eventsource-parser for SSE): hand-writing either would be worse. The rule exists
			// for n8n Cloud's verified-node review, which this package does not claim.
			'@n8n/community-nodes/no-runtime-dependencies': 'off',
		},
	},
	{
		files: ['package.json'],
		languageOptions: { parser: tseslint.parser, parserOptions: { extraFileExtensions: ['.json'] } },
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: n8nNodesBase.configs.community.rules,
	},
	{
		files: ['credentials/**/*.ts'],
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: {
			...n8nNodesBase.configs.credentials.rules,
			// "Only applicable to nodes in the main repository" (the rule's own words): there the
			// field names a docs page; a community package gives a URL.
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
		},
	},
	{
		files: ['nodes/**/*.ts'],
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: {
			...n8nNodesBase.configs.nodes.rules,
			// These two want the string literal 'main', which predates NodeConnectionTypes; n8n's
			// newer rule (@n8n/community-nodes/node-connection-type-literal) wants the constant.
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
		},
	},
	{
		// The transport throws a plain CozeError so that it works where no n8n node exists (the
		// credential test) and stays testable alone; actions/node-error.ts is the one place that
		// turns it into NodeApiError / NodeOperationError with the item index.
		files: ['nodes/Coze/transport/**/*.ts'],
		rules: { '@n8n/community-nodes/require-node-api-error': 'off' },
	},
	{
		// The arrows point one way: operations → protocols → http. HTTP machinery knows no Coze
		// protocol, and no protocol knows about n8n.
		files: ['nodes/Coze/transport/http/**/*.ts'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					patterns: [
						'../protocols/*',
						'../../actions/*',
						'../../methods/*',
						'../../shared/*',
						'n8n-workflow',
					],
				},
			],
		},
	},
	{
		files: ['nodes/Coze/transport/protocols/**/*.ts'],
		rules: {
			'no-restricted-imports': [
				'error',
				{ patterns: ['../../actions/*', '../../methods/*', '../../shared/*', 'n8n-workflow'] },
			],
		},
	},
	{
		// The test tiers' arrows run one way: dev/ (npm run dev, screenshots) and bench/ use what
		// test/ holds (the Coze simulator, the n8n launchers, the sandbox); test/ never uses dev/.
		files: ['test/**/*.ts'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					patterns: [
						{
							group: ['**/dev/*'],
							message: 'test/ does not import dev/: move what both need into test/.',
						},
					],
				},
			],
		},
	},
	{
		// Actions map n8n's parameters and items to Coze's protocols and back: they reach Coze
		// through protocols/, take from http/ only what it exports as its API, and leave the
		// editor's methods alone.
		files: ['nodes/Coze/actions/**/*.ts'],
		rules: {
			'no-restricted-imports': ['error', { patterns: [HTTP_INTERNALS, METHODS] }],
			'no-restricted-syntax': ['error', NO_COZE_ERROR_OUTSIDE_TRANSPORT],
		},
	},
	{
		// The node class wires actions and methods to n8n.
		files: ['nodes/Coze/Coze.node.ts'],
		rules: {
			'no-restricted-imports': ['error', { patterns: [HTTP_INTERNALS] }],
			'no-restricted-syntax': ['error', NO_COZE_ERROR_OUTSIDE_TRANSPORT],
		},
	},
	{
		// The editor's methods (lists, the inputs mapper) and the pieces they share with the actions
		// stand beside the actions, not on them; they too reach Coze through protocols/.
		files: ['nodes/Coze/methods/**/*.ts', 'nodes/Coze/shared/**/*.ts'],
		rules: {
			'no-restricted-imports': ['error', { patterns: [HTTP_INTERNALS, ACTIONS] }],
			'no-restricted-syntax': ['error', NO_COZE_ERROR_OUTSIDE_TRANSPORT],
		},
	},
	{
		// shared/ serves both the actions and the editor's methods: it depends on neither.
		files: ['nodes/Coze/shared/**/*.ts'],
		rules: {
			'no-restricted-imports': ['error', { patterns: [HTTP_INTERNALS, ACTIONS, METHODS] }],
		},
	},
	{
		// Tests and benchmarks are not shipped; n8n's package rules do not apply to them.
		files: ['test/**/*.ts', 'bench/**/*.ts', 'dev/**/*.ts'],
		rules: Object.fromEntries(
			Object.keys(plugin.configs.recommended.rules).map((rule) => [rule, 'off']),
		),
	},
);
