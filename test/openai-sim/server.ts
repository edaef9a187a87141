// A scripted OpenAI-compatible Chat Completions server on 127.0.0.1, for n8n's "OpenAI Chat
// Model" node (LangChain's ChatOpenAI) with an `openAiApi` credential whose Base URL points here.
// The test queues one reply per completion it expects (a tool call, then text); every request
// is recorded, and a request nothing was queued for is answered with an OpenAI-shaped error
// (400, which the OpenAI client does not retry).
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { listenOnLoopback } from '../loopback';

export const OPENAI_SIM_KEY = 'sk-openai-sim-0123456789abcdefghijklmnop';
export const OPENAI_SIM_MODEL = 'gpt-4o-mini';

/** One message of a chat completion request, as the OpenAI API names its fields. */
export interface ChatMessage {
	role: 'system' | 'developer' | 'user' | 'assistant' | 'tool';
	content: string | Array<{ type: string; text?: string }> | null;
	tool_calls?: Array<{
		id: string;
		type: 'function';
		function: { name: string; arguments: string };
	}>;
	tool_call_id?: string;
	name?: string;
}

/** A function tool the client offers the model: its name, description and JSON schema. */
export interface ChatTool {
	type: 'function';
	function: {
		name: string;
		description?: string;
		parameters?: Record<string, unknown>;
		strict?: boolean;
	};
}

export interface ChatRequest {
	model: string;
	messages: ChatMessage[];
	tools?: ChatTool[];
	stream?: boolean;
	stream_options?: { include_usage?: boolean };
	[key: string]: unknown;
}

/** What the model answers: text, or calls of tools with their arguments (a JSON object each). */
export type Reply =
	{ text: string } | { toolCalls: Array<{ name: string; arguments: Record<string, unknown> }> };

/** Decides one completion's reply from the request n8n sent. */
export type Turn = (request: ChatRequest) => Reply;

export interface RecordedRequest {
	method: string;
	path: string;
	authorization?: string;
	body?: ChatRequest;
	/** Whether the reply was streamed (server-sent events) or one JSON answer. */
	streamed?: boolean;
}

export class OpenAiSimulator {
	readonly requests: RecordedRequest[] = [];
	private readonly turns: Turn[] = [];
	private readonly sockets = new Set<Socket>();

	private constructor(
		private readonly server: Server,
		readonly apiKey: string,
	) {}

	static async start(options: { apiKey?: string } = {}): Promise<OpenAiSimulator> {
		const server = createServer();
		const simulator = new OpenAiSimulator(server, options.apiKey ?? OPENAI_SIM_KEY);
		server.on('request', (req, res) => void simulator.handle(req, res));
		await listenOnLoopback(server, simulator.sockets);
		return simulator;
	}

	get port(): number {
		return (this.server.address() as AddressInfo).port;
	}

	/** What the credential's Base URL is set to: the API's root, with /v1 as OpenAI's. */
	get baseUrl(): string {
		return `http://127.0.0.1:${this.port}/v1`;
	}

	/** Queues the replies of the next completions, one per request, in order. */
	script(...turns: Turn[]): void {
		this.turns.push(...turns);
	}

	/** Replies queued and not yet asked for (a scenario that ends early leaves some). */
	get pendingTurns(): number {
		return this.turns.length;
	}

	/** The chat completion requests received, in order. */
	get completions(): ChatRequest[] {
		return this.requests
			.filter((request) => request.path === '/v1/chat/completions' && request.body)
			.map((request) => request.body!);
	}

	/** Forgets the requests and any replies still queued (between scenarios). */
	reset(): void {
		this.requests.length = 0;
		this.turns.length = 0;
	}

	async close(): Promise<void> {
		for (const socket of this.sockets) socket.destroy();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}

	private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const path = (req.url ?? '/').split('?')[0];
		const recorded: RecordedRequest = {
			method: req.method ?? 'GET',
			path,
			authorization: req.headers.authorization,
		};
		this.requests.push(recorded);
		const text = await readBody(req);
		if (req.headers.authorization !== `Bearer ${this.apiKey}`) {
			return sendError(res, 401, 'Incorrect API key provided.', 'invalid_api_key');
		}
		if (req.method === 'GET' && path === '/v1/models') {
			return sendJson(res, 200, {
				object: 'list',
				data: [
					{ id: OPENAI_SIM_MODEL, object: 'model', created: 1_700_000_000, owned_by: 'openai-sim' },
				],
			});
		}
		if (req.method !== 'POST' || path !== '/v1/chat/completions') {
			return sendError(
				res,
				404,
				`Unknown request ${req.method} ${path}: the simulator serves POST /v1/chat/completions and GET /v1/models.`,
				'unknown_url',
			);
		}
		let body: ChatRequest;
		try {
			body = JSON.parse(text) as ChatRequest;
		} catch {
			return sendError(res, 400, 'The body is not JSON.', 'invalid_json');
		}
		recorded.body = body;
		recorded.streamed = body.stream === true;
		const turn = this.turns.shift();
		if (!turn)
			return sendError(
				res,
				400,
				'openai-sim: no reply was scripted for this completion.',
				'unscripted',
			);
		let reply: Reply;
		try {
			reply = turn(body);
		} catch (error) {
			return sendError(
				res,
				400,
				`openai-sim: the scripted turn failed: ${error instanceof Error ? error.message : String(error)}`,
				'script_failed',
			);
		}
		const completion = completionOf(body, reply);
		if (body.stream)
			return sendStream(res, completion, body.stream_options?.include_usage === true);
		return sendJson(res, 200, completion);
	}
}

