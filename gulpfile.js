// n8n reads a node's icons and its codex file (Coze.node.json) from beside the compiled
// .js, so they travel from the sources into dist/ next to it.
const { src, dest } = require('gulp');

function copyAssets() {
	return src(['nodes/**/*.svg', 'nodes/**/*.node.json', 'credentials/**/*.svg'], {
		base: '.',
		encoding: false,
	}).pipe(dest('dist'));
}

exports['build:assets'] = copyAssets;
