// The production workflows the queue-mode test and benchmarks import: each starts with a Webhook
// (handled by the main process), the Coze node after it runs on whichever worker takes the job.
import { SANDBOX_CREDENTIAL } from '../sandbox/sandbox';

/** Webhook paths: `/webhook/<path>` on the main process. */
export const QUEUE_PATHS = {
	run: 'queue-run',
	upload: 'queue-upload',
	ask: 'queue-ask',
	chat: 'queue-chat',
} as const;
export const QUEUE_WEBHOOK_PATHS = Object.values(QUEUE_PATHS);

export const QUEUE_WORKFLOW_IDS = {
	run: 'queueCozeRun0001',
	upload: 'queueCozeUpload1',
	ask: 'queueCozeAsk0001',
	chat: 'queueCozeChat001',
} as const;

type Parameters = Record<string, unknown>;

let nodeCounter = 0;
function node(
	name: string,
	type: string,
	typeVersion: number,
	parameters: Parameters,
	extra: Record<string, unknown> = {},
) {
	nodeCounter += 1;
	return {
		id: `0a0a0a0a-0000-4000-8000-${String(nodeCounter).padStart(12, '0')}`,
		name,
		type,
		typeVersion,
		position: [nodeCounter * 220, 0],
		parameters,
		...extra,
	};
}

const coze = (name: string, parameters: Parameters) =>
	node(name, 'n8n-nodes-coze-workflow.coze', 1, parameters, {
		credentials: { cozeApi: SANDBOX_CREDENTIAL },
	});

/** A production webhook; `lastNode` answers with the last node's items once the worker is done. */
function webhook(
	path: string,
	responseMode: 'lastNode' | 'onReceived',
	responseData: 'allEntries' | 'firstEntryJson' = 'allEntries',
) {
	return node(
		'Webhook',
		'n8n-nodes-base.webhook',
		2.1,
		{ httpMethod: 'POST', path, responseMode, responseData, options: {} },
		{ webhookId: `0b0b0b0b-0000-4000-8000-${path.padStart(12, '0').slice(-12)}` },
	);
}

const to = (...targets: string[][]) => ({
	main: targets.map((names) => names.map((name) => ({ node: name, type: 'main', index: 0 }))),
});

function workflow(
	id: string,
	name: string,
	nodes: ReturnType<typeof node>[],
	connections: Record<string, unknown>,
) {
	return {
		id,
		name,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes,
		connections,
		pinData: {},
	};
}

export function queueWorkflows() {
	return [
		// POST {workflow_id, parameters} → Coze Run, one item per message; the answer is every item.
		workflow(
			QUEUE_WORKFLOW_IDS.run,
			'Queue: webhook → Coze Run',
			[
				webhook(QUEUE_PATHS.run, 'lastNode'),
				coze('Coze', {
					resource: 'workflow',
					operation: 'run',
					workflowId: '={{ $json.body.workflow_id }}',
					parameters: '={{ JSON.stringify($json.body.parameters ?? {}) }}',
					options: { outputMode: 'eachMessage' },
				}),
			],
			{ Webhook: to(['Coze']) },
		),
		// POST a file (application/octet-stream): the main stores it as binary data, a worker uploads it.
		workflow(
			QUEUE_WORKFLOW_IDS.upload,
			'Queue: webhook file → Coze Upload',
			[
				webhook(QUEUE_PATHS.upload, 'lastNode', 'firstEntryJson'),
				coze('Coze', { resource: 'file', operation: 'upload', binaryPropertyName: 'data' }),
			],
			{ Webhook: to(['Coze']) },
		),
		// Human in the loop: the run's interrupt waits (its resume URL sent to Coze as a parameter,
		// so the test can find it); a POST of {answer} to that URL resumes the execution, perhaps on
		// another worker, and answers with the Resume's items.
		workflow(
			QUEUE_WORKFLOW_IDS.ask,
			'Queue: Coze Run → interrupt → Wait → Coze Resume',
			[
				webhook(QUEUE_PATHS.ask, 'onReceived'),
				coze('Coze', {
					resource: 'workflow',
					operation: 'run',
					workflowId: '={{ $json.body.workflow_id }}',
					parameters:
						'={{ JSON.stringify({ attempt: $json.body.attempt, resume_url: $execution.resumeUrl }) }}',
				}),
				node(
					'Wait for the answer',
					'n8n-nodes-base.wait',
					1.1,
					{
						resume: 'webhook',
						httpMethod: 'POST',
						responseMode: 'lastNode',
						responseData: 'allEntries',
						options: {},
					},
					{ webhookId: '0c0c0c0c-0000-4000-8000-000000000001' },
				),
				coze('Resume', {
					resource: 'workflow',
					operation: 'resume',
					workflowId: "={{ $('Coze').first().json.workflow_id }}",
					eventId: "={{ $('Coze').first().json.event_id }}",
					interruptType: "={{ $('Coze').first().json.interrupt_type }}",
					resumeData: '={{ $json.body.answer }}',
				}),
			],
			{
				Webhook: to(['Coze']),
				Coze: to([], ['Wait for the answer']),
				'Wait for the answer': to(['Resume']),
			},
		),
		// POST {workflow_id, sessionId, chatInput} → Coze Chat, a conversation per session.
		workflow(
			QUEUE_WORKFLOW_IDS.chat,
			'Queue: webhook → Coze Chat',
			[
				webhook(QUEUE_PATHS.chat, 'lastNode', 'firstEntryJson'),
				coze('Coze', {
					resource: 'workflow',
					operation: 'chat',
					workflowId: '={{ $json.body.workflow_id }}',
					conversation: 'session',
					sessionId: '={{ $json.body.sessionId }}',
					message: '={{ $json.body.chatInput }}',
				}),
			],
			{ Webhook: to(['Coze']) },
		),
	];
}
