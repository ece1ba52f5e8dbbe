/**
 * Submit a render: plan it first (so a bad timeline, an unknown profile or a missing asset is refused at once,
 * not minutes later in a worker), then queue it under a key of {plan_hash, profile, output}: submitting the same
 * render twice returns the same job.
 */
import type { RequestContext } from '../../context.js';
import { cutroomError } from '../../errors.js';
import type { JobQueue, SubmitJobResult } from '../../jobs/job-queue.js';
import type { Services } from '../../media/services.js';
import type { OutputOptions } from '../../plan/output/output-options.js';
import type { Timeline } from '../../timeline/index.js';
import { checkWebhookUrl, type WebhookPolicy } from '../../jobs/webhooks/webhook-policy.js';
import { subscribeJobWebhook } from '../../jobs/webhooks/webhook-store.js';
import { prepareRender } from '../prepare-render.js';
import { RENDER_JOB_KIND, type RenderJobParams } from './render-job-params.js';

export interface SubmitRenderJobInput {
  services: Services;
  queue: JobQueue;
  ctx: RequestContext;
  timeline: Timeline;
  profile: string;
  output?: string;
  jobId?: string;
  projectId?: string;
  sequenceId?: string;
  exportPath?: string;
  outputOptions?: OutputOptions;
  /**
   * Smart render (stream-copy unchanged GOPs); MP4/MOV without output options only. Absent: smart when the
   * edit is cut-only and every segment qualifies; false: never.
   */
  smart?: boolean;
  /**
   * POST the job's final states to this URL (signed, retried; src/jobs/webhooks). Checked against the policy
   * before anything is planned (WEBHOOK_URL_INVALID, WEBHOOK_ADDRESS_FORBIDDEN). Not part of the idempotency
   * key: a re-submission returns the same job, which keeps the URL it was first given.
   */
  callback?: { url: string; policy: WebhookPolicy; path?: string };
}

export async function submitRenderJob(input: SubmitRenderJobInput): Promise<SubmitJobResult> {
  const { services, ctx, timeline, profile } = input;
  if (input.callback)
    await checkWebhookUrl({
      url: input.callback.url,
      policy: input.callback.policy,
      path: input.callback.path ?? 'callback_url',
    });
  const prepared = await prepareRender({
    services,
    ctx,
    timeline,
    profile,
    workDir: services.config.workDir,
    // The file name's extension must match the format: refused now, not in the worker.
    ...(input.outputOptions ? { output: input.outputOptions } : {}),
    ...(input.output !== undefined
      ? { outputExtension: input.output.slice(input.output.lastIndexOf('.') + 1) }
      : input.exportPath !== undefined
        ? { outputExtension: input.exportPath.slice(input.exportPath.lastIndexOf('.') + 1) }
        : {}),
  });
  if (
    input.smart === true &&
    (input.outputOptions !== undefined || !/\.(mp4|mov)$/i.test(input.output ?? input.exportPath ?? 'x.mp4'))
  )
    throw cutroomError(
      'VALIDATION_FAILED',
      "smart renders plain MP4/MOV at the profile's size and rate only",
      {
        issues: [
          { path: 'smart', message: 'drop output_options and use an .mp4 or .mov output to render smart' },
        ],
      },
    );
  const planHash = prepared.plan.meta.plan_hash;
  const params: RenderJobParams = {
    timeline,
    profile,
    ...(input.output !== undefined ? { output: input.output } : {}),
    ...(input.projectId !== undefined ? { project_id: input.projectId } : {}),
    ...(input.sequenceId !== undefined ? { sequence_id: input.sequenceId } : {}),
    ...(input.exportPath !== undefined ? { export_path: input.exportPath } : {}),
    ...(input.outputOptions ? { output_options: input.outputOptions } : {}),
    ...(input.smart !== undefined ? { smart: input.smart } : {}),
  };
  const submitted = await input.queue.submit(ctx, {
    kind: RENDER_JOB_KIND,
    params,
    planHash,
    idempotencyKey: {
      plan_hash: planHash,
      profile,
      output: input.output ?? null,
      export_path: input.exportPath ?? null,
      ...(input.outputOptions ? { output_options: input.outputOptions } : {}),
      ...(input.smart !== undefined ? { smart: input.smart } : {}),
    },
    ...(input.jobId !== undefined ? { jobId: input.jobId } : {}),
  });
  if (input.callback)
    await subscribeJobWebhook({ db: services.db, ctx, jobId: submitted.job.id, url: input.callback.url });
  return submitted;
}
