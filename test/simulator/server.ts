import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

import { refusalOutsideItsApp } from './app-workflows';
import { SimBots } from './bots';
import { SimCatalog } from './catalog';
import { ChatStream } from './chat-shapes';
import { SimOAuth } from './oauth';
import { sendEncodedStream, sendEventStream } from './event-stream';
import { sendBadToken, sendJson, sendUnknownPath, type Flavour } from './flavours';
import { studioConversation, studioRefusal, type ConversationOrigin } from './studio-conversations';
import { receiveUpload, type ReceivedUpload } from './upload';
import type { ChatTurnScript, SimWorkflow, WorkflowAnswer } from './workflows';
import { listenOnLoopback } from '../loopback';

/**
 * The script of `workflow` answering `path`. `/v1/workflows/resume` (resume_workflow.md) is the
 * cloud's resume of a synchronous or asynchronous run; Coze Studio has no such path
 * (coze-studio api/middleware/openapi_auth.go lists only /v1/workflow/stream_resume), so there it
 * gets Studio's session 401 like every path Studio does not serve.
 */
function workflowScript(workflow: SimWorkflow | undefined, path: string) {
	switch (path) {
		case '/v1/workflow/stream_run':
			return workflow?.run;
		case '/v1/workflow/stream_resume':
			return workflow?.resume;
		case '/v1/workflows/resume':
			return workflow?.blockingResume;
		default:
			return workflow?.blockingRun;
	}
}

export const SIMULATOR_TOKEN = 'pat_simulator_token_0123456789abcdefghijklmnop';

export interface RecordedRequest {
	method: string;
	path: string;
	/** The query string, without its "?" ('' for none). */
	query: string;
	/** Date.now() when it arrived. */
	receivedAt: number;
	authorization?: string;
	contentType?: string;
	contentLength?: string;
	body?: string;
}

/** Handles one request instead of the simulator's normal behaviour (a fault, an odd answer). */
export type Override = (
	req: IncomingMessage,
	res: ServerResponse,
	body: () => Promise<string>,
) => void | Promise<void>;

/** A test's view of the traffic, e.g. to tell which n8n process sent a request (test/n8n/queue-tracker). */
export interface SimulatorObserver {
	connection?: (socket: Socket) => void;
	request?: (record: RecordedRequest, req: IncomingMessage, res: ServerResponse) => void;
}

export interface SimulatorOptions {
	flavour?: Flavour;
	token?: string;
	/** A fixed port (the dev sandbox); an ephemeral one by default. */
	port?: number;
}

/**
 * A Coze API on 127.0.0.1 (ephemeral port) that behaves like the cloud or like Coze Studio:
 * it checks the bearer token, reads uploads as they stream in, and records what it was sent.
 * Tests steer it with `override(path, handler)` for one-off answers.
 */
export class CozeSimulator {
	readonly flavour: Flavour;
	readonly token: string;
	readonly requests: RecordedRequest[] = [];
	/** The cloud's OAuth token exchange: register an app to let its JWT in (oauth.ts). */
	readonly oauth = new SimOAuth();
	/** The workspaces and workflows the catalog endpoints list and describe, and denied permissions (catalog.ts). */
	readonly catalog = new SimCatalog();
	readonly uploads: ReceivedUpload[] = [];
	/** Per path, the handlers of the next requests in order; undefined lets one through to the normal answer. */
	private readonly overrides = new Map<string, Array<Override | undefined>>();
	private readonly uploadWaiters: Array<(upload: ReceivedUpload) => void> = [];
	private readonly firstBytesWaiters: Array<(req: IncomingMessage) => void> = [];
	private readonly sockets = new Set<Socket>();
	private readonly workflows = new Map<string, SimWorkflow>();
	private readonly historyPolls = new Map<string, number>();
	private readonly closeWaiters: Array<() => void> = [];
	private readonly openStreams = new Set<ServerResponse>();
	private fileCounter = 0;
	/** Files anyone may GET here, without a token (serveFile). */
	private readonly publicFiles = new Map<string, { contentType: string; body: Buffer }>();
	/** Conversations by id: what was said, and a question waiting for its answer. */
	readonly conversations = new Map<
		string,
		{ history: Array<{ role: 'user' | 'assistant'; content: string }>; asked?: string }
	>();
	/** Conversations by CONVERSATION_NAME (Studio's get-or-create when no id is given; keyed by owner and connector there). */
	private readonly conversationsByName = new Map<string, string>();
	/** Who made each conversation: Studio's chatflows take only their own (studio-conversations.ts). */
	private readonly conversationOrigins = new Map<string, ConversationOrigin>();
	private idCounter = 0;
	private readonly observers: SimulatorObserver[] = [];
	/** Bots (智能体) and their chats: /v3/chat, /v3/chat/submit_tool_outputs, /v3/chat/retrieve, /v3/chat/message/list (bots.ts). */
	readonly bots = new SimBots({
		// A getter: fields are set before the constructor's body sets the flavour.
		flavour: () => this.flavour,
		conversations: this.conversations,
		newConversation: () => this.newConversation({}),
		nextId: () => this.nextId(),
		answer: (res, answer) => this.answer(res, answer),
	});

