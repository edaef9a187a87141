import { appIdFromUrl, workflowIdFromUrl } from '../nodes/Coze/transport/protocols/workflow-url';

const ID = '7404830425073352713';

describe('Workflow → By URL: the workflow ID in an address of Coze', () => {
	it.each([
		['the editor', `https://www.coze.cn/work_flow?space_id=7404830425073300001&workflow_id=${ID}`],
		[
			"a run's debug_url (coze-api.md)",
			`https://www.coze.cn/work_flow?execute_id=7404830425073399001&space_id=7404830425073300001&workflow_id=${ID}`,
		],
		[
			'coze.com, with a fragment',
			`https://www.coze.com/work_flow?workflow_id=${ID}&space_id=1#node`,
		],
		[
			'a workflow inside an app',
			`https://www.coze.cn/space/7404830425073300001/project-ide/7404830425073300009/workflow/${ID}`,
		],
		[
			'self-hosted Coze Studio',
			`http://localhost:8888/work_flow?workflow_id=${ID}&space_id=7404830425073300001`,
		],
		[
			'an address pasted without its scheme, with spaces',
			`  www.coze.cn/work_flow?workflow_id=${ID}  `,
		],
	])('reads it from %s', (_, address) => {
		expect(workflowIdFromUrl(address)).toBe(ID);
	});

	it.each([
		['a workspace page', 'https://www.coze.cn/space/7404830425073300001/develop'],
		['a workflow_id that is not a number', 'https://www.coze.cn/work_flow?workflow_id=abc'],
		['text that is no address', 'my workflow'],
		['an empty field', ''],
	])('finds none in %s', (_, address) => {
		expect(workflowIdFromUrl(address)).toBeUndefined();
	});
});

describe('Workflow → By URL: the Coze app in an address', () => {
	const APP = '7404830425073300009';

	it.each([
		[
			'a workflow inside an app (coze.cn)',
			`https://www.coze.cn/space/7404830425073300001/project-ide/${APP}/workflow/${ID}`,
		],
		[
			"a Coze Studio project's workflow",
			`http://localhost:8888/space/7404830425073300001/project-ide/${APP}/workflow/${ID}?from=createSuccess`,
		],
		[
			"an app's address pasted without its scheme",
			`  www.coze.cn/space/7404830425073300001/project-ide/${APP}/workflow/${ID}  `,
		],
	])('reads it from %s', (_, address) => {
		expect(appIdFromUrl(address)).toBe(APP);
	});

	it.each([
		[
			'the editor of a workflow outside an app',
			`https://www.coze.cn/work_flow?space_id=7404830425073300001&workflow_id=${ID}`,
		],
		[
			'project-ide followed by no number',
			`https://www.coze.cn/space/7404830425073300001/project-ide/publish/workflow/${ID}`,
		],
		['text that is no address', 'my workflow'],
	])('finds none in %s', (_, address) => {
		expect(appIdFromUrl(address)).toBeUndefined();
	});
});
