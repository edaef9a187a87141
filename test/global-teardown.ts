import { removeTempRoot } from './temp-root';

export default function globalTeardown(): void {
	removeTempRoot();
}
