// The sandbox's bots (智能体), for Bot → Chat and Submit Tool Outputs without a Coze account: a
// plain one that streams its answer word by word and remembers the conversation, and one whose
// local plugin get_weather(city) n8n answers (examples/bot-tool-calls.json). They speak through
// the simulator's bots (test/simulator/bots.ts), in the cloud's shapes whose evidence
// test/simulator/bot-shapes.ts names; what they say is the sandbox's own.
import type { SimBot } from '../simulator/bots';
import type { CozeSimulator } from '../simulator/server';

/** The bots' ids, in the sandbox's personal workspace (its Bot list shows them). */
export const SANDBOX_BOTS = {
	assistant: '7404830425073352750',
	weather: '7404830425073352751',
};

/** Text in word-sized pieces, as a model streams it. */
const words = (text: string) => text.match(/\S+\s*|\s+/g) ?? [text];

/** Delta events slow enough to watch the answer arrive word by word in n8n's chat. */
const WORD_BY_WORD = { delayMs: 90 };

/** A bot that answers anything, says how far the conversation has come, and suggests what to ask next. */
const assistant: SimBot = {
	chat: (turn) => {
		const said = turn.history.filter((message) => message.role === 'user').length + 1;
		return {
			answers: [
				words(
					`Hello! I am the Coze sandbox bot. You said: "${turn.message}". This is message ${said} of our conversation, and I remember the ones before. 我是扣子沙盒智能体。`,
				),
			],
			followUps: ['What can you do?', 'How many messages have I sent?'],
			shape: WORD_BY_WORD,
		};
	},
};

/**
 * The city a message asks the weather of ("What's the weather in Hangzhou?", "杭州天气怎么样"),
 * Hangzhou when it names none; undefined when it does not ask about the weather.
 */
function cityAskedAbout(message: string): string | undefined {
	const english = /\bweather\b(?:[^?!.]*?\b(?:in|for|at)\s+([^?!.,;]+))?/i.exec(message);
	if (english) return english[1]?.replace(/\s+(today|tomorrow|now)$/i, '').trim() || 'Hangzhou';
	const chinese = /([\p{Script=Han}]*?)(?:的)?天气/u.exec(message);
	if (chinese) return chinese[1] || '杭州';
	return undefined;
}

/** What the bot makes of get_weather's output: {city, weather, temperature_c} as a sentence, other text as it is. */
function weatherSentence(city: string, output: string): string {
	try {
		const parsed = JSON.parse(output) as { weather?: unknown; temperature_c?: unknown };
		if (parsed && typeof parsed === 'object' && parsed.weather !== undefined)
			return `${city} is ${String(parsed.weather)}${parsed.temperature_c !== undefined ? `, ${String(parsed.temperature_c)}°C` : ''}`;
	} catch {
		// Not JSON: the plugin's text is the answer.
	}
	return `${city}: ${output}`;
}

/** A bot with a local plugin, get_weather(city): asked about the weather, it calls it and waits for n8n's answer. */
const weather: SimBot = {
	chat: (turn) => {
		const city = cityAskedAbout(turn.message);
		if (city === undefined)
			return {
				answers: [
					words(
						'I am weather_bot. Ask me about the weather in a city, e.g. "What\'s the weather in Hangzhou?", and my local plugin get_weather asks your n8n workflow. 问我某个城市的天气。',
					),
				],
				shape: WORD_BY_WORD,
			};
		return { toolCalls: [{ name: 'get_weather', arguments: { city } }], shape: WORD_BY_WORD };
	},
	afterTools: (outputs, turn) => {
		const city = cityAskedAbout(turn.message) ?? 'Hangzhou';
		return {
			before: [{ type: 'tool_response', content: outputs[0]?.output ?? '' }],
			answers: [
				words(
					`Your n8n workflow's get_weather says: ${weatherSentence(city, outputs[0]?.output ?? '')}. Enjoy your day! 祝你愉快！`,
				),
			],
			followUps: ['And tomorrow?'],
			shape: WORD_BY_WORD,
		};
	},
};

/** Defines the bots on the sandbox and lists them in `workspaceId` (added to its catalog before). */
export function defineSandboxBots(simulator: CozeSimulator, workspaceId: string): void {
	simulator.bots.define(SANDBOX_BOTS.assistant, assistant);
	simulator.bots.define(SANDBOX_BOTS.weather, weather);
	simulator.catalog.addBot(workspaceId, {
		bot_id: SANDBOX_BOTS.assistant,
		name: 'sandbox_assistant',
		description: 'Answers anything, word by word, and remembers the conversation. 沙盒智能体。',
	});
	simulator.catalog.addBot(workspaceId, {
		bot_id: SANDBOX_BOTS.weather,
		name: 'weather_bot',
		description:
			'Tells the weather of a city through its local plugin get_weather(city), which n8n answers. 天气智能体。',
	});
}
