import {
	CozeError,
	isPermissionRefusal,
	isStudioUnknownPath,
	redactorFor,
	STUDIO_INVALID_TOKEN_CODE,
	type CozeConnection,
} from '../transport/http';

/**
 * Why Coze did not give the editor the Workflow list or a workflow's inputs. Each reason has its
 * own advice, because each is fixed in a different place (the credential, the token's
 * permissions in Coze, the workflow, the network, or nowhere: wait). Decided by the transport's
 * kind of failure, Coze's code and the HTTP status, never by the words of a message.
 */
export type EditorFailure =
	/** The credential cannot make a connection at all (no token, unknown Region). */
	| 'credential'
	/** Coze refused the token (HTTP 401, 4100, Studio's 700012006), or an OAuth app got none. */
	| 'authentication'
	/** The token lacks a permission (HTTP 403, 4101). */
	| 'permission'
	/** No such workflow, or not published (4200 / HTTP 404, Studio's codes). */
	| 'notFound'
	/** The server has no such API (Coze Studio: no list, no inputs described). */
	| 'noSuchApi'
	/** The Base URL could not be reached. */
	| 'network'
	/** Rate limited, Coze's own failure, or no answer in time: the same request may work later. */
	| 'tryAgain'
	/** The answer is not Coze's API (not JSON, a redirect): the Base URL points elsewhere. */
	| 'notCoze'
	| 'other';

/**
 * Coze Studio's codes for a workflow it does not have or has not published (coze-studio
 * types/errno/workflow.go: ErrWorkflowNotFound 720702004, ErrWorkflowNotPublished 720702011,
 * ErrOpenAPIWorkflowNotPublished 6031). The cloud says 4200 for both (its run API pages: "执行未发布的
 * 工作流会返回错误码 4200").
 */
const NOT_FOUND_CODES = new Set([4200, 720702004, 720702011, 6031]);
const RATE_LIMITED_CODE = 4013;

export function failureOf(error: unknown): EditorFailure {
	if (!(error instanceof CozeError)) return 'other';
	switch (error.kind) {
		case 'config':
			return 'credential';
		case 'network':
			return 'network';
		case 'timeout':
			return 'tryAgain';
		case 'protocol':
			return error.tokenExchange ? 'authentication' : 'notCoze';
		case 'api':
			return apiFailureOf(error);
		default:
			return 'other';
	}
}

function apiFailureOf(error: CozeError): EditorFailure {
	const { httpStatus = 0, cozeCode } = error;
	// Coze Studio answers a path it does not serve with its session 401 {"code":401}, or its router's
	// 404 {"code":404}; a server without Coze's error body answers a bare 404.
	if (
		isStudioUnknownPath(error) ||
		(httpStatus === 404 && (cozeCode === undefined || cozeCode === 404))
	)
		return 'noSuchApi';
	if (
		error.tokenExchange ||
		httpStatus === 401 ||
		cozeCode === 4100 ||
		cozeCode === STUDIO_INVALID_TOKEN_CODE
	)
		return 'authentication';
	if (isPermissionRefusal(httpStatus, cozeCode)) return 'permission';
	if (httpStatus === 404 || (cozeCode !== undefined && NOT_FOUND_CODES.has(cozeCode)))
		return 'notFound';
	if (httpStatus === 429 || cozeCode === RATE_LIMITED_CODE || httpStatus >= 500) return 'tryAgain';
	return 'other';
}

/** What a list of the editor holds, for what it says when Coze gives none. */
export interface ListSubject {
	/** What the list holds, one of them: workflow, bot. */
	thing: string;
	/** Coze's permission to list them (the API page's 权限 row): listWorkflow, listBot. */
	permission: string;
	/** What works without the list, on a server that has none: "running a workflow does not need it". */
	withoutList: string;
}

const REGION =
	"that the credential's Region is the site where the token was made (a coze.com token is refused by coze.cn and the reverse)";

/** The failure's message and description, the credential's secrets removed (detail '' when none). */
function cozeWords(error: unknown, connection?: CozeConnection): { said: string; detail: string } {
	const redact = (text: string) => (connection ? redactorFor(connection).text(text) : text);
	return {
		said: redact(error instanceof Error ? error.message : String(error)),
		detail: error instanceof CozeError && error.description ? redact(error.description) : '',
	};
}

