import type { Command } from 'commander';
import { cutroomError } from '../../errors.js';
import type { JobRecord } from '../../jobs/job-queue.js';
import type { JobState } from '../../jobs/job-state.js';
import type { EmbeddedQueue } from '../../jobs/embedded-queue.js';
import type { Services } from '../../media/services.js';
import type { CliContext } from '../context.js';
import type { CliCommand } from './types.js';

const STATES: readonly JobState[] = ['queued', 'running', 'completed', 'failed', 'cancelled'];

interface JsonOption {
  json?: boolean;
}

/**
 * Runs fn with the data dir's queue (not started: these commands only read and change job rows; `cutroom serve`
 * runs the jobs).
 */
async function withQueue<T>(
  cli: CliContext,
  cmd: Command,
  fn: (args: {
    queue: EmbeddedQueue;
    services: Services;
    ctx: Awaited<ReturnType<CliContext['localContext']>>['ctx'];
  }) => Promise<T>,
): Promise<T> {
  return cli.withServices(cmd, async (services) => {
    const { ctx } = await cli.localContext(cmd, services);
    const { createRenderQueue } = await import('../../render/jobs/index.js');
    const queue = await createRenderQueue({ services, start: false });
    try {
      return await fn({ queue, services, ctx });
    } finally {
      await queue.close();
    }
  });
}

function line(job: JobRecord): string {
  const params = (job.params ?? {}) as { profile?: string; output?: string };
  const pct = `${Math.round(job.progress * 100)}%`.padStart(4);
  return `${job.id}  ${job.kind}  ${job.state.padEnd(9)} ${pct}  ${params.profile ?? ''}  ${job.created_at}`;
}

function details(job: JobRecord): string[] {
  const out = [line(job), `  attempts ${job.attempts}/${job.max_attempts}, plan ${job.plan_hash ?? '-'}`];
  if (job.error) {
    out.push(`  error ${job.error.code}: ${job.error.message}`);
    const stage = job.error.details.stage;
    if (stage !== undefined) out.push(`  stage ${String(stage)}`);
    const tail = job.error.details.stderr_tail ?? job.error.details.stderrTail;
    if (typeof tail === 'string' && tail !== '') out.push(`  stderr:\n${tail.replace(/^/gm, '    ')}`);
  }
  if (job.result) out.push(`  result ${JSON.stringify(job.result)}`);
  return out;
}

export const jobsCommand: CliCommand = (program, cli) => {
  const jobs = program
    .command('jobs')
    .description('Background jobs (renders) of the local tenant; `cutroom serve` runs them');

  jobs
    .command('ls')
    .description('List jobs, newest first')
    .option('--state <state>', `only jobs in this state (${STATES.join(', ')})`)
    .option('--limit <n>', 'at most this many', '100')
    .option('--json', 'print JSON')
    .action(async (opts: JsonOption & { state?: string; limit: string }, cmd: Command) => {
      if (opts.state !== undefined && !STATES.includes(opts.state as JobState))
        throw cutroomError('CLI_USAGE', `--state must be one of ${STATES.join(', ')}, got "${opts.state}"`);
      const limit = Number(opts.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
        throw cutroomError('CLI_USAGE', `--limit must be an integer 1..1000, got "${opts.limit}"`);
      await withQueue(cli, cmd, async ({ queue, ctx }) => {
        const list = await queue.list(ctx, {
          limit,
          ...(opts.state ? { state: opts.state as JobState } : {}),
        });
        if (opts.json) cli.io.out(JSON.stringify({ jobs: list }, null, 2));
        else if (list.length === 0) cli.io.out('no jobs');
        else for (const job of list) cli.io.out(line(job));
      });
    });

  const single = (name: 'show' | 'cancel' | 'resume', description: string) =>
    jobs
      .command(name)
      .description(description)
      .argument('<id>', 'job id')
      .option('--json', 'print JSON')
      .action(async (id: string, opts: JsonOption, cmd: Command) => {
        await withQueue(cli, cmd, async ({ queue, ctx }) => {
          const job =
            name === 'show'
              ? await queue.get(ctx, id)
              : name === 'cancel'
                ? await queue.cancel(ctx, id)
                : await queue.resume(ctx, id);
          if (opts.json) cli.io.out(JSON.stringify({ job }, null, 2));
          else for (const l of details(job)) cli.io.out(l);
        });
      });
  single('show', 'One job: state, progress, error (stage, stderr tail) or result');
  single('cancel', 'Cancel a queued or running job');
  single('resume', 'Re-queue a failed or cancelled job (finished chunks are reused)');
};
