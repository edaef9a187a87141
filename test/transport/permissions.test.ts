import { apiErrorFromEnvelope } from '../../nodes/Coze/transport/http/envelope';
import { permissionOf } from '../../nodes/Coze/transport/http/permissions';

describe("the permission each endpoint needs (Coze's API pages, 权限)", () => {
	it.each([
		['/v1/workflow/run', 'run'],
		['/v1/workflow/stream_run', 'run'],
		['/v1/workflow/stream_resume', 'run'],
		['/v1/workflows/resume', 'run'],
		['/v1/workflows/chat', 'run'],
		['/v1/conversation/create', 'createConversation'],
		['/v1/workflows/7404830425073352713/run_histories/7404830425073358888', 'listRunHistory'],
		[
			'/v1/workflows/7404830425073352713/run_histories/7404830425073358888/execute_nodes/abc-1',
			'listRunHistory',
		],
		['/v1/workflow/get_run_history', 'listRunHistory'],
		['/v1/files/upload', 'uploadFile'],
		['/v1/workspaces', 'listWorkspace'],
		['/v1/workflows', 'listWorkflow'],
		['/v1/bots', 'listBot'],
		['/v3/chat', 'chat'],
		['/v3/chat/submit_tool_outputs', 'submitToolChat'],
		['/v3/chat/retrieve', 'getChat'],
		['/v3/chat/message/list', 'listMessage'],
		['/v1/workflows/7404830425073352713', 'getMetaData'],
	])('%s needs %s', (path, permission) => {
		expect(permissionOf(path)?.permission).toBe(permission);
		const error = apiErrorFromEnvelope({ code: 4101, msg: 'no permission' }, 200, undefined, path);
		expect(error.description).toContain(`the ${permission} permission`);
		expect(error.permission?.permission).toBe(permission);
	});

	it('keeps the general hint for a path it does not know, and names no permission for other errors', () => {
		expect(
			apiErrorFromEnvelope({ code: 4101, msg: 'no permission' }, 403, undefined, '/v1/users/me')
				.description,
		).toMatch(/^The token lacks a permission: /);
		expect(
			apiErrorFromEnvelope({ code: 4000, msg: 'bad' }, 400, undefined, '/v1/conversation/create')
				.permission,
		).toBeUndefined();
	});
});
