import { makeTempRoot } from './temp-root';

// Runs in jest's main process before its workers start: they inherit the variable.
export default function globalSetup(): void {
	makeTempRoot();
}
