import type { CozeSimulator } from '../test/simulator/server';
import { ServerStream } from '../test/simulator/shapes';
import { messageChunks, numbered } from '../test/simulator/workflows';

/** The Coze workflows the sandbox answers for, with the ids the examples use. */
export const SANDBOX_WORKFLOWS = {
	dailyBriefing: '7404830425073352713',
	tripPlanner: '7404830425073352714',
	chatflow: '7404830425073352715',
};

/** What the sandbox chatflow asks on a conversation's first message. */
export const CHATFLOW_QUESTION = 'Hi! I am the Coze sandbox chatflow. What is your name? 你叫什么名字？';

/** Text in word-sized pieces, as a model streams it. */
const words = (text: string) => text.match(/\S+\s*|\s+/g) ?? [text];

const SLOW = { delayMs: 120 };

/** What the trip planner asks: the human-in-the-loop example's form shows it. */
export const TRIP_QUESTION = 'Where would you like to go this weekend? 这个周末想去哪里？';

/** Delta events slow enough to watch the answer arrive word by word in n8n's chat. */
const WORD_BY_WORD = { delayMs: 90 };

/** Scripts the sandbox so each example can be opened and executed without a Coze account. */
export function defineSandboxWorkflows(simulator: CozeSimulator): void {
	simulator.defineWorkflow(SANDBOX_WORKFLOWS.dailyBriefing, {
		run: (body) => {
			const { city = 'Hangzhou', date = 'today' } = (body.parameters ?? {}) as { city?: string; date?: string };
			return {
				stream: numbered([
					...messageChunks({ title: 'Weather', uuid: 'sandbox-weather', type: 'LLM' }, [`${city}, ${date}: `, 'sunny, ', '18–25°C. ', '晴，适合出行。']),
					{ event: 'PING', data: {} },
					...messageChunks({ title: 'End', uuid: 'sandbox-end', type: 'End' }, [JSON.stringify({ output: `Good morning! ${city} is sunny today, 18–25°C. 早上好，今天${city}晴。` })], {
						usage: { token_count: 42, input_count: 12, output_count: 30 },
					}),
					{ event: 'Done', data: { debug_url: `http://127.0.0.1:${simulator.port}/sandbox/debug/daily-briefing` } },
				]),
				shape: SLOW,
			};
		},
	});
	// A chatflow that remembers: it asks a new conversation for a name (a question node, which
	// ends the turn waiting), greets by it, and later recalls it and counts what was said.
	simulator.defineWorkflow(SANDBOX_WORKFLOWS.chatflow, {
		chat: (turn) => {
			if (turn.history.length === 0) return { asks: CHATFLOW_QUESTION, shape: WORD_BY_WORD };
			// This message answers the question; later ones find the answer in the conversation.
			const name = turn.answering ? turn.message : (turn.history.find((_, i, all) => all[i - 1]?.content === CHATFLOW_QUESTION)?.content ?? 'friend');
			if (turn.answering) {
				return {
					answers: [words(`Nice to meet you, ${name}! 很高兴认识你。 Ask me anything: I will remember this conversation.`)],
					followUps: ['What is my name?', 'How many messages have I sent?'],
					shape: WORD_BY_WORD,
				};
			}
			const said = turn.history.filter((message) => message.role === 'user').length + 1;
			return {
				answers: [words(`${name}, this is message ${said} of our conversation. You asked: "${turn.message}". 我记得你叫${name}。`)],
				shape: WORD_BY_WORD,
			};
		},
	});
	simulator.defineWorkflow(SANDBOX_WORKFLOWS.tripPlanner, {
		// The cloud's shape (cozepy's recorded stream): the question node streams its question as
		// a Message, then interrupts with data "" (test/simulator/shapes.ts).
		run: () => ({
			stream: numbered(
				new ServerStream('cloud')
					.message({ title: 'Planner', uuid: 'sandbox-planner', type: 'LLM' }, ['Let me plan ', 'your weekend trip. '])
					.question(TRIP_QUESTION, '7404830425073399001/7404830425073399002', '', { title: 'Ask destination' }).events,
			),
			shape: SLOW,
		}),
		resume: (body) => ({
			stream: numbered([
				...messageChunks({ title: 'Planner', uuid: 'sandbox-plan', type: 'LLM' }, [`${String(body.resume_data)}: `, 'day 1 old town, ', 'day 2 lake walk.']),
				...messageChunks({ title: 'End', uuid: 'sandbox-trip-end', type: 'End' }, [JSON.stringify({ output: `Your weekend in ${String(body.resume_data)} is planned.` })]),
				{ event: 'Done', data: { debug_url: `http://127.0.0.1:${simulator.port}/sandbox/debug/trip-planner` } },
			]),
			shape: SLOW,
		}),
	});
}
