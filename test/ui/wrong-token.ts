// A second credential for the sandbox, with a token the sandbox does not know: what a newcomer
// has after pasting a token of the other site, or a mistyped one.
import { writeFileSync } from 'node:fs';

export const WRONG_TOKEN_CREDENTIAL = {
	id: 'coze-sandbox-wrong-token',
	name: 'Coze sandbox, wrong token',
};
const WRONG_TOKEN = 'pat_made_on_the_other_site_0123456789abcdefghij';

/** One token credential (id and name) for a simulator on `port`, as `n8n import:credentials` takes it. */
export interface ImportedCredential {
	id: string;
	name: string;
	type: 'cozeApi';
	data: { region: 'custom'; baseUrl: string; accessToken: string };
}

export function wrongTokenCredential(port: number): ImportedCredential {
	return {
		...WRONG_TOKEN_CREDENTIAL,
		type: 'cozeApi',
		data: { region: 'custom', baseUrl: `http://127.0.0.1:${port}`, accessToken: WRONG_TOKEN },
	};
}

/** Writes credentials for one `n8n import:credentials` (plain; n8n encrypts them). */
export function writeCredentials(file: string, credentials: ImportedCredential[]): void {
	writeFileSync(file, JSON.stringify(credentials));
}
