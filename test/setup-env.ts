import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

// n8n-core writes its instance settings (an encryption key) under N8N_USER_FOLDER the first
// time a node runs; keep that out of the developer's home folder.
process.env.N8N_USER_FOLDER ??= mkdtempSync(path.join(tmpdir(), 'coze-n8n-test-'));
