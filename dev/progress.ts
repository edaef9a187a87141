/** A line for each step of a long command, with the time since it started: "[1:23] importing examples…". */
export function progressLog(started = Date.now()): (line: string) => void {
	return (line) => console.log(`[${elapsed(Date.now() - started)}] ${line}`);
}

/** m:ss */
export function elapsed(ms: number): string {
	const seconds = Math.round(ms / 1000);
	return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}
