/**
 * The HTTP machinery's API for the rest of the node (actions/, methods/, the node class): the
 * connection a credential makes, the error the transport throws, the redaction of secrets, the
 * request policy, the bounded process caches, and the JSON and own-property helpers every layer
 * needs for Coze's data.
 * Requests themselves (the client, retries, pacing, multipart bodies, event streams, OAuth
 * tokens) are made by transport/protocols/ only: lint keeps every other caller to this file.
 */
export { MAX_TIMER_MS } from './abort';
export { processCache } from './bounded-cache';
export { policyOf } from './client';
export { connectionFromCredentials, redactorFor, type CozeConnection } from './connection';
export { CozeError } from './coze-error';
export { checkCozeCredential } from './credential-test';
export { isPermissionRefusal, isStudioUnknownPath, STUDIO_INVALID_TOKEN_CODE } from './envelope';
export {
	isJsonObject,
	parseJsonKeepingLongIntegers,
	RawJson,
	stringifyJson,
} from './lossless-json';
export { hasOwn, ownValue, setOwn } from './own-properties';
export { DEFAULT_POLICY, type RequestPolicy } from './policy';
export { Redactor, type RedactingStream } from './redaction';
