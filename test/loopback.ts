import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/**
 * Listens on 127.0.0.1 (`port`, or one the system picks), keeping each open connection in
 * `sockets` so that a test's server can be closed at once, whatever its clients hold open.
 */
export async function listenOnLoopback(
	server: Server,
	sockets: Set<Socket>,
	port = 0,
): Promise<void> {
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', resolve);
	});
}
