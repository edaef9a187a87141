import type { CozeSimulator } from './server';
import { closeCozeDispatcher } from '../../nodes/Coze/testing';

/** Closes a test's simulator and the transport's pooled connections, so no socket outlives the test. */
export async function stopSimulator(sim: CozeSimulator | undefined): Promise<void> {
	await sim?.close();
	await closeCozeDispatcher();
}
