// n8n's AI Agent uses the packed Coze node as a tool, in a real n8n (`n8n start`): the model (a
// scripted OpenAI-compatible server) calls the tool with arguments it chose, n8n runs the Coze
// workflow with them, and the model's next request carries what the tool returned.
import {
	AGENT_PATHS,
	AGENT_WEBHOOK_PATHS,
	agentChatWorkflow,
	agentExampleWorkflow,
	agentWebhookWorkflow,
	COZE_TOOL_NODE,
	startAgentN8n,
} from '../sandbox/agent-workflows';
import { postAndReadChunks, type LiveN8n, type StreamedChunk } from '../n8n/live-n8n';
import { defineSandboxWorkflows, SANDBOX_WORKFLOWS } from '../sandbox/sandbox-workflows';
import {
	answerWithToolResult,
	callTool,
	OpenAiSimulator,
	toolOf,
	toolResultsOf,
} from '../openai-sim/server';
import { CozeSimulator } from '../simulator/server';
import { ServerStream } from '../simulator/shapes';
import { stopSimulator } from '../simulator/stop';
import { DEBUG_URL, numbered } from '../simulator/workflows';

const WEATHER_WORKFLOW_ID = '7404830425073352730';
const EVENT_ID = '7404830425073352999/7404830425073353000';
/** The tool's name in the model's request: the node's name as n8n-workflow's nodeNameToToolName makes it. */
const TOOL = new RegExp(`^${COZE_TOOL_NODE}$`);

/** How the scripted Coze workflow answers the next run. */
let cozeRun: 'answer' | 'fail' | 'ask' = 'answer';
const forecast = (city: string) => `Weather in ${city}: light rain, 16°C`;

/** What the scenarios saw, printed at the end with COZE_E2E_REPORT=1 (what the agent gets from the tool). */
const observed: Record<string, unknown> = {};

let sim: CozeSimulator;
let openAi: OpenAiSimulator;
let n8n: LiveN8n;
const example = agentExampleWorkflow();

beforeAll(async () => {
	sim = await CozeSimulator.start({ flavour: 'cloud' });
	// The sandbox's workflows, for the example (its tool runs the daily briefing).
	defineSandboxWorkflows(sim);
	sim.defineWorkflow(WEATHER_WORKFLOW_ID, {
		run: (body) => {
			const city = String((body.parameters as { city?: unknown } | undefined)?.city ?? 'nowhere');
			const stream = new ServerStream('cloud').message({ title: 'Weather', type: 'LLM' }, [
				`Looking up ${city}… `,
				'found it.',
			]);
			if (cozeRun === 'fail')
				stream.error(5000, `The weather service has no data for ${city}`, DEBUG_URL);
			else if (cozeRun === 'ask')
				stream.question('Which Suzhou: Jiangsu or Anhui?', EVENT_ID, DEBUG_URL, {
					title: 'Ask city',
				});
			else
				stream
					.message({ title: 'End', type: 'End' }, [JSON.stringify({ output: forecast(city) })])
					.done(DEBUG_URL);
			return { stream: numbered(stream.events) };
		},
	});
	openAi = await OpenAiSimulator.start();
	const workflows = [
		agentWebhookWorkflow(WEATHER_WORKFLOW_ID),
		agentWebhookWorkflow(WEATHER_WORKFLOW_ID, 2.2),
		agentChatWorkflow(WEATHER_WORKFLOW_ID),
		example.workflow,
	];
	n8n = await startAgentN8n(sim, openAi, workflows, [...AGENT_WEBHOOK_PATHS, example.chatPath]);
}, 20 * 60_000);

afterAll(async () => {
	await n8n?.stop();
	await openAi?.close();
	if (sim) await stopSimulator(sim);
	if (process.env.COZE_E2E_REPORT) console.log(JSON.stringify(observed, null, 2));
});

beforeEach(() => {
	openAi.reset();
	sim.requests.length = 0;
	cozeRun = 'answer';
});