	private constructor(
		private readonly server: Server,
		options: SimulatorOptions,
	) {
		this.flavour = options.flavour ?? 'cloud';
		this.token = options.token ?? SIMULATOR_TOKEN;
	}

	static async start(options: SimulatorOptions = {}): Promise<CozeSimulator> {
		const server = createServer({ requestTimeout: 0 });
		const simulator = new CozeSimulator(server, options);
		server.on('request', (req, res) => void simulator.handle(req, res));
		server.on('connection', (socket: Socket) =>
			simulator.observers.forEach((observer) => observer.connection?.(socket)),
		);
		await listenOnLoopback(server, simulator.sockets, options.port);
		return simulator;
	}

	get port(): number {
		return (this.server.address() as AddressInfo).port;
	}

	get baseUrl(): string {
		return `http://127.0.0.1:${this.port}`;
	}

	/** The next request to `path` is answered by `handler` (queued: one handler per request). */
	override(path: string, handler: Override): void {
		const queue = this.overrides.get(path) ?? [];
		queue.push(handler);
		this.overrides.set(path, queue);
	}

	/** The next request to `path` gets the normal answer: queued before an override, it makes that one the answer to a later request. */
	passThrough(path: string): void {
		const queue = this.overrides.get(path) ?? [];
		queue.push(undefined);
		this.overrides.set(path, queue);
	}

	/** Scripts the workflow with this id (ids are strings: 19 digits do not fit a JS number). */
	defineWorkflow(workflowId: string, workflow: SimWorkflow): void {
		this.workflows.set(workflowId, workflow);
	}

	/**
	 * Serves `body` at `path` to a GET without a token: the dev sandbox's sample files, which an
	 * example downloads with n8n's HTTP Request node. Not a Coze API (Coze has no such path).
	 */
	serveFile(path: string, contentType: string, body: Buffer): void {
		this.publicFiles.set(path, { contentType, body });
	}

	/** Watches every connection and request from now on (a request once it is recorded, before it is answered). */
	observe(observer: SimulatorObserver): void {
		this.observers.push(observer);
	}

	/** Resolves when the client closes a streaming response before it ended. */
	nextStreamClosedByClient(): Promise<void> {
		return new Promise((resolve) => this.closeWaiters.push(resolve));
	}

	/** Parsed JSON bodies of the requests to `path`, in order. */
	bodiesOf(path: string): Array<Record<string, unknown>> {
		return this.requests
			.filter((r) => r.path === path && r.body)
			.map((r) => JSON.parse(r.body!) as Record<string, unknown>);
	}

	/** Resolves with the next upload once its body has ended or been cut. */
	nextUpload(): Promise<ReceivedUpload> {
		return new Promise((resolve) => this.uploadWaiters.push(resolve));
	}

	/**
	 * Resolves when the next upload's first file bytes arrive; reading then pauses until
	 * `resume`, or `resetConnection` cuts the connection with a TCP reset.
	 */
	pauseAtFirstUploadBytes(): Promise<{ resume: () => void; resetConnection: () => void }> {
		return new Promise((resolve) =>
			this.firstBytesWaiters.push((req) => {
				req.pause();
				resolve({
					resume: () => req.resume(),
					resetConnection: () => req.socket.resetAndDestroy(),
				});
			}),
		);
	}

