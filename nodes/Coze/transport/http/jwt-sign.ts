import {
	createHash,
	createPrivateKey,
	createPublicKey,
	randomUUID,
	sign,
	type KeyObject,
} from 'node:crypto';

import { CozeError } from './coze-error';

const PEM = /-----BEGIN ((?:RSA |EC |ENCRYPTED )?PRIVATE KEY)-----([\s\S]*?)-----END \1-----/;

/**
 * The OAuth app's private key, from PEM (PKCS#8 "BEGIN PRIVATE KEY" or PKCS#1 "BEGIN RSA
 * PRIVATE KEY", as coze-js accepts). A key pasted into a one-line field arrives with its line
 * breaks turned into spaces or written as "\n": the base64 body is re-wrapped before reading.
 */
export function readPrivateKey(text: unknown): KeyObject {
	const pasted = typeof text === 'string' ? text.replace(/\\n/g, '\n').trim() : '';
	const match = PEM.exec(pasted);
	if (!match) {
		throw new CozeError("The Coze API credential's Private Key is not a PEM private key", {
			kind: 'config',
			description:
				'Paste the whole private key file of the OAuth app, from -----BEGIN PRIVATE KEY----- (or -----BEGIN RSA PRIVATE KEY-----) to the matching END line. Coze gives it once, when the key pair is created.',
		});
	}
	const [, label, body] = match;
	if (label === 'ENCRYPTED PRIVATE KEY') {
		throw new CozeError("The Coze API credential's Private Key is encrypted with a passphrase", {
			kind: 'config',
			description:
				'Paste the key without a passphrase, as Coze generates it (openssl pkcs8 -topk8 -nocrypt turns an encrypted one into one).',
		});
	}
	const base64 = body.replace(/\s+/g, '');
	const wrapped = `-----BEGIN ${label}-----\n${base64.replace(/.{1,64}/g, '$&\n')}-----END ${label}-----\n`;
	let key: KeyObject;
	try {
		key = createPrivateKey(wrapped);
	} catch (error) {
		throw new CozeError("The Coze API credential's Private Key could not be read", {
			kind: 'config',
			description: `${(error as Error).message}. Paste the private key file exactly as Coze gave it.`,
		});
	}
	if (key.asymmetricKeyType !== 'rsa') {
		throw new CozeError(
			`The Coze API credential's Private Key is an ${key.asymmetricKeyType?.toUpperCase() ?? 'unknown'} key, not RSA`,
			{
				kind: 'config',
				description:
					'Coze signs OAuth app tokens with RS256: create the key pair in Coze (or with openssl genrsa 2048) and paste its private key.',
			},
		);
	}
	return key;
}

/** A short, stable name for the key (its public half's SHA-256): cached tokens belong to one key. */
export function keyFingerprint(key: KeyObject): string {
	return createHash('sha256')
		.update(createPublicKey(key).export({ type: 'spki', format: 'der' }))
		.digest('base64url')
		.slice(0, 16);
}

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * The JWT an OAuth app presents to get an access token (coze-js auth.ts getJWTToken, cozepy
 * JWTAuth): RS256 with the public key's id as `kid`; issued by the app, for the API host, with a
 * random `jti` so that Coze can refuse a replay.
 */
export function signAppJwt(
	app: { appId: string; publicKeyId: string; key: KeyObject; audience: string },
	nowSeconds = Math.floor(Date.now() / 1000),
): string {
	const header = { alg: 'RS256', typ: 'JWT', kid: app.publicKeyId };
	const payload = {
		iss: app.appId,
		aud: app.audience,
		iat: nowSeconds,
		exp: nowSeconds + 3600,
		jti: randomUUID(),
	};
	const unsigned = `${base64url(header)}.${base64url(payload)}`;
	return `${unsigned}.${sign('sha256', Buffer.from(unsigned), app.key).toString('base64url')}`;
}