/** Asks the agent through its Webhook; resolves with n8n's answer (the agent's item, {output}). */
async function askAgent(
	message: string,
	path = AGENT_PATHS.webhook,
): Promise<{ status: number; body: { output?: string; [key: string]: unknown } }> {
	const response = await fetch(`${n8n.base}/webhook/${path}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ message }),
	});
	const text = await response.text();
	let body: { output?: string };
	try {
		body = JSON.parse(text) as { output?: string };
	} catch {
		body = { raw: text } as { output?: string };
	}
	return { status: response.status, body };
}

const runsOfCoze = () => sim.bodiesOf('/v1/workflow/stream_run');

const describeChunk = (chunk: StreamedChunk) =>
	`${chunk.type}:${chunk.metadata?.nodeName ?? ''}${chunk.content === undefined ? '' : ` ${JSON.stringify(chunk.content)}`}`;

describe('n8n AI Agent with the Coze node as a tool (n8n start, OpenAI Chat Model)', () => {
	describe('AI Agent 3.1 (it asks the engine to run its tools as nodes)', () => {
		it('the model calls the Coze tool with the arguments it chose; the workflow runs with them; its output reaches the model and the answer', async () => {
			openAi.script(
				callTool({ parameters: { city: 'Suzhou' } }, TOOL),
				answerWithToolResult((result) => `Here is what Coze said: ${result}`),
			);

			const { status, body } = await askAgent('What is the weather in Suzhou?');

			expect(status).toBe(200);
			expect(runsOfCoze()).toEqual([
				{ workflow_id: WEATHER_WORKFLOW_ID, parameters: { city: 'Suzhou' } },
			]);
			const [first, second] = openAi.completions;
			expect(openAi.completions).toHaveLength(2);
			// What the model is offered: the node's name as the tool's, the manual description, and
			// one argument per $fromAI key, described as the $fromAI call describes it.
			const tool = toolOf(first, TOOL).function;
			expect(tool.description).toBe(
				'Runs the Coze weather workflow for a city and returns its answer.',
			);
			expect(Object.keys((tool.parameters as { properties: object }).properties)).toEqual([
				'parameters',
			]);
			expect(JSON.stringify(tool.parameters)).toContain('The workflow inputs as a JSON object');
			// What the model is given back: as a tool, the node's final message (Output unset), as JSON.
			const [toolResult] = toolResultsOf(second);
			expect(JSON.parse(toolResult)).toEqual([
				expect.objectContaining({
					node_title: 'End',
					parsed: { output: forecast('Suzhou') },
					workflow_id: WEATHER_WORKFLOW_ID,
				}),
			]);
			expect(body.output).toContain(forecast('Suzhou'));
			observed.success = { toolSchema: tool.parameters, toolResult, answer: body.output };
		});

		it('the schema gives `parameters` no type: a model that sends the inputs as a JSON string gets the same run', async () => {
			openAi.script(
				callTool({ parameters: JSON.stringify({ city: 'Wuxi' }) }, TOOL),
				answerWithToolResult(),
			);

			const { status, body } = await askAgent('What is the weather in Wuxi?');

			expect(status).toBe(200);
			expect(runsOfCoze()).toEqual([
				{ workflow_id: WEATHER_WORKFLOW_ID, parameters: { city: 'Wuxi' } },
			]);
			expect(body.output).toContain(forecast('Wuxi'));
		});

		it('a Coze run that fails (an Error event) does not fail the agent: the model gets the error text as the tool result and can answer with it', async () => {
			cozeRun = 'fail';
			openAi.script(
				callTool({ parameters: { city: 'Atlantis' } }, TOOL),
				answerWithToolResult((result) => `Sorry, Coze could not help: ${result}`),
			);

			const { status, body } = await askAgent('What is the weather in Atlantis?');

			expect(runsOfCoze()).toEqual([
				{ workflow_id: WEATHER_WORKFLOW_ID, parameters: { city: 'Atlantis' } },
			]);
			expect(openAi.completions).toHaveLength(2);
			const [toolResult] = toolResultsOf(openAi.completions[1]);
			observed.failure = { status, toolResult, answer: body };
			// As a tool the node answers a failure as Continue on Fail does: the messages that had
			// arrived, then its error item with Coze's code.
			expect(JSON.parse(toolResult)).toEqual([
				expect.objectContaining({ content: 'Looking up Atlantis… found it.' }),
				{
					error:
						'The Coze workflow failed with error 5000: The weather service has no data for Atlantis',
					details: expect.objectContaining({ code: 5000 }),
				},
			]);
			expect(status).toBe(200);
			expect(body.output).toContain('The weather service has no data for Atlantis');
		});

		it('a Coze run that asks a question (an Interrupt): the model gets the question, and how to resume', async () => {
			cozeRun = 'ask';
			openAi.script(
				callTool({ parameters: { city: 'Suzhou' } }, TOOL),
				answerWithToolResult((result) => `Coze returned: ${result}`),
			);

			const { status, body } = await askAgent('What is the weather in Suzhou?');

			expect(runsOfCoze()).toHaveLength(1);
			expect(openAi.completions).toHaveLength(2);
			const [toolResult] = toolResultsOf(openAi.completions[1]);
			observed.interrupt = { status, toolResult, answer: body };
			expect(status).toBe(200);
			// n8n gives the model output 0 only (langchain's buildSteps buildObservation): as a tool
			// the node puts the interrupt there.
			expect(JSON.parse(toolResult)).toEqual([
				expect.objectContaining({
					status: 'interrupted',
					question: 'Which Suzhou: Jiangsu or Anhui?',
					event_id: EVENT_ID,
					next_step: expect.stringContaining('Resume'),
				}),
			]);
			expect(body.output).toContain('Which Suzhou: Jiangsu or Anhui?');
		});

		it('in a streaming Chat Trigger, the agent streams its answer made from the tool result; the model is asked with stream: true', async () => {
			openAi.script(
				callTool({ parameters: { city: 'Hangzhou' } }, TOOL),
				answerWithToolResult((result) => `Coze says: ${JSON.parse(result)[0].parsed.output}`),
			);

			const chunks = await postAndReadChunks(
				`${n8n.base}/webhook/${AGENT_PATHS.chatWebhookId}/chat`,
				{ action: 'sendMessage', sessionId: 'agent-1', chatInput: 'Weather in Hangzhou?' },
			);

			expect(runsOfCoze()).toEqual([
				{ workflow_id: WEATHER_WORKFLOW_ID, parameters: { city: 'Hangzhou' } },
			]);
			expect(
				openAi.requests.filter((request) => request.body).map((request) => request.streamed),
			).toEqual([true, true]);
			const textOf = (node: string) =>
				chunks
					.filter(
						(chunk: StreamedChunk) => chunk.type === 'item' && chunk.metadata?.nodeName === node,
					)
					.map((chunk) => chunk.content)
					.join('');
			expect(textOf('AI Agent')).toBe(`Coze says: ${forecast('Hangzhou')}`);
			// As a tool the node streams nothing of its own unless Stream to Chat is set: the agent talks.
			expect(textOf(COZE_TOOL_NODE)).toBe('');
			observed.streaming = {
				agentText: textOf('AI Agent'),
				cozeText: textOf(COZE_TOOL_NODE),
				chunks: chunks.map(describeChunk),
			};
		});

		it("in a streaming Chat Trigger, a failing Coze run: the chat gets the agent's answer, not the tool's error", async () => {
			cozeRun = 'fail';
			openAi.script(
				callTool({ parameters: { city: 'Atlantis' } }, TOOL),
				answerWithToolResult(
					(result) =>
						`Sorry: ${(JSON.parse(result) as Array<{ error?: string }>).find((item) => item.error)?.error}`,
				),
			);

			const chunks = await postAndReadChunks(
				`${n8n.base}/webhook/${AGENT_PATHS.chatWebhookId}/chat`,
				{ action: 'sendMessage', sessionId: 'agent-2', chatInput: 'Weather in Atlantis?' },
			);

			expect(openAi.completions).toHaveLength(2);
			expect(
				chunks
					.filter((chunk) => chunk.type === 'item' && chunk.metadata?.nodeName === 'AI Agent')
					.map((chunk) => chunk.content)
					.join(''),
			).toBe(
				'Sorry: The Coze workflow failed with error 5000: The weather service has no data for Atlantis',
			);
			observed.streamingFailure = chunks.map(describeChunk);
			expect(
				chunks.filter(
					(chunk) => chunk.type === 'error' || chunk.metadata?.nodeName === COZE_TOOL_NODE,
				),
			).toEqual([]);
		});
	});

	describe('AI Agent 2.2 (it runs its tools itself, in LangChain)', () => {
		it("calls the Coze tool with the model's arguments and answers with its output", async () => {
			openAi.script(
				callTool({ parameters: { city: 'Nanjing' } }, TOOL),
				answerWithToolResult((result) => `Here is what Coze said: ${result}`),
			);

			const { status, body } = await askAgent(
				'What is the weather in Nanjing?',
				AGENT_PATHS.webhookAgentV2,
			);

			expect(status).toBe(200);
			expect(runsOfCoze()).toEqual([
				{ workflow_id: WEATHER_WORKFLOW_ID, parameters: { city: 'Nanjing' } },
			]);
			expect(body.output).toContain(forecast('Nanjing'));
			observed.v2success = { toolResult: toolResultsOf(openAi.completions[1])[0] };
		});

		it('a failing Coze run does not fail the agent: the model gets the error item', async () => {
			cozeRun = 'fail';
			openAi.script(
				callTool({ parameters: { city: 'Atlantis' } }, TOOL),
				answerWithToolResult((result) => `Sorry, Coze could not help: ${result}`),
			);

			const { status, body } = await askAgent(
				'What is the weather in Atlantis?',
				AGENT_PATHS.webhookAgentV2,
			);

			expect(status).toBe(200);
			expect(openAi.completions).toHaveLength(2);
			const toolResult = toolResultsOf(openAi.completions[1])[0];
			// LangChain's AgentExecutor (@langchain/classic) would make a thrown error an empty observation
			// (n8n sets no handleToolRuntimeErrors): as a tool the node returns its error item instead.
			observed.v2failure = { status, toolResult, answer: body };
			expect(toolResult).toContain('The weather service has no data for Atlantis');
		});

		it('a Coze run that asks a question: the model gets the question', async () => {
			cozeRun = 'ask';
			openAi.script(
				callTool({ parameters: { city: 'Suzhou' } }, TOOL),
				answerWithToolResult((result) => `Coze returned: ${result}`),
			);

			const { status, body } = await askAgent(
				'What is the weather in Suzhou?',
				AGENT_PATHS.webhookAgentV2,
			);

			expect(status).toBe(200);
			expect(runsOfCoze()).toHaveLength(1);
			observed.v2interrupt = {
				status,
				toolResult: toolResultsOf(openAi.completions[1])[0],
				answer: body,
			};
			expect(toolResultsOf(openAi.completions[1])[0]).toContain('Which Suzhou: Jiangsu or Anhui?');
		});
	});

	it("examples/ai-agent-tool.json: the model fills in the city, the sandbox's daily briefing runs for it, the agent answers from its final message; the chat shows only the agent", async () => {
		const briefing = 'Good morning! Suzhou is sunny today, 18–25°C. 早上好，今天Suzhou晴。';
		openAi.script(
			callTool({ city: 'Suzhou' }, /^Coze_daily_briefing$/),
			answerWithToolResult((result) => `Briefing: ${JSON.parse(result)[0].parsed.output}`),
		);

		const chunks = await postAndReadChunks(`${n8n.base}/webhook/${example.chatPath}`, {
			action: 'sendMessage',
			sessionId: 'example-1',
			chatInput: 'How is the weather in Suzhou today?',
		});

		expect(runsOfCoze()).toEqual([
			{ workflow_id: SANDBOX_WORKFLOWS.dailyBriefing, parameters: { city: 'Suzhou' } },
		]);
		const tool = toolOf(openAi.completions[0], /^Coze_daily_briefing$/).function;
		expect(tool.parameters).toMatchObject({
			properties: { city: { type: 'string', description: 'The city to brief on, e.g. Hangzhou' } },
			required: ['city'],
		});
		// Final Message Only: the tool's result is the End message alone.
		expect(JSON.parse(toolResultsOf(openAi.completions[1])[0])).toEqual([
			expect.objectContaining({ node_title: 'End', parsed: { output: briefing } }),
		]);
		// Stream to Chat "Nothing": the Coze run's own text stays out of the chat.
		expect(new Set(chunks.map((chunk) => chunk.metadata?.nodeName))).toEqual(new Set(['AI Agent']));
		expect(
			chunks
				.filter((chunk) => chunk.type === 'item')
				.map((chunk) => chunk.content)
				.join(''),
		).toBe(`Briefing: ${briefing}`);
		observed.example = {
			toolSchema: tool.parameters,
			toolResult: toolResultsOf(openAi.completions[1])[0],
		};
	});
});
