/**
 * The permission a token (or OAuth app) needs for each Coze endpoint the node calls, by the path
 * that was called, as Coze's API pages name it in their 权限 row (coze-dev/coze-sdk-gen
 * docs/api-markdown: workflow_run.md, workflow_stream_run.md, workflow_resume.md,
 * resume_workflow.md, workflow_chat.md → run; create_conversation.md → createConversation;
 * workflow_history.md, get_node_execute_history_response.md → listRunHistory; upload_files.md →
 * uploadFile; list_workspace.md → listWorkspace; get_workflow_list.md → listWorkflow;
 * get_workflow_info.md → getMetaData; bots_list_draft_published.md → listBot; chat_v3.md → chat;
 * chat_submit_tool_outputs.md → submitToolChat; retrieve_chat.md → getChat; list_chat_messages.md →
 * "chat、listMessage": a token that could start the chat has chat, so the one it lacks there is
 * listMessage). Coze Studio's run history path is its counterpart of the cloud's. First match
 * wins: `/v1/workflows/chat` before a workflow's detail.
 */
const ENDPOINT_PERMISSIONS: ReadonlyArray<{ path: RegExp; permission: string; use: string }> = [
	{
		path: /^\/v1\/workflow\/(run|stream_run|stream_resume)$/,
		permission: 'run',
		use: 'running a workflow',
	},
	{
		path: /^\/v1\/workflows\/resume$/,
		permission: 'run',
		use: "answering a workflow's question (Resume)",
	},
	{ path: /^\/v1\/workflows\/chat$/, permission: 'run', use: 'running a chatflow (Chat)' },
	{
		path: /^\/v1\/conversation\/create$/,
		permission: 'createConversation',
		use: 'making the conversation of a chat (Chat with Conversation "Remember per Chat Session" or "New Each Time")',
	},
	{
		path: /^\/v1\/workflows\/[^/]+\/run_histories\//,
		permission: 'listRunHistory',
		use: 'reading the result of an asynchronous run (Run Mode "Asynchronous")',
	},
	{
		path: /^\/v1\/workflow\/get_run_history$/,
		permission: 'listRunHistory',
		use: 'reading the result of an asynchronous run (Run Mode "Asynchronous")',
	},
	{ path: /^\/v1\/files\/upload$/, permission: 'uploadFile', use: 'uploading a file' },
	{ path: /^\/v1\/workspaces$/, permission: 'listWorkspace', use: 'listing workspaces' },
	{ path: /^\/v1\/workflows$/, permission: 'listWorkflow', use: 'listing workflows' },
	{ path: /^\/v1\/bots$/, permission: 'listBot', use: 'listing bots' },
	{ path: /^\/v3\/chat$/, permission: 'chat', use: 'chatting with a bot (Bot → Chat)' },
	{
		path: /^\/v3\/chat\/submit_tool_outputs$/,
		permission: 'submitToolChat',
		use: "answering a bot's tool calls (Bot → Submit Tool Outputs)",
	},
	{
		path: /^\/v3\/chat\/retrieve$/,
		permission: 'getChat',
		use: 'following a bot chat without a stream (Response Mode "Poll Until Done")',
	},
	{
		path: /^\/v3\/chat\/message\/list$/,
		permission: 'listMessage',
		use: 'reading a bot chat\'s messages without a stream (Response Mode "Poll Until Done", which also needs chat)',
	},
	{
		path: /^\/v1\/workflows\/[^/]+$/,
		permission: 'getMetaData',
		use: "reading a workflow's details",
	},
];

export interface EndpointPermission {
	/** Coze's name of the permission, e.g. createConversation. */
	permission: string;
	/** What the node was doing with the endpoint, for the user. */
	use: string;
}

/** The permission the endpoint at `path` (under the base URL) needs, or undefined for one the table does not name. */
export function permissionOf(path: string | undefined): EndpointPermission | undefined {
	if (path === undefined) return undefined;
	const entry = ENDPOINT_PERMISSIONS.find((candidate) => candidate.path.test(path));
	return entry && { permission: entry.permission, use: entry.use };
}
