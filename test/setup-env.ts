import { makeTempFolder } from './temp-root';

// n8n-core writes its instance settings (an encryption key) under N8N_USER_FOLDER the first
// time a node runs; keep that out of the developer's home folder, inside the run's temp root.
process.env.N8N_USER_FOLDER ??= makeTempFolder('n8n-user-');
