// Workflows and chatflows inside a Coze app (扣子应用, a "project" in Coze Studio), as the cloud
// runs them: only with the app's ID.
//
// Evidence read:
// - coze-dev/coze-sdk-gen docs/api-markdown/workflow_run.md (app_id: "仅运行扣子应用中的工作流时，
//   才需要设置 app_id"), workflow_chat.md (an app's chatflow: app_id 必选, bot_id 不传; "不支持同时
//   指定 bot_id 和 app_id"), coze-api.md (both set is error 4000).
// - coze-py issue #179: streaming an app's workflow without app_id ends in the stream's Error
//   event {"error_code":4000,"error_message":"App not found. Please verify the app_id is correct
//   and ensure the app has been published."} (cozepy's example prints the event's error as
//   "error_code=4000 error_message='App not found. …'").
// - coze-dev/coze-studio@4f786d6a backend/application/workflow/workflow.go OpenAPIStreamRun and
//   OpenAPIRun: Studio reads app_id when it is given and never requires it, so the Studio flavour
//   refuses nothing here.
import type { SimCatalog } from './catalog';
import type { Flavour } from './flavours';
import type { WorkflowAnswer } from './workflows';

/** The cloud's words for a run of an app's workflow without its app (coze-py issue #179). */
export const APP_NOT_FOUND =
	'App not found. Please verify the app_id is correct and ensure the app has been published.';

/**
 * The cloud's refusal of a run or a chat of a workflow whose app the request does not name (or
 * names wrongly), or of one that names both an agent and an app; undefined when it may run. A
 * resume names no app (resume_workflow.md): the run it resumes had one.
 */
export function refusalOutsideItsApp(
	catalog: SimCatalog,
	flavour: Flavour,
	route: string,
	body: Record<string, unknown>,
): WorkflowAnswer | undefined {
	if (flavour !== 'cloud' || route.endsWith('stream_resume')) return undefined;
	const given = typeof body.app_id === 'string' ? body.app_id : undefined;
	const refuse = (msg: string): WorkflowAnswer =>
		route.endsWith('stream_run')
			? // The stream's Error event, as coze-py issue #179 shows it.
				{ stream: [{ id: 0, event: 'Error', data: { error_code: 4000, error_message: msg } }] }
			: // /v1/workflow/run and /v1/workflows/chat: their answer to this is in no fixture or bug
				// report (no evidence); the same code and text in the JSON envelope.
				{ json: { code: 4000, msg } };
	// Both: 4000 (coze-api.md); the text has no evidence.
	if (given !== undefined && typeof body.bot_id === 'string')
		return refuse('bot_id and app_id cannot be set at the same time');
	const app = catalog.appOf(String(body.workflow_id));
	if (app !== undefined && given !== app) return refuse(APP_NOT_FOUND);
	return undefined;
}
