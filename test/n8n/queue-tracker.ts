// Which n8n process sent each request the Coze simulator received. Each n8n process (main,
// every worker) talks to Coze over sockets of its own (its own undici pool), so the client end
// of a connection belongs to exactly one process: /proc tells which (processOfClientSocket),
// looked up once per connection, when the simulator accepts it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

import type { CozeSimulator, RecordedRequest } from '../simulator/server';
import { processOfClientSocket, type N8nProcess } from './queue-n8n';

export interface ServedRequest {
	record: RecordedRequest;
	/** The n8n process that sent it: 'main', 'worker 1', 'worker 2', … or 'unknown'. */
	by: string;
	pid?: number;
	/** Set when the response ended: true if the client closed the connection before the end. */
	closedByClient?: boolean;
}

export class WorkerTracker {
	readonly served: ServedRequest[] = [];
	private readonly owners = new WeakMap<Socket, { pid?: number }>();

	/** `processes` is read at each new connection: workers added later are found too. */
	constructor(
		sim: CozeSimulator,
		private readonly processes: () => N8nProcess[],
	) {
		sim.observe({
			connection: (socket) => this.owners.set(socket, { pid: this.lookUp(socket) }),
			request: (record, req, res) => this.onRequest(record, req, res),
		});
	}

	/** Requests to `path`, in arrival order, with the process that sent each. */
	of(path: string): ServedRequest[] {
		return this.served.filter((entry) => entry.record.path === path);
	}

	/** The request `record`'s entry. */
	entryOf(record: RecordedRequest): ServedRequest | undefined {
		return this.served.find((entry) => entry.record === record);
	}

	private onRequest(record: RecordedRequest, req: IncomingMessage, res: ServerResponse): void {
		const owner = this.owners.get(req.socket) ?? {};
		// A connection n8n opened while /proc did not show it yet: look again.
		if (owner.pid === undefined) owner.pid = this.lookUp(req.socket);
		const proc = this.processes().find((candidate) => candidate.pid === owner.pid);
		const entry: ServedRequest = {
			record,
			pid: owner.pid,
			by: proc ? (proc.role === 'main' ? 'main' : `worker ${proc.index}`) : 'unknown',
		};
		this.served.push(entry);
		res.once('close', () => (entry.closedByClient = !res.writableFinished));
	}

	private lookUp(socket: Socket): number | undefined {
		if (socket.remotePort === undefined || socket.localPort === undefined) return undefined;
		return processOfClientSocket(
			socket.remotePort,
			socket.localPort,
			this.processes().map((proc) => proc.pid),
		);
	}
}
