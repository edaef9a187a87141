import { questionOf } from '../../nodes/Coze/transport/protocols/interrupt-question';

const message = (node_title: string, content: string) => ({ content, node_title });

describe('the question of an interrupt, wherever the server put it', () => {
	it("reads the last question of Coze Studio's conversation in data (question_answer.go)", () => {
		const data = JSON.stringify({
			messages: [
				{ type: 'question', content_type: 'text', content: 'Which city?', id: 'n_0' },
				{ type: 'answer', content_type: 'text', content: 'Mars', id: 'n_1' },
				{ type: 'question', content_type: 'text', content: 'Which city on Earth?', id: 'n_2' },
			],
		});
		expect(questionOf(data, undefined, [])).toEqual({ question: 'Which city on Earth?' });
	});

	it('reads a Studio multiple-choice question with its options', () => {
		const data = JSON.stringify({
			messages: [
				{
					type: 'question',
					content_type: 'option',
					content: { question: 'Pick one', options: [{ name: 'Tea' }, { name: 'Coffee' }] },
				},
			],
		});
		expect(questionOf(data, undefined, [])).toEqual({
			question: 'Pick one',
			options: ['Tea', 'Coffee'],
		});
	});

	it('takes the cloud\'s question from the last message of the node the interrupt names, data being ""', () => {
		const messages = [
			message('问答', 'Old question'),
			message('LLM', 'unrelated'),
			message('问答', '请问你想查看哪个城市的天气呢'),
		];
		expect(questionOf('', '问答', messages)).toEqual({ question: '请问你想查看哪个城市的天气呢' });
		expect(questionOf('', 'Elsewhere', messages)).toEqual({ question: '' });
		expect(questionOf('', undefined, messages)).toEqual({
			question: '请问你想查看哪个城市的天气呢',
		});
	});

	it("takes plain text in data as the question, and finds none in an input node's form schema", () => {
		expect(questionOf('Where to?', 'Ask', [message('Ask', 'ignored')])).toEqual({
			question: 'Where to?',
		});
		expect(
			questionOf('{"content_type":"form_schema","content":"[]"}', 'Input', [
				message('Input', '{"content_type":"form_schema"}'),
			]),
		).toEqual({ question: '' });
	});

	it('reads the cloud\'s question of a synchronous or asynchronous run from {"content_type":"text","content":…} in data (workflow_run.md)', () => {
		expect(questionOf('{"content_type":"text","content":"请输入您的姓名"}', undefined, [])).toEqual(
			{ question: '请输入您的姓名' },
		);
		// resume_workflow.md's input node (type 5): its content is the form, a JSON array, not a question.
		expect(
			questionOf(
				JSON.stringify({
					content_type: 'text',
					content: '[{"type":"string","name":"img","required":true,"assistType":2}]',
				}),
				undefined,
				[],
			),
		).toEqual({ question: '' });
		// Text that merely opens with a bracket is still a question.
		expect(
			questionOf('{"content_type":"text","content":"[Urgent] which city?"}', undefined, []),
		).toEqual({ question: '[Urgent] which city?' });
	});
});
