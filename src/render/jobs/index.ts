// Render jobs: the queue handler, its composition with the embedded queue, and submission.
export * from './check-sources-stored.js';
export * from './create-render-job-handler.js';
export * from './create-render-queue.js';
export * from './render-as-job.js';
export * from './render-job-params.js';
export * from './submit-render-job.js';
