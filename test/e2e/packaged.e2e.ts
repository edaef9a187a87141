// The package as users get it: packed, installed into a fresh n8n user folder the way n8n
// installs community packages, credentials and workflows imported with n8n's CLI, and each
// workflow run with `n8n execute`, against the Coze simulator.
import { createHash, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import type { IRun } from 'n8n-workflow';

import {
	ensureN8n,
	freePort,
	installPackage,
	n8nCliAsync,
	packPackage,
	rawOutputJson,
} from '../n8n/n8n';
import { importSandboxAndExamples, startSandbox, writeSandboxCredential } from '../sandbox/sandbox';
import {
	SAMPLE_PHOTO_DESCRIPTION,
	SANDBOX_PHOTO,
	SANDBOX_WORKFLOWS,
	TRIP_QUESTION,
} from '../sandbox/sandbox-workflows';
import type { CozeSimulator } from '../simulator/server';
import {
	e2eWorkflows,
	GREETING_CARD_ID,
	JWT_CREDENTIAL,
	RUN_WORKFLOW_ID,
	UPLOAD_TEXT,
} from './e2e-workflows';

const OAUTH_APP_ID = '1170000000000000123';
const OAUTH_KEY_ID = 'kid_e2e_sandbox';

const workflows = e2eWorkflows();
let userFolder: string;
let sandbox: CozeSimulator;
/** The OAuth app's private key: it must appear nowhere in what n8n prints. */
let oauthPem: string;
/** A task broker port of this run's own, so an n8n already running on the machine does not clash. */
let env: NodeJS.ProcessEnv;

async function execute(workflowId: string): Promise<IRun> {
	const result = await n8nCliAsync(
		userFolder,
		['execute', `--id=${workflowId}`, '--rawOutput'],
		env,
	);
	if (!result.stdout.includes('{'))
		throw new Error(
			`n8n execute printed no run data (exit ${result.status}):\n${result.stdout}\n${result.stderr}`,
		);
	return rawOutputJson(result.stdout) as IRun;
}

function output(run: IRun, node: string, index: number) {
	return (run.data.resultData.runData[node]?.[0]?.data?.main?.[index] ?? []).map(
		(item) => item.json,
	);
}

beforeAll(async () => {
	ensureN8n();
	env = { N8N_RUNNERS_BROKER_PORT: String(await freePort()) };
	userFolder = mkdtempSync(path.join(tmpdir(), 'coze-e2e-n8n-'));
	installPackage(userFolder, packPackage());
	sandbox = await startSandbox(0);
	const credentialFile = path.join(userFolder, 'credentials.json');
	writeSandboxCredential(credentialFile, sandbox.port);
	const imported = await n8nCliAsync(
		userFolder,
		['import:credentials', `--input=${credentialFile}`],
		env,
	);
	expect(imported.status).toBe(0);
	// An OAuth app on the sandbox, and its credential as a user fills it in (n8n encrypts it on import).
	const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
	sandbox.oauth.register({ appId: OAUTH_APP_ID, publicKeyId: OAUTH_KEY_ID, publicKey });
	oauthPem = String(privateKey.export({ type: 'pkcs8', format: 'pem' }));
	const jwtFile = path.join(userFolder, 'jwt-credential.json');
	const data = {
		authentication: 'oauthJwt',
		region: 'custom',
		baseUrl: `http://127.0.0.1:${sandbox.port}`,
		appId: OAUTH_APP_ID,
		publicKeyId: OAUTH_KEY_ID,
		privateKey: oauthPem,
		tokenLifetime: 900,
	};
	writeFileSync(jwtFile, JSON.stringify([{ ...JWT_CREDENTIAL, type: 'cozeApi', data }]));
	expect(
		(await n8nCliAsync(userFolder, ['import:credentials', `--input=${jwtFile}`], env)).status,
	).toBe(0);
	const workflowFile = path.join(userFolder, 'workflows.json');
	writeFileSync(workflowFile, JSON.stringify(Object.values(workflows)));
	const importedWorkflows = await n8nCliAsync(
		userFolder,
		['import:workflow', `--input=${workflowFile}`],
		env,
	);
	expect(importedWorkflows.status).toBe(0);
	importSandboxAndExamples(userFolder, sandbox.port, env);
}, 20 * 60_000);

afterAll(async () => {
	await sandbox?.close();
	if (userFolder) rmSync(userFolder, { recursive: true, force: true });
});

// Version 1 (saved workflows: Workflow ID and Parameters as text) runs in most scenarios below,
// version 2 (the examples, and the scenarios that say so) in the rest: both run in one n8n.
describe('the packed node in a real n8n (n8n execute)', () => {
	it("uploads a file made by n8n's Convert to File: the simulator gets the exact bytes", async () => {
		const run = await execute(workflows.upload.id);
		expect(run.data.resultData.error).toBeUndefined();
		const [file] = output(run, 'Coze', 0);
		const bytes = Buffer.byteLength(UPLOAD_TEXT);
		expect(file).toMatchObject({
			bytes,
			file_name: '扣子.txt',
			file_ref: JSON.stringify({ file_id: file.id }),
		});
		const received = sandbox.uploads[sandbox.uploads.length - 1];
		expect(received.sha256).toBe(createHash('sha256').update(UPLOAD_TEXT).digest('hex'));
	});

	it('runs a workflow: streamed messages on the Messages output', async () => {
		const run = await execute(workflows.run.id);
		expect(output(run, 'Coze', 0).map((message) => [message.node_title, message.content])).toEqual([
			['Weather', 'Hangzhou, 2026-11-24: sunny, 18–25°C. 晴，适合出行。'],
			['End', expect.stringContaining('"output":"Good morning! Hangzhou')],
		]);
		expect(output(run, 'Coze', 0)[1]).toMatchObject({
			workflow_id: RUN_WORKFLOW_ID,
			parsed: { output: expect.stringContaining('早上好') },
		});
		expect(output(run, 'Coze', 1)).toEqual([]);
	});

	it('runs a workflow that asks: the interrupt leaves by the Interrupts output', async () => {
		const run = await execute(workflows.interrupt.id);
		expect(output(run, 'Coze', 0)).toEqual([]);
		expect(output(run, 'Coze', 1)).toEqual([
			expect.objectContaining({
				event_id: '7404830425073399001/7404830425073399002',
				interrupt_type: 2,
				node_title: 'Ask destination',
				// The cloud's shape: the question came only as a message, data is empty.
				data: '',
				question: TRIP_QUESTION,
				messages: [
					expect.objectContaining({ content: 'Let me plan your weekend trip. ' }),
					expect.objectContaining({ content: TRIP_QUESTION }),
				],
			}),
		]);
	});

	it("shows the question in the human-in-the-loop example's form text, on the cloud's shape", async () => {
		const run = await execute(workflows.formText.id);
		expect(run.data.resultData.error).toBeUndefined();
		expect(output(run, 'Form', 0).map((item) => item.form_description)).toEqual([TRIP_QUESTION]);
	});

	it("answers the interrupt with n8n's Edit Fields and resumes, in one execution", async () => {
		const run = await execute(workflows.resume.id);
		expect(run.data.resultData.error).toBeUndefined();
		expect(output(run, 'Resume', 0).map((message) => message.content)).toEqual([
			'Suzhou: day 1 old town, day 2 lake walk.',
			'{"output":"Your weekend in Suzhou is planned."}',
		]);
		expect(sandbox.bodiesOf('/v1/workflow/stream_resume').pop()).toEqual({
			workflow_id: '7404830425073352714',
			event_id: '7404830425073399001/7404830425073399002',
			interrupt_type: 2,
			resume_data: 'Suzhou',
		});
	});

	it('runs the scheduled example to its end as imported, against the sandbox', async () => {
		const run = await execute('cozeDailyBrief01');
		expect(run.data.resultData.error).toBeUndefined();
		expect(output(run, 'Coze: daily briefing', 0)).toEqual([
			expect.objectContaining({
				parsed: { output: expect.stringContaining('Good morning! Hangzhou') },
			}),
		]);
		expect(Object.keys(run.data.resultData.runData)).toContain('Post the answer');
	});

	it("runs the file example as imported: the sandbox's photo downloaded, uploaded, and described by describe_photo", async () => {
		const uploadsBefore = sandbox.uploads.length;
		const run = await execute('cozeFileToRun01');
		expect(run.data.resultData.error).toBeUndefined();
		expect(output(run, 'Coze: describe the photo', 0).map((message) => message.parsed)).toEqual([
			{ output: SAMPLE_PHOTO_DESCRIPTION },
		]);
		const [upload] = sandbox.uploads.slice(uploadsBefore);
		expect(upload.sha256).toBe(
			createHash('sha256').update(readFileSync(SANDBOX_PHOTO.file)).digest('hex'),
		);
		expect(sandbox.bodiesOf('/v1/workflow/stream_run').pop()).toEqual({
			workflow_id: SANDBOX_WORKFLOWS.photoDescriber,
			parameters: {
				image: JSON.stringify({ file_id: upload.fileId }),
				question: 'What is in this photo?',
			},
		});
	});

	it("stops, loudly, where the file example's note says: Read/Write Files from Disk matching no file", async () => {
		const runsBefore = sandbox.bodiesOf('/v1/workflow/stream_run').length;
		const run = await execute(workflows.noFile.id);
		expect(run.data.resultData.error?.message).toBe('No file(s) found');
		expect(run.data.resultData.runData.Coze).toBeUndefined();
		expect(sandbox.bodiesOf('/v1/workflow/stream_run')).toHaveLength(runsBefore);
	});

	it('passes a file made by n8n into a workflow parameter with Files From Binary: uploaded whole, then referenced', async () => {
		const uploadsBefore = sandbox.uploads.length;
		const run = await execute(workflows.fileParameter.id);
		expect(run.data.resultData.error).toBeUndefined();
		expect(output(run, 'Coze', 0).map((message) => message.node_title)).toEqual(['Weather', 'End']);
		const received = sandbox.uploads[uploadsBefore];
		expect(received.sha256).toBe(createHash('sha256').update(UPLOAD_TEXT).digest('hex'));
		const parameters = sandbox.bodiesOf('/v1/workflow/stream_run').pop()?.parameters as {
			city: string;
			report: string;
		};
		expect(parameters.city).toBe('Hangzhou');
		expect(JSON.parse(parameters.report)).toEqual({ file_id: expect.stringMatching(/^\d+$/) });
	});

	it('runs a workflow with an OAuth App (JWT) credential: the token is exchanged, and no secret shows', async () => {
		const exchangesBefore = sandbox.oauth.exchanges;
		const result = await n8nCliAsync(
			userFolder,
			['execute', `--id=${workflows.jwtRun.id}`, '--rawOutput'],
			env,
		);
		const run = rawOutputJson(result.stdout) as IRun;
		expect(run.data.resultData.error).toBeUndefined();
		expect(output(run, 'Coze', 0).map((message) => message.node_title)).toEqual(['Weather', 'End']);
		expect(sandbox.oauth.exchanges).toBe(exchangesBefore + 1);
		const printed = result.stdout + result.stderr;
		for (const token of sandbox.oauth.liveTokens()) expect(printed).not.toContain(token);
		for (const line of oauthPem.split('\n').filter((keyLine) => keyLine.length > 40))
			expect(printed).not.toContain(line);
	});

	it('version 2: runs the workflow picked from the list with its typed inputs, the 19-digit integer sent digit for digit', async () => {
		const run = await execute(workflows.typedRun.id);
		expect(run.data.resultData.error).toBeUndefined();
		expect(output(run, 'Coze', 0)).toEqual([
			expect.objectContaining({
				workflow_id: GREETING_CARD_ID,
				parsed: expect.objectContaining({
					output: expect.stringContaining('Happy birthday, Ada!'),
				}),
			}),
		]);
		const sent = sandbox.requests
			.filter((request) => request.path === '/v1/workflow/stream_run')
			.pop()?.body;
		expect(sent).toContain(
			'"parameters":{"name":"Ada","age":7404830425073352713,"vip":true,"tags":["tea", "books"]}',
		);
	});

	it('version 2: a run given by its address in Coze, its interrupt answered, and a Resume left at its defaults', async () => {
		const run = await execute(workflows.urlResume.id);
		expect(run.data.resultData.error).toBeUndefined();
		expect(output(run, 'Resume', 0).map((message) => message.content)).toEqual([
			'Ningbo: day 1 old town, day 2 lake walk.',
			'{"output":"Your weekend in Ningbo is planned."}',
		]);
		expect(sandbox.bodiesOf('/v1/workflow/stream_run').pop()).toEqual({
			workflow_id: '7404830425073352714',
			parameters: { topic: 'weekend trip' },
		});
		expect(sandbox.bodiesOf('/v1/workflow/stream_resume').pop()).toMatchObject({
			workflow_id: '7404830425073352714',
			resume_data: 'Ningbo',
		});
	});

	it("fails clearly on an unpublished workflow, with Coze's code and log id", async () => {
		const run = await execute(workflows.error.id);
		expect(run.data.resultData.error?.message).toMatch(
			/^Coze error 4200: workflow 7404830425073350000 not found or not published \(log id \d+\)$/,
		);
		expect(JSON.stringify(run)).not.toContain(sandbox.token);
	});
});
