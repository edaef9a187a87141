// n8n loads node and credential icons from next to the compiled files,
// so the SVGs have to travel from the sources into dist/ beside them.
const { src, dest } = require('gulp');

function copyIcons() {
	return src(['nodes/**/*.svg', 'credentials/**/*.svg'], { base: '.', encoding: false }).pipe(
		dest('dist'),
	);
}

exports['build:icons'] = copyIcons;
