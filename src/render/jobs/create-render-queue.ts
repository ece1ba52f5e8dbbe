/**
 * The embedded job queue with the render handler registered, started. `cutroom serve` runs one; the CLI's
 * `jobs` commands build one without starting it (they only read and change rows).
 */
import {
  createEmbeddedQueue,
  defaultConcurrency,
  type EmbeddedQueue,
  type EmbeddedQueueOptions,
} from '../../jobs/embedded-queue.js';
import type { JobHandler } from '../../jobs/job-queue.js';
import type { Services } from '../../media/services.js';
import { createRenderJobHandler, type RenderJobHandlerOptions } from './create-render-job-handler.js';
import { RENDER_JOB_KIND } from './render-job-params.js';

export interface CreateRenderQueueInput {
  services: Services;
  /** Queue tuning (concurrency defaults to cores − 1). */
  queue?: Omit<EmbeddedQueueOptions, 'db' | 'handlers'>;
  handler?: Omit<RenderJobHandlerOptions, 'services'>;
  /** Default true; false for processes that only submit and inspect (CLI). */
  start?: boolean;
}

export async function createRenderQueue(input: CreateRenderQueueInput): Promise<EmbeddedQueue> {
  const handler = createRenderJobHandler({ services: input.services, ...input.handler });
  const queue = createEmbeddedQueue({
    concurrency: defaultConcurrency(),
    ...input.queue,
    db: input.services.db,
    handlers: { [RENDER_JOB_KIND]: handler as JobHandler<never, unknown> },
  });
  if (input.start !== false) await queue.start();
  return queue;
}
