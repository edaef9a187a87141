import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

import { closeCozeDispatcher } from '../../nodes/Coze/testing';
import { requestCozeJson } from '../../nodes/Coze/transport/http/client';
import { CozeSimulator } from '../simulator/server';

/** A minimal CONNECT proxy that records which hosts it was asked to tunnel to. */
async function startTunnelProxy(): Promise<{
	url: string;
	tunnels: string[];
	close: () => Promise<void>;
}> {
	const tunnels: string[] = [];
	const sockets = new Set<Socket>();
	const server: Server = createServer((_req, res) => res.writeHead(405).end());
	server.on('connect', (req, client: Socket) => {
		tunnels.push(req.url ?? '');
		const [host, port] = (req.url ?? '').split(':');
		const upstream = connect(Number(port), host, () => {
			client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
			upstream.pipe(client).pipe(upstream);
		});
		for (const socket of [client, upstream]) {
			sockets.add(socket);
			socket.on('error', () => undefined);
			socket.on('close', () => sockets.delete(socket));
		}
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		tunnels,
		close: async () => {
			for (const socket of sockets) socket.destroy();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}

describe('proxy variables, as n8n honours them', () => {
	const saved = { ...process.env };
	afterEach(async () => {
		for (const name of [
			'HTTP_PROXY',
			'http_proxy',
			'HTTPS_PROXY',
			'https_proxy',
			'NO_PROXY',
			'no_proxy',
		]) {
			if (saved[name] === undefined) delete process.env[name];
			else process.env[name] = saved[name];
		}
		await closeCozeDispatcher();
	});

	it('goes through HTTP_PROXY, and around it for hosts in NO_PROXY', async () => {
		const sim = await CozeSimulator.start();
		const proxy = await startTunnelProxy();
		try {
			process.env.HTTP_PROXY = proxy.url;
			delete process.env.NO_PROXY;
			delete process.env.no_proxy;
			const connection = { baseUrl: sim.baseUrl, accessToken: sim.token };
			await requestCozeJson(connection, { method: 'GET', path: '/v1/users/me', kind: 'read' });
			expect(proxy.tunnels).toEqual([`127.0.0.1:${sim.port}`]);

			process.env.NO_PROXY = '127.0.0.1';
			await requestCozeJson(connection, { method: 'GET', path: '/v1/users/me', kind: 'read' });
			expect(proxy.tunnels).toHaveLength(1);
			expect(sim.requests).toHaveLength(2);
		} finally {
			await closeCozeDispatcher();
			await proxy.close();
			await sim.close();
		}
	});
});
