import { NodeOperationError, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { DEFAULT_POLICY, MAX_TIMER_MS, type RequestPolicy } from '../transport/http';

/** The longest time any of the options may hold: Node.js timers cannot wait longer. */
const MAX_SECONDS = Math.floor(MAX_TIMER_MS / 1000);
const MAX_OUTPUT_MEGABYTES = 2048;

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
			description:
				'How many input items run at once. Outputs keep the input order. Coze rate-limits a token (uploads: 10 a second); the node paces uploads and retries rate-limited requests.',
		},
		{
			displayName: 'Connect Timeout (Seconds)',
			name: 'connectTimeoutSeconds',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: MAX_SECONDS },
			default: 10,
			description: 'How long to wait for a connection to Coze',
		},
		{
			displayName: 'Idle Timeout (Seconds)',
			name: 'idleTimeoutSeconds',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: MAX_SECONDS },
			default: 120,
			description:
				'Fail when Coze sends nothing usable for this long: no answer yet, or no whole event on a stream. The cloud sends a heartbeat every few seconds while a workflow runs; Coze Studio sends none and answers only with its first event, so with the Custom region the default is 600. An upload is not cut while Coze keeps taking it; on a very slow link raise this, as the wait for the answer starts when the node has handed over the last byte.',
		},
		{
			displayName: 'Max Output Size (MB)',
			name: 'maxOutputMegabytes',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: MAX_OUTPUT_MEGABYTES },
			default: 256,
			description:
				"The most message text one run may send before it fails, so a runaway workflow cannot exhaust n8n's memory. Output → Final Message Only keeps only the last message.",
		},
		{
			displayName: 'Max Retries',
			name: 'maxRetries',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 10 },
			default: 3,
			description:
				'Retries of a request Coze provably did not take on (rate limited, no connection). Reads and uploads are also retried after gateway errors and broken connections; a run or resume never is, since it could run twice.',
		},
		{
			displayName: 'Max Retry Wait (Seconds)',
			name: 'maxRetryWaitSeconds',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: MAX_SECONDS },
			default: 30,
			description:
				'The longest wait between tries. If Coze asks to wait longer (Retry-After), the item fails instead.',
		},
		{
			displayName: 'Run Time Limit (Seconds)',
			name: 'runTimeLimitSeconds',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: MAX_SECONDS },
			default: 660,
			description:
				'Fail a run, resume, upload or request that takes longer than this, retries included; 0 for no limit. Coze ends a run after 10 minutes, so the default is 11 minutes. In Asynchronous mode it applies to each request, and Max Wait to the whole wait.',
		},
	],
};

export interface RequestOptions {
	/** Only what the user set: the connection fills the rest with the defaults of its server. */
	policy: Partial<RequestPolicy>;
	concurrency: number;
}

type RawOptions = Record<string, unknown>;

/** Reads Request Options, refusing values (typed or from an expression) the transport cannot honour. */
export function readRequestOptions(this: IExecuteFunctions): RequestOptions {
	const raw = this.getNodeParameter('requestOptions', 0, {}) as RawOptions;
	const number = (
		name: string,
		label: string,
		fallback: number,
		min: number,
		max: number,
	): number | undefined => {
		const value = raw[name];
		if (value === undefined || value === null || value === '') return undefined;
		const parsed = typeof value === 'number' ? value : Number(value);
		if (Number.isFinite(parsed) && parsed >= min && parsed <= max) return parsed;
		throw new NodeOperationError(
			this.getNode(),
			`Request Options → ${label} must be a number from ${min} to ${max}`,
			{
				itemIndex: 0,
				description: `It is ${JSON.stringify(value)}. Set it in the node's Request Options, or remove it to use the default (${fallback}).`,
			},
		);
	};
	const scaled = (value: number | undefined, unit: number, round = Math.round) =>
		value === undefined ? undefined : round(value * unit);
	const seconds = (name: string, label: string, fallbackMs: number, min = 1) =>
		scaled(number(name, label, fallbackMs / 1000, min, MAX_SECONDS), 1000);
	const policy: Partial<RequestPolicy> = {
		maxRetries: scaled(
			number('maxRetries', 'Max Retries', DEFAULT_POLICY.maxRetries, 0, 10),
			1,
			Math.floor,
		),
		maxRetryWaitMs: seconds('maxRetryWaitSeconds', 'Max Retry Wait', DEFAULT_POLICY.maxRetryWaitMs),
		connectTimeoutMs: seconds(
			'connectTimeoutSeconds',
			'Connect Timeout',
			DEFAULT_POLICY.connectTimeoutMs,
		),
		idleTimeoutMs: seconds('idleTimeoutSeconds', 'Idle Timeout', DEFAULT_POLICY.idleTimeoutMs),
		maxOutputBytes: scaled(
			number(
				'maxOutputMegabytes',
				'Max Output Size',
				DEFAULT_POLICY.maxOutputBytes / 1024 / 1024,
				1,
				MAX_OUTPUT_MEGABYTES,
			),
			1024 * 1024,
		),
		runTimeLimitMs: seconds(
			'runTimeLimitSeconds',
			'Run Time Limit',
			DEFAULT_POLICY.runTimeLimitMs,
			0,
		),
	};
	for (const key of Object.keys(policy) as Array<keyof RequestPolicy>)
		if (policy[key] === undefined) delete policy[key];
	return { policy, concurrency: Math.floor(number('concurrency', 'Concurrency', 1, 1, 50) ?? 1) };
}