	/** Cuts every event stream now being sent with a TCP reset. */
	resetStreams(): void {
		for (const res of this.openStreams) res.socket?.resetAndDestroy();
	}

	async close(): Promise<void> {
		for (const socket of this.sockets) socket.destroy();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}

	private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const url = new URL(req.url ?? '/', 'http://simulator');
		const recorded: RecordedRequest = {
			method: req.method ?? 'GET',
			path: url.pathname,
			query: url.search.slice(1),
			receivedAt: Date.now(),
			authorization: req.headers.authorization,
			contentType: req.headers['content-type'],
			contentLength: req.headers['content-length'],
		};
		this.requests.push(recorded);
		for (const observer of this.observers) observer.request?.(recorded, req, res);
		const readBody = async () => {
			const chunks: Buffer[] = [];
			for await (const chunk of req) chunks.push(chunk as Buffer);
			recorded.body = Buffer.concat(chunks).toString('utf8');
			return recorded.body;
		};

		const override = this.overrides.get(url.pathname)?.shift();
		if (override) {
			await override(req, res, readBody);
			return;
		}
		const publicFile = req.method === 'GET' ? this.publicFiles.get(url.pathname) : undefined;
		if (publicFile) {
			res.writeHead(200, {
				'content-type': publicFile.contentType,
				'content-length': publicFile.body.length,
			});
			res.end(publicFile.body);
			return;
		}
		if (
			req.method === 'POST' &&
			url.pathname === '/api/permission/oauth2/token' &&
			this.flavour === 'cloud'
		) {
			const answer = this.oauth.exchange(
				req.headers.authorization,
				await readBody(),
				req.headers.host ?? '',
			);
			sendJson(res, this.flavour, answer.status, answer.body);
			return;
		}
		const bearer = req.headers.authorization?.startsWith('Bearer ')
			? req.headers.authorization.slice(7)
			: '';
		if (bearer !== this.token && !this.oauth.accepts(bearer)) {
			await readBody().catch(() => undefined);
			if (this.flavour === 'studio' && !this.servesPath(url.pathname))
				sendUnknownPath(res, this.flavour);
			else sendBadToken(res, this.flavour);
			return;
		}
		await this.route(req, res, url, readBody);
	}

	/** Paths Coze Studio serves to a personal access token; any other gets its session 401. */
	private servesPath(path: string): boolean {
		// A workflow's detail: openapi_auth.go lets a PAT into ^/v1/workflows/[0-9]+$ (catalog.ts).
		if (/^\/v1\/workflows\/\d+$/.test(path)) return true;
		return [
			'/v1/files/upload',
			'/v1/workflow/get_run_history',
			'/v1/workflow/run',
			'/v1/workflow/stream_run',
			'/v1/workflow/stream_resume',
			'/v1/workflows/chat',
			'/v1/conversation/create',
			// A bot's chat (coze-studio@4f786d6a openapi_auth.go needAuthPath): no submit_tool_outputs.
			'/v3/chat',
			'/v3/chat/retrieve',
			'/v3/chat/message/list',
		].includes(path);
	}

	private async route(
		req: IncomingMessage,
		res: ServerResponse,
		url: URL,
		readBody: () => Promise<string>,
	): Promise<void> {
		const route = `${req.method} ${url.pathname}`;
		if (route === 'GET /v1/users/me' && this.flavour === 'cloud') {
			sendJson(res, this.flavour, 200, {
				code: 0,
				msg: '',
				data: {
					user_id: '7404830425073352713',
					user_name: 'simulated_user',
					nick_name: 'Simulated User',
					avatar_url: '',
				},
			});
		} else if (route === 'POST /v1/files/upload') {
			await this.upload(req, res);
		} else if (
			route === 'POST /v1/workflow/stream_run' ||
			route === 'POST /v1/workflow/stream_resume' ||
			route === 'POST /v1/workflow/run' ||
			(route === 'POST /v1/workflows/resume' && this.flavour === 'cloud')
		) {
			const body = JSON.parse(await readBody()) as Record<string, unknown>;
			const workflow = this.workflows.get(String(body.workflow_id));
			const script = workflowScript(workflow, url.pathname);
			if (!script) {
				this.notPublished(res, route, String(body.workflow_id));
				return;
			}
			await this.answer(
				res,
				refusalOutsideItsApp(this.catalog, this.flavour, route, body) ?? script(body),
			);
		} else if (route === 'POST /v3/chat') {
			await this.bots.chat(res, url, JSON.parse(await readBody()) as Record<string, unknown>);
		} else if (route === 'POST /v3/chat/submit_tool_outputs' && this.flavour === 'cloud') {
			await this.bots.submit(res, url, JSON.parse(await readBody()) as Record<string, unknown>);
		} else if (route === 'GET /v3/chat/retrieve') {
			this.bots.retrieve(res, url);
		} else if (route === 'GET /v3/chat/message/list') {
			this.bots.listMessages(res, url);
		} else if (route === 'POST /v1/conversation/create') {
			await readBody();
			this.createConversation(res);
		} else if (route === 'POST /v1/workflows/chat') {
			const body = JSON.parse(await readBody()) as Record<string, unknown>;
			const refusal = refusalOutsideItsApp(this.catalog, this.flavour, route, body);
			if (refusal) await this.answer(res, refusal);
			else await this.chat(res, body);
		} else if (req.method === 'GET' && this.catalog.serves(url.pathname, this.flavour)) {
			this.catalog.answer(res, this.flavour, url);
		} else if (
			req.method === 'GET' &&
			(url.pathname.startsWith('/v1/workflows/') || url.pathname === '/v1/workflow/get_run_history')
		) {
			this.runHistory(res, url);
		} else {
			await readBody().catch(() => undefined);
			sendUnknownPath(res, this.flavour);
		}
	}

	private async answer(res: ServerResponse, answer: WorkflowAnswer): Promise<void> {
		if ('json' in answer) {
			sendJson(res, this.flavour, answer.status ?? 200, answer.json);
			return;
		}
		this.openStreams.add(res);
		res.on('close', () => {
			this.openStreams.delete(res);
			if (!res.writableFinished) this.closeWaiters.splice(0).forEach((resolve) => resolve());
		});
		if ('encodedStream' in answer) await sendEncodedStream(res, answer.encodedStream);
		else await sendEventStream(res, answer.stream, answer.shape);
	}

	/**
	 * A workflow that is not there or not published. The cloud: code 4200 (coze-api.md, as the SDKs
	 * map it; the msg text has no fixture). Studio's run: HTTP 200 {code 6031, msg, debug_url with
	 * zero ids} (coze-studio errno/workflow.go, the run handler's error path); Studio's stream: its
	 * internal code 720702011 (what its stream handler writes; hertz may drop that body once the
	 * stream writer took over, which test/engine/server-errors covers on its own).
	 */
	private notPublished(res: ServerResponse, route: string, workflowId: string): void {
		if (this.flavour === 'cloud')
			return sendJson(res, this.flavour, 200, {
				code: 4200,
				msg: `workflow ${workflowId} not found or not published`,
			});
		if (route === 'POST /v1/workflow/run') {
			return sendJson(res, this.flavour, 200, {
				code: 6031,
				msg: 'Workflow not published. Please publish the workflow first.',
				debug_url: `http://127.0.0.1:${this.port}/work_flow?execute_id=0&space_id=0&workflow_id=0`,
			});
		}
		sendJson(res, this.flavour, 200, {
			code: 720702011,
			msg: 'Workflow not published. Please publish the workflow first.',
		});
	}

	/** A fresh 19-digit id, as Coze's ids are. */
	private nextId(): string {
		this.idCounter += 1;
		return `746${String(Date.now()).slice(-9)}${String(this.idCounter).padStart(7, '0')}`;
	}

	/**
	 * `POST /v1/conversation/create`: data {id (a string), created_at, meta_data, last_section_id}
	 * (cozepy Conversation; coze-studio's conversation model tags id `json:"id,string"` and adds
	 * connector_id).
	 */
	private createConversation(res: ServerResponse): void {
		const id = this.newConversation({});
		const data = {
			id,
			created_at: Math.floor(Date.now() / 1000),
			meta_data: {},
			last_section_id: id,
			...(this.flavour === 'studio' ? { connector_id: '1024' } : {}),
		};
		sendJson(res, this.flavour, 200, { code: 0, msg: '', data });
	}

	/** A new, empty conversation and who made it. */
	private newConversation(origin: ConversationOrigin): string {
		const id = this.nextId();
		this.conversations.set(id, { history: [] });
		this.conversationOrigins.set(id, origin);
		return id;
	}

	/**
	 * `POST /v1/workflows/chat`, checked as coze-studio's OpenAPIChatFlowRun checks it (chatflow.go):
	 * additional_messages required, the last one the user's, text or object_string; Studio's rule
	 * for the conversation is studio-conversations.ts, and its refusals are HTTP 200
	 * {"code":777777775,"msg":"Workflow operation failure: …"}. The cloud's refusals have no
	 * fixture (no evidence): 4000 here; a given conversation_id must exist, and without one the
	 * turn gets a new conversation (or the one of its CONVERSATION_NAME): no evidence either.
	 */
	private async chat(res: ServerResponse, body: Record<string, unknown>): Promise<void> {
		const workflowId = String(body.workflow_id);
		const chatflow = this.workflows.get(workflowId)?.chat;
		if (!chatflow) return this.notPublished(res, 'POST /v1/workflows/chat', workflowId);
		const refuse = (msg: string) =>
			sendJson(
				res,
				this.flavour,
				200,
				this.flavour === 'studio' ? studioRefusal(msg) : { code: 4000, msg },
			);
		const messages = body.additional_messages as
			Array<{ role?: string; content?: string; content_type?: string }> | undefined;
		if (!Array.isArray(messages) || messages.length === 0)
			return refuse('additional_messages is requird');
		const last = messages[messages.length - 1];
		if (last.role !== 'user') return refuse('the role of the last day message must be user');
		if (
			!messages.every(
				(message) => message.content_type === 'text' || message.content_type === 'object_string',
			)
		)
			return refuse('invalid message content type');
		let conversationId =
			typeof body.conversation_id === 'string' && body.conversation_id
				? body.conversation_id
				: undefined;
		if (this.flavour === 'studio') {
			const found = studioConversation(
				body,
				this.conversationOrigins,
				this.conversationsByName,
				(origin) => this.newConversation(origin),
			);
			if ('refusal' in found) return sendJson(res, this.flavour, 200, found.refusal);
			conversationId = found.conversationId;
		} else if (conversationId && !this.conversations.has(conversationId)) {
			return refuse('conversation not found');
		} else if (!conversationId) {
			const name = (body.parameters as Record<string, unknown> | undefined)?.CONVERSATION_NAME;
			conversationId =
				(typeof name === 'string' && this.conversationsByName.get(name)) ||
				this.newConversation({});
			if (typeof name === 'string') this.conversationsByName.set(name, conversationId);
		}
		const conversation = this.conversations.get(conversationId)!;
		const message = String(last.content ?? '');
		const script = chatflow({
			message,
			history: [...conversation.history],
			answering: conversation.asked,
			conversationId,
			body,
		});
		if (!('answers' in script || 'asks' in script || 'fails' in script || 'followUps' in script))
			return this.answer(res, script as WorkflowAnswer);
		const turn = script as ChatTurnScript;
		conversation.history.push({ role: 'user', content: message });
		const executeId = this.nextId();
		const stream = new ChatStream(this.flavour, {
			conversationId,
			chatId: this.nextId(),
			sectionId: conversationId,
			executeId,
			debugUrl: `${this.baseUrl}/work_flow?execute_id=${executeId}&space_id=1&workflow_id=${workflowId}`,
		}).started();
		for (const pieces of turn.answers ?? []) {
			stream.answer(pieces);
			conversation.history.push({ role: 'assistant', content: pieces.join('') });
		}
		conversation.asked = turn.asks;
		if (turn.asks !== undefined) {
			stream.asks(turn.asks);
			conversation.history.push({ role: 'assistant', content: turn.asks });
		} else if (turn.fails) stream.fails(turn.fails.code, turn.fails.msg, turn.fails.shape);
		else
			stream
				.followUps(turn.followUps ?? [])
				.verbose()
				.completed();
		await this.answer(res, { stream: stream.numbered(), shape: turn.shape });
	}

	/** The cloud's `/v1/workflows/{id}/run_histories/{execute_id}`; Studio's `/v1/workflow/get_run_history`. */
	private runHistory(res: ServerResponse, url: URL): void {
		const nodePath = /^\/v1\/workflows\/(\d+)\/run_histories\/(\d+)\/execute_nodes\/([\w-]+)$/.exec(
			url.pathname,
		);
		if (nodePath) return this.nodeOutput(res, nodePath[1], nodePath[3]);
		const cloudPath = /^\/v1\/workflows\/(\d+)\/run_histories\/(\d+)$/.exec(url.pathname);
		if (cloudPath && this.flavour === 'studio') return sendUnknownPath(res, this.flavour);
		if (!cloudPath && this.flavour === 'cloud') return sendUnknownPath(res, this.flavour);
		const workflowId = cloudPath?.[1] ?? url.searchParams.get('workflow_id') ?? '';
		const history = this.workflows.get(workflowId)?.history;
		if (!history) {
			// No fixture shows either server's answer for an unknown run: no evidence.
			return this.flavour === 'studio'
				? sendJson(res, this.flavour, 200, { code: 720702011, msg: 'workflow not found' })
				: sendJson(res, this.flavour, 200, { code: 4200, msg: 'run not found' });
		}
		const poll = this.historyPolls.get(workflowId) ?? 0;
		this.historyPolls.set(workflowId, poll + 1);
		const record = history[Math.min(poll, history.length - 1)];
		if (typeof record === 'string') {
			// A raw JSON text: lets a test send execute_id as a 19-digit JSON number, as Studio does.
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end(record);
			return;
		}
		// The cloud: {code:0, msg, data:[record]} (cozepy run_histories reads data[0]). Studio leaves
		// code and msg out on success (omitempty, never set: coze-studio OpenAPIGetWorkflowRunHistory).
		sendJson(
			res,
			this.flavour,
			200,
			this.flavour === 'cloud' ? { code: 0, msg: '', data: [record] } : { data: [record] },
		);
	}

	/** The cloud's execute_nodes endpoint (Studio has none: its session 401). */
	private nodeOutput(res: ServerResponse, workflowId: string, uuid: string): void {
		if (this.flavour === 'studio') return sendUnknownPath(res, this.flavour);
		const output = this.workflows.get(workflowId)?.nodeOutputs?.[uuid];
		if (output === undefined)
			return sendJson(res, this.flavour, 200, {
				code: 4000,
				msg: 'only output nodes are supported',
			});
		const { output: text, isFinish } =
			typeof output === 'string' ? { output, isFinish: true } : output;
		sendJson(res, this.flavour, 200, {
			code: 0,
			msg: '',
			data: { is_finish: isFinish, node_output: text },
		});
	}

	private async upload(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const upload = await receiveUpload(req, () => this.firstBytesWaiters.shift()?.(req));
		this.uploads.push(upload);
		this.uploadWaiters.shift()?.(upload);
		if (!upload.complete) return;
		if (upload.fieldNames.length !== 1 || upload.fieldNames[0] !== 'file') {
			sendJson(res, this.flavour, 400, {
				code: 4000,
				msg: `expected one part named "file", got ${JSON.stringify(upload.fieldNames)}`,
			});
			return;
		}
		this.fileCounter += 1;
		const id = `74${String(Date.now()).slice(-10)}${String(this.fileCounter).padStart(7, '0')}`;
		upload.fileId = id;
		const createdAt = Math.floor(Date.now() / 1000);
		// The cloud: {id, bytes, created_at, file_name} (coze-api.md, from Coze's upload docs).
		// Studio: {id, uri, bytes, CreatedAt, file_name, url} (coze-studio api/model/app/bot_open_api, UploadFileOpen).
		const data =
			this.flavour === 'cloud'
				? { id, bytes: upload.bytes, created_at: createdAt, file_name: upload.fileName }
				: {
						id,
						uri: `tos-cn-i/${id}`,
						bytes: upload.bytes,
						CreatedAt: createdAt,
						file_name: upload.fileName,
						url: `http://127.0.0.1:${this.port}/files/${id}`,
					};
		sendJson(res, this.flavour, 200, { code: 0, msg: '', data });
	}
}
