// Public API of the jobs layer: the JobQueue contract, the embedded adapter, the state machine, chunking.
export * from './chunked-render.js';
export * from './chunking.js';
export * from './concat-list.js';
export * from './embedded-queue.js';
export * from './job-id.js';
export * from './job-queue.js';
export * from './job-state.js';
export * from './retry-policy.js';
export * from './cut-times.js';
export * from './bullmq-queue.js';
export * from './distributed-render.js';
export * from './queue-from-env.js';
export * from './redis-options.js';
export * from './webhooks/index.js';
