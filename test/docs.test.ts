// What the docs promise about the project itself: the node's and the credential's documentation
// links in n8n's editor open the package's npm page (README.md, once published), and the layout
// in docs/development.md names every test folder.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { CozeApi } from '../credentials/CozeApi.credentials';

const root = path.resolve(__dirname, '..');
const { name } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
	name: string;
};
const npmPage = `https://www.npmjs.com/package/${name}`;

describe('documentation links', () => {
	it("the node's first documentation link is the package's npm page", () => {
		const codex = JSON.parse(
			readFileSync(path.join(root, 'nodes', 'Coze', 'Coze.node.json'), 'utf8'),
		) as { resources: { primaryDocumentation: Array<{ url: string }> } };
		expect(codex.resources.primaryDocumentation[0].url).toBe(npmPage);
	});

	it("the credential's link opens that page at README's Credentials section", () => {
		expect(new CozeApi().documentationUrl).toBe(`${npmPage}#credentials`);
		// npm's anchor for a heading is its text in lower case, spaces as hyphens.
		expect(readFileSync(path.join(root, 'README.md'), 'utf8')).toMatch(/^## Credentials$/m);
	});
});

describe("docs/development.md's layout", () => {
	it('names every folder of test/', () => {
		const layout =
			readFileSync(path.join(root, 'docs', 'development.md'), 'utf8').split('## Layout')[1] ?? '';
		const folders = readdirSync(path.join(root, 'test'), { withFileTypes: true })
			.filter((entry) => entry.isDirectory())
			.map((entry) => `test/${entry.name}/`);
		expect(folders.filter((folder) => !layout.includes(`\`${folder}\``))).toEqual([]);
	});
});
