import type { Kysely } from 'kysely';
import { cutroomError } from '../errors.js';
import type { Database } from '../db/schema.js';
import { createBullmqQueue, type BullmqQueueOptions } from './bullmq-queue.js';
import { createEmbeddedQueue, type EmbeddedQueueOptions } from './embedded-queue.js';
import type { JobHandlers, JobQueue } from './job-queue.js';

export interface QueueFromEnvInput {
  env: NodeJS.ProcessEnv;
  db: Kysely<Database>;
  handlers: JobHandlers;
  /** Kinds an API process submits without running them (BullMQ only; the embedded queue runs what it takes). */
  submitKinds?: readonly string[];
  /** Tuning for whichever adapter is chosen. */
  embedded?: Omit<EmbeddedQueueOptions, 'db' | 'handlers'>;
  bullmq?: Omit<BullmqQueueOptions, 'db' | 'handlers' | 'connection'>;
}

export interface ChosenQueue {
  queue: JobQueue;
  adapter: 'embedded' | 'bullmq';
}

function positiveInt(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const v = env[name];
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 1)
    throw cutroomError('VALIDATION_FAILED', `${name} must be a positive integer`, {
      issues: [{ path: name, message: 'must be a positive integer' }],
    });
  return n;
}

/**
 * The job queue chosen by configuration: Redis/BullMQ when CUTROOM_REDIS_URL is set (CUTROOM_REDIS_PREFIX
 * namespaces the keys, default "cutroom"), else the embedded queue on the metadata database.
 * CUTROOM_WORKER_CONCURRENCY sets the jobs run at once by this process.
 */
export async function queueFromEnv(input: QueueFromEnvInput): Promise<ChosenQueue> {
  const { env, db, handlers } = input;
  const concurrency = positiveInt(env, 'CUTROOM_WORKER_CONCURRENCY');
  const url = env.CUTROOM_REDIS_URL;
  if (url) {
    const queue = await createBullmqQueue({
      ...input.bullmq,
      ...(concurrency !== undefined ? { concurrency } : {}),
      ...(input.submitKinds ? { submitKinds: input.submitKinds } : {}),
      prefix: env.CUTROOM_REDIS_PREFIX || input.bullmq?.prefix || 'cutroom',
      connection: url,
      db,
      handlers,
    });
    return { queue, adapter: 'bullmq' };
  }
  const queue = createEmbeddedQueue({
    ...input.embedded,
    ...(concurrency !== undefined ? { concurrency } : {}),
    db,
    handlers,
  });
  return { queue, adapter: 'embedded' };
}
