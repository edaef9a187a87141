// The cloud's answers for runs that are not streamed: a synchronous run or resume that stops on
// a question, an asynchronous run's history record, and the history's output. Each names its
// evidence; a field sent without evidence says so.
//
// Evidence read (coze-dev/coze-sdk-gen docs/api-markdown/, Coze's API pages as copied there):
// - workflow_run.md: `POST /v1/workflow/run` answers {code, msg, data, execute_id, debug_url,
//   usage, detail{logid}, interrupt_data}; interrupt_data is
//   {data:"{\"content_type\":\"text\",\"content\":\"请输入您的姓名\"}", type:2, event_id,
//   required_parameters}.
// - resume_workflow.md: `POST /v1/workflows/resume` takes {workflow_id, event_id, resume_data,
//   interrupt_type}; it runs as the interrupted run did (synchronous or asynchronous) and answers
//   the same JSON: data for a synchronous run, execute_id for an asynchronous one (whose result
//   is then read from the run history), interrupt_data when it stops again. Its example: an input
//   node (type 5) whose data's content is the form, a JSON array.
// - workflow_history.md: a history record carries run_mode (0 sync, 1 stream, 2 async), logid,
//   interrupt_data, node_execute_status, and output
//   "{\"Output\":\"{\\\"content_type\\\":1,\\\"data\\\":\\\"来找姐姐有什么事呀\\\",\\\"original_result\\\":null,\\\"type_for_model\\\":2}\"}":
//   the End node's output under the key Output, one more key per Output node, by its name.
//   cozepy's WorkflowExecuteStatus knows only Success, Running and Fail: which status an
//   interrupted asynchronous run shows is documented nowhere (no evidence); "Running" here.
import { nextLogId } from './flavours';

export interface CloudInterrupt {
	eventId: string;
	/** 2 question (the default), 5 input node. */
	type?: number;
	/** What the node shows a person: a question's text, or an input node's form as JSON. */
	content: string;
	requiredParameters?: Record<string, unknown>;
}

/** `interrupt_data` as workflow_run.md and resume_workflow.md show it: data is JSON text of {content_type, content}. */
export function cloudInterruptData(interrupt: CloudInterrupt): Record<string, unknown> {
	return {
		data: JSON.stringify({ content_type: 'text', content: interrupt.content }),
		type: interrupt.type ?? 2,
		event_id: interrupt.eventId,
		...(interrupt.requiredParameters ? { required_parameters: interrupt.requiredParameters } : {}),
	};
}

/** A synchronous run's (or resume's) answer when the workflow stops on an interrupt: no data. */
export function cloudInterruptedAnswer(
	interrupt: CloudInterrupt,
	executeId: string,
	debugUrl: string,
) {
	return {
		json: {
			code: 0,
			msg: '',
			debug_url: debugUrl,
			interrupt_data: cloudInterruptData(interrupt),
			execute_id: executeId,
			detail: { logid: nextLogId() },
		},
	};
}

/** A synchronous run's (or resume's) answer with the workflow's result (workflow_run.md's example). */
export function cloudSyncAnswer(data: string, executeId: string, debugUrl: string) {
	return {
		json: {
			code: 0,
			msg: '',
			data,
			execute_id: executeId,
			debug_url: debugUrl,
			usage: { input_count: 50, token_count: 150, output_count: 100 },
			detail: { logid: nextLogId() },
		},
	};
}

/** An asynchronous run's (or resume's) first answer: its execute_id (workflow_run.md's async example). */
export function cloudAsyncStarted(executeId: string, debugUrl: string) {
	return {
		json: {
			code: 0,
			msg: '',
			execute_id: executeId,
			debug_url: debugUrl,
			detail: { logid: nextLogId() },
		},
	};
}

/**
 * The history's `output`: the End node's under "Output", each Output node's under its name.
 * `end` is what the End node gave: a string of variables' JSON is kept as it is; `{answer}` is an
 * End node in answer mode, wrapped as workflow_history.md's example wraps it.
 */
export function cloudHistoryOutput(
	end: string | { answer: string },
	outputNodes: Record<string, string> = {},
): string {
	const wrap = (text: string) =>
		JSON.stringify({ content_type: 1, data: text, original_result: null, type_for_model: 2 });
	const output: Record<string, string> = {
		Output: typeof end === 'string' ? end : wrap(end.answer),
	};
	for (const [name, text] of Object.entries(outputNodes)) output[name] = wrap(text);
	return JSON.stringify(output);
}

/** One record of the cloud's run history (workflow_history.md's example fields). */
export function cloudHistoryRecord(
	executeId: string,
	debugUrl: string,
	fields: Record<string, unknown>,
): Record<string, unknown> {
	return {
		execute_id: executeId,
		execute_status: 'Running',
		bot_id: '0',
		connector_id: '1024',
		connector_uid: '2236870734640000',
		run_mode: 2,
		logid: nextLogId(),
		create_time: 1730174063,
		update_time: 1730174065,
		output: '',
		error_code: '',
		error_message: '',
		debug_url: debugUrl,
		token: '0',
		usage: { input_count: 50, token_count: 150, output_count: 100 },
		...fields,
	};
}

/** An asynchronous run waiting on an interrupt: its record carries interrupt_data (status: no evidence, see above). */
export function cloudInterruptedRecord(
	executeId: string,
	debugUrl: string,
	interrupt: CloudInterrupt,
): Record<string, unknown> {
	return cloudHistoryRecord(executeId, debugUrl, {
		execute_status: 'Running',
		interrupt_data: cloudInterruptData(interrupt),
	});
}
