import type { INodeProperties } from 'n8n-workflow';

import { requestOptionsDescription } from '../nodes/Coze/actions/request-options';
import { DEFAULT_POLICY } from '../nodes/Coze/transport/http/policy';

it("shows the transport's own defaults in Request Options", () => {
	const defaults = Object.fromEntries(
		(requestOptionsDescription.options as INodeProperties[]).map((option) => [
			option.name,
			option.default,
		]),
	);
	expect(defaults).toMatchObject({
		maxRetries: DEFAULT_POLICY.maxRetries,
		maxRetryWaitSeconds: DEFAULT_POLICY.maxRetryWaitMs / 1000,
		connectTimeoutSeconds: DEFAULT_POLICY.connectTimeoutMs / 1000,
		idleTimeoutSeconds: DEFAULT_POLICY.idleTimeoutMs / 1000,
		concurrency: 1,
		maxOutputMegabytes: DEFAULT_POLICY.maxOutputBytes / 1024 / 1024,
		runTimeLimitSeconds: DEFAULT_POLICY.runTimeLimitMs / 1000,
	});
});
