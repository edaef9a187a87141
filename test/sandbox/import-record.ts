// What the dev tools imported into an n8n user folder, file by file, so that a later start
// imports only what is new or changed: a workflow the user edited in n8n stays as they left it.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Kept beside n8n's database: it goes when the database goes. */
const recordFile = (userFolder: string) => path.join(userFolder, '.n8n', 'coze-dev-imported.json');
const databaseFile = (userFolder: string) => path.join(userFolder, '.n8n', 'database.sqlite');

export const hashOf = (text: string) => createHash('sha256').update(text).digest('hex');

/** Name → hash of the text imported under that name; nothing when n8n's database is new. */
export function readImportRecord(userFolder: string): Map<string, string> {
	if (!existsSync(databaseFile(userFolder)) || !existsSync(recordFile(userFolder)))
		return new Map();
	try {
		const record = JSON.parse(readFileSync(recordFile(userFolder), 'utf8')) as Record<
			string,
			unknown
		>;
		return new Map(
			Object.entries(record).filter(
				(entry): entry is [string, string] => typeof entry[1] === 'string',
			),
		);
	} catch {
		// An unreadable record: import everything once more, as on a first start.
		return new Map();
	}
}

export function writeImportRecord(userFolder: string, record: Map<string, string>): void {
	writeFileSync(recordFile(userFolder), `${JSON.stringify(Object.fromEntries(record), null, 2)}\n`);
}
