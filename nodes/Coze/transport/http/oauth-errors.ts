import { CozeError } from './coze-error';
import { isStudioUnknownPath } from './envelope';

/** What the token exchange's refusal needs to name: the credential's fields, as the user typed them. */
export interface OAuthAppFields {
	appId: string;
	publicKeyId: string;
}

interface Advice {
	/** What happened, in the user's terms: the error's message starts with it. */
	headline: string;
	/** What to fix, naming the credential's field. */
	fix: (app: OAuthAppFields) => string;
}

const REFUSED = "Coze refused the OAuth app's token request";

const EVERY_FIELD = (app: OAuthAppFields) =>
	`Check the credential's App ID "${app.appId}" (the app's ID on Coze's OAuth apps page), Public Key ID "${app.publicKeyId}" (the fingerprint Coze shows beside one of that app's public keys) and Private Key (the private half of that same key pair); that Region is the site where the app was made (coze.cn and coze.com apps are separate); and that the clock of the machine n8n runs on is right (the JWT carries the time it was made).`;

/**
 * The exchange's error codes, as Coze's API page for it lists them (oauth_jwt.md, "错误码"). The
 * body is {error_code, error_message, error} (coze-go error.go authErrorFormat), sometimes with
 * HTTP 200: coze-go takes any answer with an error_code as a refusal, so does the node.
 */
const BY_CODE = new Map<string, Advice>([
	[
		'invalid_request',
		{
			headline: "Coze refused a parameter of the OAuth app's token request",
			fix: () =>
				"Coze's message names the parameter. The node sends a fixed grant_type and duration_seconds, the credential's Token Lifetime: make it a whole number of seconds from 1 to 86399, or leave it empty for 900.",
		},
	],
	// The JWT itself: its key id, signature, issuer, audience or times (coze-go issue 43: "invalid jwt: kid not been registred").
	['invalid_client', { headline: "Coze did not accept the OAuth app's JWT", fix: EVERY_FIELD }],
	[
		'unsupported_grant_type',
		{
			headline: "This server does not take the OAuth app's JWT",
			fix: () =>
				"The node asks for a token with the JWT grant (urn:ietf:params:oauth:grant-type:jwt-bearer), which Coze's cloud takes. Check the credential's Region, or its Base URL when Region is Custom: it must be Coze's API (api.coze.cn or api.coze.com), not a proxy or a server without OAuth apps. Coze Studio takes a Personal Access Token only.",
		},
	],
	[
		'access_deny',
		{
			headline: 'The OAuth app is deactivated in Coze, or not allowed this token',
			fix: (app) =>
				`The credential is not at fault: the app's owner switched the app off. In Coze, open API → Authorization → OAuth apps (coze.cn/open/oauth/apps or coze.com/open/oauth/apps), find the app with App ID ${app.appId}, enable it and check that it is authorised for the workspace of your workflows; then run again. If Coze's message is about the app's type, App ID must be a service app (服务类应用).`,
		},
	],
	[
		'internal_error',
		{
			headline: 'Coze failed to issue a token to the OAuth app',
			fix: () =>
				"This is Coze's own fault, not the credential's: try again later. If it goes on, give Coze support the log id.",
		},
	],
]);
// The device flow's spelling of the same refusal (coze-go error.go AccessDenied).
BY_CODE.set('access_denied', BY_CODE.get('access_deny')!);

/**
 * Fallback for a refusal without an OAuth error code (an envelope {code, msg}, or a bare
 * error_message as cozepy reads it): the field is guessed from Coze's words. Only here does the
 * node read a message's text, because nothing else in such an answer says what went wrong.
 */
export function fieldNamedInMessage(said: string, app: OAuthAppFields): string {
	const text = said.toLowerCase();
	if (/\bkid\b|public key/.test(text)) {
		return `Public Key ID "${app.publicKeyId}" is not a key of this app on this server: check it, and that the credential's Region is the site where the app was made.`;
	}
	if (/signature|verify|sign/.test(text))
		return 'The Private Key does not match the Public Key ID: paste the private key of that key pair.';
	if (/\biss\b|client id/.test(text))
		return `App ID "${app.appId}" is not the ID of the app this key belongs to: use the app's ID (client id) from Coze's OAuth apps page.`;
	if (/\bexp\b|\biat\b|expire|clock/.test(text))
		return 'Coze refused the time in the token: the clock of the machine n8n runs on is probably wrong (check NTP).';
	return EVERY_FIELD(app);
}

/**
 * What to fix when the app gets no token. Coze's OAuth error code decides; its words are read
 * only when it sent no code. The message keeps Coze's code, words and log id.
 */
export function exchangeFailure(error: unknown, app: OAuthAppFields): unknown {
	if (!(error instanceof CozeError) || error.tokenExchange) return error;
	if (error.kind !== 'api')
		return error.with({
			message: `Could not get an access token for the OAuth app: ${error.message}`,
			tokenExchange: true,
		});
	if (isStudioUnknownPath(error)) {
		return new CozeError('This Coze server has no OAuth token exchange', {
			kind: 'config',
			httpStatus: error.httpStatus,
			logId: error.logId,
			tokenExchange: true,
			description:
				"Coze Studio accepts personal access tokens only: set the credential's Authentication to Personal Access Token.",
		});
	}
	const advice = error.oauthCode !== undefined ? BY_CODE.get(error.oauthCode) : undefined;
	if (advice)
		return error.with({
			message: `${advice.headline}: ${error.message}`,
			description: advice.fix(app),
			tokenExchange: true,
		});
	const description =
		error.oauthCode !== undefined ? EVERY_FIELD(app) : fieldNamedInMessage(error.message, app);
	return error.with({ message: `${REFUSED}: ${error.message}`, description, tokenExchange: true });
}

/** Coze answered with success but without a token: not a refusal, and not worth the same request again. */
export function noTokenInAnswer(httpStatus: number, logId: string | undefined): CozeError {
	return new CozeError(
		`Coze's answer to the OAuth app's token request has no access token${logId ? ` (log id ${logId})` : ''}`,
		{
			kind: 'protocol',
			httpStatus,
			logId,
			tokenExchange: true,
			description: `It answered HTTP ${httpStatus} with neither access_token nor error_code. Check that the credential's Region (or Base URL) is Coze's API, not a proxy; if it is, give Coze support the log id.`,
		},
	);
}
