/** The workflow bench/batch runs: the simulator answers it this long after each request. */
export const BATCH_WORKFLOW_ID = '7000000000000000200';
export const BATCH_RUN_MS = 200;