/**
 * What a list (of workflows, of bots) says when Coze gives none: the advice first, then Coze's
 * words (its code and log id). One sentence for n8n's list, which shows an error's message only.
 */
export function listAdvice(
	error: unknown,
	subject: ListSubject,
	connection?: CozeConnection,
): string {
	const failure = failureOf(error);
	const { said, detail } = cozeWords(error, connection);
	const instead = 'choose By URL or By ID';
	switch (failure) {
		case 'credential':
			return detail ? `${said}: ${detail}` : said;
		case 'authentication':
			if (error instanceof CozeError && error.tokenExchange) return `${said}. ${detail}`;
			return `Coze refused the access token: check the token in the credential, and ${REGION}. Coze said: ${said}`;
		case 'permission': {
			const refused = error instanceof CozeError ? error.permission : undefined;
			const lacks = refused
				? `it lacks the ${refused.permission} permission, which ${refused.use} needs`
				: 'it lacks a permission';
			return `The token may not list workspaces and ${subject.thing}s (${lacks}): add listWorkspace and ${subject.permission} to the token in Coze, or ${instead}. Coze said: ${said}`;
		}
		case 'noSuchApi':
			return `This Coze server has no API to list workspaces and ${subject.thing}s: ${instead}. Coze Studio's API does not offer it (only coze.cn and coze.com do); ${subject.withoutList}`;
		case 'network':
			return `Coze could not be reached: check the credential's Base URL (or Region) and this machine's network. ${said}`;
		case 'tryAgain':
			return `Coze is busy or failed on its side: open the list again in a moment, or ${instead}. Coze said: ${said}`;
		case 'notCoze':
			return `The answer is not Coze's API: check the credential's Base URL (or Region). ${said}`;
		default:
			return `Coze did not give the list: ${said}. ${instead[0].toUpperCase()}${instead.slice(1)}`;
	}
}

/**
 * What the Inputs mapper says when Coze does not describe the chosen workflow: n8n's mapper
 * shows no error a method throws (its store turns any failure into "no answer", leaving the
 * notice it showed before), so every failure is a notice. The notice is HTML in the editor:
 * Coze's words are escaped.
 */
export function inputsAdvice(
	error: unknown,
	workflowId: string,
	connection?: CozeConnection,
): string {
	const failure = failureOf(error);
	const { said, detail } = cozeWords(error, connection);
	const instead = 'or choose Inputs → JSON and write them there';
	const again = "close and open the node again in a moment to read the workflow's inputs";
	let advice: string;
	switch (failure) {
		case 'credential':
			advice = detail ? `${said}: ${detail}` : said;
			break;
		case 'authentication':
			advice =
				error instanceof CozeError && error.tokenExchange
					? `${said}. ${detail}`
					: `Coze refused the access token, so the workflow's inputs cannot be read: check the token in the credential, and ${REGION}. Coze said: ${said}`;
			break;
		case 'permission': {
			const permission =
				(error instanceof CozeError && error.permission?.permission) || 'getMetaData';
			advice = `The token may not read this workflow's inputs (it lacks the ${permission} permission, or the workflow is in a workspace the token cannot see): add ${permission} and the workspace to the token in Coze, ${instead}. Coze said: ${said}`;
			break;
		}
		case 'notFound':
			advice = `Workflow ${workflowId}: not found or not published. Check the ID (From List shows the published workflows the token can run), and publish the workflow in Coze. Coze said: ${said}`;
			break;
		case 'noSuchApi':
			advice = `This Coze server does not describe workflows' inputs (Coze Studio's API does not): choose Inputs → JSON and write them there. Coze said: ${said}`;
			break;
		case 'network':
			advice = `Coze could not be reached, so the workflow's inputs cannot be read: check the credential's Base URL (or Region) and this machine's network. ${said}`;
			break;
		case 'tryAgain':
			advice = `Coze is busy or failed on its side: ${again}, ${instead}. Coze said: ${said}`;
			break;
		case 'notCoze':
			advice = `The answer is not Coze's API: check the credential's Base URL (or Region). ${said}`;
			break;
		default:
			advice = `Coze did not give the workflow's inputs: ${said}. Check the workflow, ${instead}`;
	}
	return escapeHtml(advice);
}

/** Text as HTML that shows it as it is: n8n renders a mapper's notice as HTML. */
export function escapeHtml(text: string): string {
	return text
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/"/g, '&quot;');
}
