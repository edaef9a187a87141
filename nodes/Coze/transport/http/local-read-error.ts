import { CozeError } from './coze-error';

/**
 * A failure reading the file to upload from n8n's binary data (a disk error, a file removed
 * under it). The upload body wraps its source's errors in this, so that the transport reports
 * them as this machine's problem, not Coze's or the network's, and does not retry them.
 */
export class LocalReadError extends Error {
	constructor(
		readonly fileName: string,
		cause: unknown,
	) {
		super(`Could not read the file "${fileName}" from n8n's binary data`, { cause });
		this.name = 'LocalReadError';
	}

	/** The LocalReadError in an error's cause chain (undici may wrap what a body throws). */
	static within(error: unknown): LocalReadError | undefined {
		let current = error;
		for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
			if (current instanceof LocalReadError) return current;
			current = current.cause;
		}
		return undefined;
	}

	toCozeError(): CozeError {
		const cause = this.cause as { code?: unknown; message?: string } | undefined;
		const reason = cause?.message ?? String(this.cause);
		return new CozeError(this.message, {
			kind: 'local',
			cause: this.cause,
			description: `${reason}. Nothing is wrong with Coze: check the disk or database where n8n keeps binary data (N8N_BINARY_DATA_MODE), then run the item again.`,
		});
	}
}
