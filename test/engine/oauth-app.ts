import { generateKeyPairSync, type KeyObject } from 'node:crypto';

import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { cozeGraph, type CozeGraphOptions } from '../faults/graph';
import type { CozeSimulator } from '../simulator/server';
import { runWorkflow } from './harness';

/** An RSA key pair, as Coze makes one for an OAuth app, in both PEM forms it may be pasted in. */
export function keyPair() {
	const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
	return {
		publicKey,
		pkcs8: String(privateKey.export({ type: 'pkcs8', format: 'pem' })),
		pkcs1: String(privateKey.export({ type: 'pkcs1', format: 'pem' })),
	};
}

export const APP_ID = '1170000000000000001';
export const KEY_ID = 'kid_7Q2pX9vLmN4sR8tY';
export const KEYS = keyPair();

let appCounter = 0;

/** A new OAuth app on the simulator (a new id each time, so no test reuses another's cached token). */
export function registerApp(sim: CozeSimulator, publicKey: KeyObject = KEYS.publicKey) {
	appCounter += 1;
	const app = { appId: `${APP_ID}${appCounter}`, publicKeyId: `${KEY_ID}${appCounter}`, publicKey };
	sim.oauth.register(app);
	return app;
}

export function jwtCredentials(
	sim: CozeSimulator,
	app: { appId: string; publicKeyId: string },
	privateKey: string = KEYS.pkcs8,
	extra: Record<string, unknown> = {},
): Record<string, ICredentialDataDecryptedObject> {
	return {
		cozeApi: {
			authentication: 'oauthJwt',
			region: 'custom',
			baseUrl: sim.baseUrl,
			appId: app.appId,
			publicKeyId: app.publicKeyId,
			privateKey,
			...extra,
		},
	};
}

export async function runWithApp(
	sim: CozeSimulator,
	credentials: Record<string, ICredentialDataDecryptedObject>,
	graph: CozeGraphOptions = {},
) {
	return await runWorkflow({ ...cozeGraph(sim, graph), credentials });
}

/** Everything the engine kept of a run, and the node's error: where a secret must never be. */
export const everything = (result: Awaited<ReturnType<typeof runWithApp>>) =>
	JSON.stringify([result.run, result.nodeError('Coze')]);

/** Whether `text` holds any secret of the app: its key, a token the server issued, or the JWT (its signed part). */
export function leaks(text: string, sim: CozeSimulator, pem = KEYS.pkcs8): string[] {
	const keyLines = pem.split('\n').filter((line) => line.length > 40);
	const authorizations = sim.requests
		.map((request) => request.authorization?.slice(7) ?? '')
		.filter((token) => token.length > 20);
	return [...keyLines, ...sim.oauth.liveTokens(), ...authorizations].filter((secret) =>
		text.includes(secret.slice(0, 24)),
	);
}
