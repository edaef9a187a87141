// Lets the dev scripts and benchmarks run the TypeScript sources directly. preferTsExts:
// nodes/Coze/Coze.node.ts sits beside Coze.node.json (the codex), which Node's resolver
// would otherwise pick first.
process.env.TS_NODE_PREFER_TS_EXTS = 'true';
process.env.TS_NODE_TRANSPILE_ONLY = 'true';
// ts-node's v8-compile-cache-lib would leave a cache folder in the system's temp folder.
process.env.DISABLE_V8_COMPILE_CACHE = '1';
require('ts-node/register');
