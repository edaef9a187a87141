import { CozeError } from '../../nodes/Coze/transport/http/coze-error';
import { Redactor } from '../../nodes/Coze/transport/http/redaction';
import { conversationIdFault } from '../../nodes/Coze/transport/protocols/conversations';

describe('what the protocol refuses as a conversation id Coze sent', () => {
	const redact = new Redactor(['pat_secret_token_of_the_credential']);

	it.each(['7404830425073352714', 'conv_abc-123', 'x'.repeat(128)])('takes %j', (id) => {
		expect(conversationIdFault(id, redact)).toBeUndefined();
	});

	it.each([
		[
			'one holding the token',
			'pat_secret_token_of_the_credential',
			'holds a secret of the credential',
		],
		['one too long', 'x'.repeat(129), 'It is 129 characters long'],
		['one with a line break', 'a\nb', 'invisible or non-ASCII'],
		['a number', 7404830425073352714, 'It is a number'],
	])('refuses %s with a CozeError that never quotes the id', (_name, id, said) => {
		const fault = conversationIdFault(id, redact);
		expect(fault).toBeInstanceOf(CozeError);
		expect(fault?.kind).toBe('protocol');
		expect(`${fault?.message} ${fault?.description}`).toContain(said);
		if (typeof id === 'string') expect(`${fault?.message} ${fault?.description}`).not.toContain(id);
	});
});
