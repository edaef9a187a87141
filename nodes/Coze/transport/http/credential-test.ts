import {
	connectionFromCredentials,
	credentialSecrets,
	redactorFor,
	type CozeConnection,
} from './connection';
import { requestCozeJson } from './client';
import { CozeError } from './coze-error';
import { isStudioUnknownPath, STUDIO_INVALID_TOKEN_CODE, type CozeEnvelope } from './envelope';
import { Redactor } from './redaction';

export interface CredentialCheck {
	ok: boolean;
	message: string;
}

interface UserEnvelope extends CozeEnvelope {
	code?: number;
	data?: { user_name?: string; nick_name?: string };
}

/**
 * Proves a token works. The cloud has `GET /v1/users/me`. Coze Studio has not: it answers any
 * path it does not know with HTTP 401 "missing session_key in cookie", whatever the token. So
 * on that answer we ask a path Studio does serve; there a wrong token is code 700012006 and any
 * other answer (even "workflow not found") means the token was accepted.
 */
export async function checkCozeCredential(
	credentials: Record<string, unknown>,
): Promise<CredentialCheck> {
	let connection: CozeConnection;
	// The dialog's message can carry what a server said: the credential's secrets leave it first.
	let redact = new Redactor(credentialSecrets(credentials));
	const failure = (error: unknown): CredentialCheck => ({
		ok: false,
		message: redact.text(failureMessage(error)),
	});
	try {
		// Someone is waiting on the dialog: one try each, a short timeout, an answer now.
		connection = connectionFromCredentials(credentials, { maxRetries: 0, idleTimeoutMs: 20_000 });
	} catch (error) {
		return failure(error);
	}
	// With an OAuth app's tokens and JWTs too, as they are made.
	redact = redactorFor(connection);
	if (connection.oauth) {
		// The exchange first, so that its failure is reported as what it is.
		try {
			await connection.oauth.token(connection);
		} catch (error) {
			return failure(error);
		}
	}
	try {
		const me = await requestCozeJson<UserEnvelope>(connection, {
			method: 'GET',
			path: '/v1/users/me',
			kind: 'read',
		});
		const who = me.data?.nick_name || me.data?.user_name;
		return {
			ok: true,
			message: redact.text(who ? `Connected to Coze as ${who}` : 'Connected to Coze'),
		};
	} catch (error) {
		// No source says an OAuth app's token may ask who it is: the token it got is the proof, unless Coze refused it.
		if (
			connection.oauth &&
			error instanceof CozeError &&
			error.kind === 'api' &&
			error.httpStatus !== 401 &&
			error.cozeCode !== 4100
		) {
			return { ok: true, message: 'Connected to Coze: the OAuth app got an access token' };
		}
		if (!isStudioUnknownPath(error)) return failure(error);
	}
	try {
		await requestCozeJson(connection, {
			method: 'GET',
			kind: 'read',
			path: '/v1/workflow/get_run_history',
			query: { workflow_id: '0', execute_id: '0' },
		});
	} catch (error) {
		const tokenAccepted =
			error instanceof CozeError &&
			error.kind === 'api' &&
			error.cozeCode !== STUDIO_INVALID_TOKEN_CODE &&
			error.httpStatus !== 401;
		if (!tokenAccepted) return failure(error);
	}
	return { ok: true, message: 'Connected to Coze Studio: the token was accepted' };
}

function failureMessage(error: unknown): string {
	if (error instanceof CozeError)
		return error.description ? `${error.message}. ${error.description}` : error.message;
	return error instanceof Error ? error.message : String(error);
}
