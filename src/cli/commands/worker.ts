import type { Command } from 'commander';
import { cutroomError } from '../../errors.js';
import type { JobHandlers } from '../../jobs/job-queue.js';
import type { BullmqQueueOptions } from '../../jobs/bullmq-queue.js';
import type { Services } from '../../media/services.js';
import type { CliCommand } from './types.js';

export interface RunWorkerInput {
  env: NodeJS.ProcessEnv;
  /** Default: CUTROOM_DATA_DIR (scratch space and the S3 download cache on this machine). */
  dataDir?: string;
  /** The work per job kind, built on this process's services. Default: the render service's handler. */
  handlers?: (services: Services) => JobHandlers | Promise<JobHandlers>;
  /** Resolves when the worker should stop (default: SIGTERM or SIGINT). */
  stopped?: Promise<void>;
  /** Adapter tuning (tests shorten BullMQ's lock and stalled-check intervals). */
  bullmq?: Omit<BullmqQueueOptions, 'db' | 'handlers' | 'connection'>;
  /** Called once the queue is started (e.g. to print a ready line). */
  onReady?: (info: { adapter: 'embedded' | 'bullmq'; store: string; dialect: string }) => void;
}

function signalled(): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/**
 * A worker process: the services (database, object store from the environment) and the job queue from the
 * environment, running handlers until stopped. On stop, running jobs are aborted and handed back to the queue
 * without spending an attempt (another worker, or this one restarted, finishes them).
 */
export async function runWorker(input: RunWorkerInput): Promise<void> {
  const { env } = input;
  const stopped = input.stopped ?? signalled();
  const [{ createServices, servicesOptionsFromEnv }, { storeFromEnv }, { queueFromEnv }] = await Promise.all([
    import('../../media/services.js'),
    import('../../storage/store-from-env.js'),
    import('../../jobs/queue-from-env.js'),
  ]);
  const { resolve } = await import('node:path');
  const fromEnv = servicesOptionsFromEnv(env);
  const dataDir = resolve(input.dataDir ?? fromEnv.dataDir ?? './.cutroom');
  const services = await createServices({ ...fromEnv, dataDir, store: await storeFromEnv(env, dataDir) });
  try {
    const handlers = input.handlers
      ? await input.handlers(services)
      : await (async () => {
          const { createRenderJobHandler, RENDER_JOB_KIND } = await import('../../render/jobs/index.js');
          return { [RENDER_JOB_KIND]: createRenderJobHandler({ services }) } as unknown as JobHandlers;
        })();
    const { queue, adapter } = await queueFromEnv({
      env,
      db: services.db,
      handlers,
      ...(input.bullmq ? { bullmq: input.bullmq } : {}),
    });
    try {
      await queue.start();
      input.onReady?.({ adapter, store: services.store.kind, dialect: services.config.dialect });
      await stopped;
    } finally {
      await queue.close();
    }
  } finally {
    await services.close();
  }
}

function positive(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw cutroomError('CLI_USAGE', `--concurrency must be a positive integer, got "${value}"`, {});
  return n;
}

export const workerCommand: CliCommand = (program, cli) => {
  program
    .command('worker')
    .description(
      'Run job handlers until SIGTERM: Redis/BullMQ with CUTROOM_REDIS_URL, else the embedded queue on the database',
    )
    .option('--concurrency <n>', 'jobs run at once (default: cores − 1)', positive)
    .action(async (opts: { concurrency?: number }, cmd: Command) => {
      const { dataDir } = cli.globals(cmd);
      const env = { ...process.env };
      if (opts.concurrency !== undefined) env.CUTROOM_WORKER_CONCURRENCY = String(opts.concurrency);
      await runWorker({
        env,
        ...(dataDir !== undefined ? { dataDir } : {}),
        onReady: ({ adapter, store, dialect }) =>
          cli.io.out(
            `cutroom worker ${process.pid} ready (queue ${adapter}, store ${store}, database ${dialect})`,
          ),
      });
    });
};
