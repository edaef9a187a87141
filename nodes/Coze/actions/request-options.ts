import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { DEFAULT_POLICY, type RequestPolicy } from '../transport/policy';

/**
 * "Request Options": how the node talks to Coze, for every operation. The defaults are
 * DEFAULT_POLICY's, written out because n8n's lint wants literals (a test keeps them equal).
 */
export const requestOptionsDescription: INodeProperties = {
	displayName: 'Request Options',
	name: 'requestOptions',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		{
			displayName: 'Concurrency',
			name: 'concurrency',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 50 },
			default: 1,
			description: 'How many input items run at once. Outputs keep the input order. Coze rate-limits a token (uploads: 10 a second); the node paces uploads and retries rate-limited requests.',
		},
		{
			displayName: 'Connect Timeout (Seconds)',
			name: 'connectTimeoutSeconds',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 10,
			description: 'How long to wait for a connection to Coze',
		},
		{
			displayName: 'Idle Timeout (Seconds)',
			name: 'idleTimeoutSeconds',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 120,
			description: 'Fail when Coze sends nothing for this long: no answer yet, or no event on a stream (Coze sends a heartbeat every few seconds). An upload is never cut while it is sending.',
		},
		{
			displayName: 'Max Retries',
			name: 'maxRetries',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 10 },
			default: 3,
			description: 'Retries of a request Coze did not take on (rate limited, gateway error, connection refused or reset before any answer). A run that has begun streaming is never retried.',
		},
		{
			displayName: 'Max Retry Wait (Seconds)',
			name: 'maxRetryWaitSeconds',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 30,
			description: 'The longest wait between tries. If Coze asks to wait longer (Retry-After), the item fails instead.',
		},
		{
			displayName: 'Run Time Limit (Seconds)',
			name: 'runTimeLimitSeconds',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 0,
			description: 'Fail an item whose run (or upload) takes longer than this; 0 means no limit',
		},
	],
};

export interface RequestOptions {
	policy: RequestPolicy;
	concurrency: number;
	/** Per item; undefined for none. */
	runTimeLimitMs?: number;
}

export function readRequestOptions(this: IExecuteFunctions): RequestOptions {
	const raw = this.getNodeParameter('requestOptions', 0, {}) as Record<string, number | undefined>;
	const seconds = (value: number | undefined, fallbackMs: number) => (typeof value === 'number' && value > 0 ? value * 1000 : fallbackMs);
	return {
		policy: {
			maxRetries: typeof raw.maxRetries === 'number' ? Math.max(0, Math.floor(raw.maxRetries)) : DEFAULT_POLICY.maxRetries,
			maxRetryWaitMs: seconds(raw.maxRetryWaitSeconds, DEFAULT_POLICY.maxRetryWaitMs),
			connectTimeoutMs: seconds(raw.connectTimeoutSeconds, DEFAULT_POLICY.connectTimeoutMs),
			idleTimeoutMs: seconds(raw.idleTimeoutSeconds, DEFAULT_POLICY.idleTimeoutMs),
		},
		concurrency: Math.max(1, Math.floor(raw.concurrency ?? 1)),
		runTimeLimitMs: raw.runTimeLimitSeconds ? raw.runTimeLimitSeconds * 1000 : undefined,
	};
}