/** The tool whose name matches `pattern` among those the request offers; throws naming the offered tools when none does. */
export function toolOf(request: ChatRequest, pattern: RegExp = /.*/): ChatTool {
	const tool = (request.tools ?? []).find((candidate) => pattern.test(candidate.function.name));
	if (!tool)
		throw new Error(
			`no tool matching ${pattern} among [${(request.tools ?? []).map((candidate) => candidate.function.name).join(', ')}]`,
		);
	return tool;
}

/** The text of the request's `tool` messages (what the tools returned to the model), oldest first. */
export function toolResultsOf(request: ChatRequest): string[] {
	return request.messages
		.filter((message) => message.role === 'tool')
		.map((message) => textOf(message.content));
}

/** A turn that calls the tool matching `pattern` with `args`. */
export function callTool(args: Record<string, unknown>, pattern?: RegExp): Turn {
	return (request) => ({
		toolCalls: [{ name: toolOf(request, pattern).function.name, arguments: args }],
	});
}

/** A turn that answers in text, made from what the tools returned (the last `tool` message). */
export function answerWithToolResult(
	format: (toolResult: string) => string = (result) => `The tool said: ${result}`,
): Turn {
	return (request) => {
		const results = toolResultsOf(request);
		if (!results.length) throw new Error('the request has no tool message to answer from');
		return { text: format(results[results.length - 1]) };
	};
}

function textOf(content: ChatMessage['content']): string {
	if (typeof content === 'string') return content;
	if (Array.isArray(content)) return content.map((part) => part.text ?? '').join('');
	return '';
}

interface Completion {
	id: string;
	object: 'chat.completion';
	created: number;
	model: string;
	choices: Array<{
		index: 0;
		message: {
			role: 'assistant';
			content: string | null;
			tool_calls?: NonNullable<ChatMessage['tool_calls']>;
			refusal: null;
		};
		finish_reason: 'stop' | 'tool_calls';
		logprobs: null;
	}>;
	usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
}

function completionOf(request: ChatRequest, reply: Reply): Completion {
	const usage = {
		prompt_tokens: 10 * request.messages.length,
		completion_tokens: 10,
		total_tokens: 10 * request.messages.length + 10,
	};
	const base = {
		id: `chatcmpl-${randomUUID()}`,
		object: 'chat.completion' as const,
		created: Math.floor(Date.now() / 1000),
		model: request.model,
		usage,
	};
	if ('text' in reply) {
		return {
			...base,
			choices: [
				{
					index: 0,
					message: { role: 'assistant', content: reply.text, refusal: null },
					finish_reason: 'stop',
					logprobs: null,
				},
			],
		};
	}
	const toolCalls = reply.toolCalls.map((call) => ({
		id: `call_${randomUUID().replace(/-/g, '').slice(0, 24)}`,
		type: 'function' as const,
		function: { name: call.name, arguments: JSON.stringify(call.arguments) },
	}));
	return {
		...base,
		choices: [
			{
				index: 0,
				message: { role: 'assistant', content: null, tool_calls: toolCalls, refusal: null },
				finish_reason: 'tool_calls',
				logprobs: null,
			},
		],
	};
}

/**
 * The same completion as OpenAI streams it: a role delta, the content in word-sized deltas or
 * each tool call (id and name first, then its arguments in two pieces), a delta with the finish
 * reason, the usage chunk when asked for, and [DONE].
 */
function sendStream(res: ServerResponse, completion: Completion, includeUsage: boolean): void {
	const { id, created, model } = completion;
	const { message, finish_reason } = completion.choices[0];
	const chunk = (delta: Record<string, unknown>, finishReason: string | null = null) => ({
		id,
		object: 'chat.completion.chunk',
		created,
		model,
		choices: [{ index: 0, delta, finish_reason: finishReason, logprobs: null }],
		...(includeUsage ? { usage: null } : {}),
	});
	const chunks: object[] = [
		chunk({ role: 'assistant', content: message.tool_calls ? null : '', refusal: null }),
	];
	if (message.tool_calls) {
		message.tool_calls.forEach((call, index) => {
			const args = call.function.arguments;
			const half = Math.ceil(args.length / 2);
			chunks.push(
				chunk({
					tool_calls: [
						{
							index,
							id: call.id,
							type: 'function',
							function: { name: call.function.name, arguments: '' },
						},
					],
				}),
			);
			chunks.push(chunk({ tool_calls: [{ index, function: { arguments: args.slice(0, half) } }] }));
			chunks.push(chunk({ tool_calls: [{ index, function: { arguments: args.slice(half) } }] }));
		});
	} else {
		for (const piece of (message.content ?? '').match(/\S+\s*|\s+/g) ?? [])
			chunks.push(chunk({ content: piece }));
	}
	chunks.push(chunk({}, finish_reason));
	if (includeUsage)
		chunks.push({
			id,
			object: 'chat.completion.chunk',
			created,
			model,
			choices: [],
			usage: completion.usage,
		});
	res.writeHead(200, {
		'content-type': 'text/event-stream',
		'cache-control': 'no-cache',
		connection: 'keep-alive',
	});
	for (const data of chunks) res.write(`data: ${JSON.stringify(data)}\n\n`);
	res.end('data: [DONE]\n\n');
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
	const text = JSON.stringify(body);
	res.writeHead(status, {
		'content-type': 'application/json',
		'content-length': Buffer.byteLength(text),
	});
	res.end(text);
}

function sendError(res: ServerResponse, status: number, message: string, code: string): void {
	sendJson(res, status, { error: { message, type: 'invalid_request_error', param: null, code } });
}

function readBody(req: IncomingMessage): Promise<string> {
	return new Promise((resolve, reject) => {
		const parts: Buffer[] = [];
		req.on('data', (part: Buffer) => parts.push(part));
		req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
		req.on('error', reject);
	});
}
