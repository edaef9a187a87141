import { Redactor } from '../../nodes/Coze/transport/http/redaction';
import { decodeChatEvent } from '../../nodes/Coze/transport/protocols/chat-events';
import { historyFailure } from '../../nodes/Coze/transport/protocols/run-history';
import { decodeWorkflowEvent } from '../../nodes/Coze/transport/protocols/workflow-events';

// A Coze error code reaches the node in three places (a workflow stream's Error event, a chat
// stream's error event, a run history's record), as a JSON number or a string of digits. All
// three read it alike: one code, whatever the place.

const redact = new Redactor([]);
const fromWorkflowEvent = (code: string) => {
	const decoded = decodeWorkflowEvent(
		{ event: 'Error', data: `{"error_code":${code},"error_message":"failed"}` },
		redact,
	);
	return decoded?.type === 'Error' ? decoded.data.error_code : 'not an Error';
};
const fromChatEvent = (code: string) => {
	const decoded = decodeChatEvent(
		{ event: 'error', data: `{"code":${code},"msg":"failed"}` },
		redact,
	);
	return decoded?.type === 'error' ? decoded.data.code : 'not an error';
};
const fromHistory = (code: string) =>
	historyFailure(JSON.parse(`{"execute_status":"Fail","error_code":${code}}`), '1').cozeCode;

describe.each([
	['a workflow Error event', fromWorkflowEvent],
	['a chat error event', fromChatEvent],
	['a run history record', fromHistory],
])('the error code of %s', (_, codeOf) => {
	it('is read from a number or a string of digits, spaces around them too', () => {
		expect(codeOf('4100')).toBe(4100);
		expect(codeOf('"720702204"')).toBe(720702204);
		expect(codeOf('" -1 "')).toBe(-1);
		// 16 digits, still exact.
		expect(codeOf('"9007199254740991"')).toBe(9007199254740991);
	});

	it('is absent where the server sent no whole number, or one no number holds exactly (never a rounded code)', () => {
		for (const code of [
			'""',
			'"abc"',
			'"12a"',
			'4100.5',
			'null',
			'{"code":1}',
			'"90071992547409931"',
			'1e400',
		])
			expect(codeOf(code)).toBeUndefined();
	});
});
