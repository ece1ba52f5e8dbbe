/**
 * Render jobs over HTTP: submit (idempotent), list, get, live events (Server-Sent Events), cancel, resume and the
 * rendered file (HTTP Range). Needs the job queue, so it is a factory: `renderJobRoutes({ queue })`.
 */
import { z } from 'zod';
import { cutroomError, isCutroomError } from '../../errors.js';
import type { JobEvent, JobQueue, JobRecord } from '../../jobs/job-queue.js';
import {
  createWebhookDispatcher,
  getJobWebhook,
  webhookPolicyFromEnv,
  type JobWebhookView,
  type WebhookDispatcherOptions,
  type WebhookPolicy,
} from '../../jobs/webhooks/index.js';
import type { Services } from '../../media/services.js';
import { submitRenderJob, type RenderJobResult } from '../../render/jobs/index.js';
import { OutputOptionsSchema } from '../../plan/output/output-options.js';
import { withPathPrefix } from '../../render/prefix-error-paths.js';
import { sendFileWithRange } from '../send-file-range.js';
import { sanitizeDetails, sanitizeText } from '../sanitize-error.js';
import { TimelineDocSchema } from '../schemas.js';
import type { RouteModule } from '../types.js';
import { timelineOfRequest } from './render.js';

/** Content-Type of a job's output by its file extension. */
const OUTPUT_CONTENT_TYPES: Record<string, string> = {
  mp4: 'video/mp4',
  mov: 'video/quicktime',
  webm: 'video/webm',
  gif: 'image/gif',
  mp3: 'audio/mpeg',
  wav: 'audio/wav',
  m4a: 'audio/mp4',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
};

const JOB_STATES = ['queued', 'running', 'completed', 'failed', 'cancelled'] as const;
const FINAL_STATES = new Set(['completed', 'failed', 'cancelled']);

/** How a render job renders, shared by every route that queues one (POST /video/render, template renders). */
export const RenderJobOptionFields = {
  profile: z.string().min(1).max(64).default('social_1080p_h264'),
  /** A file name for the download (Content-Disposition), part of what makes two submissions the same job. */
  output: z
    .string()
    .regex(
      /^[A-Za-z0-9][A-Za-z0-9._-]{0,120}\.(mp4|mov|webm|gif|mp3|wav|m4a|jpg|jpeg|png)$/,
      'a plain file name ending in .mp4, .mov, .webm, .gif, .mp3, .wav, .m4a, .jpg, .jpeg or .png',
    )
    .optional(),
  /** Output format and overrides on top of the profile; the file name's extension must match the format. */
  output_options: OutputOptionsSchema.optional(),
  /**
   * Smart render (H.264 sources, MP4/MOV output): stream-copy whole unchanged GOPs, encode only around cuts and
   * changes. The job result's `smart` says what was copied, what was encoded and why. Absent: smart when the
   * edit is cut-only and every segment qualifies (MP4/MOV without output_options); false: never.
   */
  smart: z.boolean().optional(),
  job_id: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/)
    .optional(),
  /**
   * An http(s) URL to POST the job's final state to (completed, failed, cancelled), signed with the tenant's
   * webhook secret (X-Cutroom-Signature). Private and loopback addresses are refused unless
   * CUTROOM_WEBHOOK_ALLOW permits them.
   */
  callback_url: z
    .string()
    .min(1)
    .max(2048)
    .optional()
    .describe(
      "http(s) URL that receives a signed JSON event on each final state of the job; private/loopback addresses need the operator's CUTROOM_WEBHOOK_ALLOW",
    ),
};

const SubmitRenderSchema = z
  .object({
    timeline: TimelineDocSchema.optional(),
    project_id: z.string().min(1).max(128).optional(),
    sequence_id: z.string().min(1).max(128).optional(),
    ...RenderJobOptionFields,
  })
  .strict()
  .refine((b) => (b.timeline === undefined) !== (b.project_id === undefined), {
    message: 'give either timeline or project_id (with an optional sequence_id)',
    path: ['timeline'],
  })
  .meta({ id: 'RenderJobRequest' });

const WebhookSchema = z
  .object({
    url: z.string(),
    deliveries: z.array(
      z.object({
        id: z.string().describe('event id, also sent as X-Cutroom-Event; the same across attempts'),
        job_state: z.enum(['completed', 'failed', 'cancelled']),
        status: z.enum(['pending', 'delivering', 'delivered', 'failed']),
        attempts: z.array(
          z.object({
            attempt: z.int(),
            at: z.string(),
            status_code: z.int().nullable(),
            error: z.string().nullable(),
            next_retry_at: z.string().nullable(),
          }),
        ),
        next_attempt_at: z.string().nullable(),
        created_at: z.string(),
      }),
    ),
  })
  .meta({ id: 'RenderJobWebhook' });

export const JobSchema = z
  .object({
    id: z.string(),
    kind: z.string(),
    state: z.enum(JOB_STATES),
    attempts: z.int(),
    max_attempts: z.int(),
    plan_hash: z.string().nullable(),
    progress: z.number(),
    error: z
      .object({ code: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()) })
      .nullable(),
    result: z.unknown(),
    profile: z.string().nullable(),
    output: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
    started_at: z.string().nullable(),
    finished_at: z.string().nullable(),
    run_after: z.string().nullable(),
    /** Present on a job submitted with callback_url (GET of one job, submit): the URL and each delivery's attempts. */
    webhook: WebhookSchema.nullable().optional(),
  })
  .meta({ id: 'RenderJob' });

const JobIdParams = z.object({ id: z.string().min(1).max(128) });
const ListQuery = z.object({
  state: z.enum(JOB_STATES).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

/** The public view of a job: never the timeline (can be large) nor the local export path. */
export function publicJob(job: JobRecord): z.output<typeof JobSchema> {
  const params = (job.params ?? {}) as { profile?: string; output?: string };
  const result = job.result as (RenderJobResult & Record<string, unknown>) | null;
  const { export_path: _hidden, ...visible } = result ?? ({} as Record<string, unknown>);
  return {
    id: job.id,
    kind: job.kind,
    state: job.state,
    attempts: job.attempts,
    max_attempts: job.max_attempts,
    plan_hash: job.plan_hash,
    progress: job.progress,
    // A failed job's error is shown to the client too: same sanitizing as the error envelope.
    error: job.error
      ? {
          code: job.error.code,
          message: sanitizeText(job.error.message),
          details: sanitizeDetails(job.error.details),
        }
      : null,
    result: result ? visible : null,
    profile: params.profile ?? null,
    output: params.output ?? null,
    created_at: job.created_at,
    updated_at: job.updated_at,
    started_at: job.started_at,
    finished_at: job.finished_at,
    run_after: job.run_after,
  };
}

/** The job with its webhook (URL and delivery attempts), for the routes that show one job in full. */
async function publicJobWithWebhook(services: Services, job: JobRecord): Promise<z.output<typeof JobSchema>> {
  const ctx = { tenantId: job.tenant_id, env: job.env, requestId: job.id };
  const webhook: JobWebhookView | null = await getJobWebhook({ db: services.db, ctx, jobId: job.id });
  return { ...publicJob(job), webhook };
}

function sse(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

export interface RenderJobRoutesOptions {
  queue: JobQueue;
  /**
   * Webhook policy and delivery tuning. The policy defaults to CUTROOM_WEBHOOK_ALLOW from the environment. The
   * routes run a dispatcher (started when the app is ready, stopped when it closes) that delivers the events of
   * every process's jobs from the database.
   */
  webhooks?: Omit<WebhookDispatcherOptions, 'db' | 'describeJob' | 'policy'> & { policy?: WebhookPolicy };
}

export function renderJobRoutes({ queue, webhooks = {} }: RenderJobRoutesOptions): RouteModule<Services> {
  return (app, { services, route }) => {
    const { policy = webhookPolicyFromEnv(process.env), ...dispatcherOptions } = webhooks;
    const dispatcher = createWebhookDispatcher({
      ...dispatcherOptions,
      db: services.db,
      policy,
      // The event carries what GET /video/render/jobs/{id} shows: sanitized errors, never the export path.
      describeJob: (job) => publicJob(job),
    });
    app.addHook('onReady', async () => dispatcher.start());
    app.addHook('onClose', async () => dispatcher.stop());

    route({
      method: 'POST',
      url: '/video/render',
      operationId: 'submitRender',
      summary:
        'Queue a render (planned first: a bad timeline or missing asset is refused now). Idempotent: the same plan, profile and output return the existing job (200).',
      tags: ['render'],
      body: SubmitRenderSchema,
      responses: {
        200: { description: 'The existing job', schema: z.object({ job: JobSchema }) },
        201: { description: 'A new job', schema: z.object({ job: JobSchema }) },
      },
      errors: [
        'TIMELINE_INVALID',
        'OUTPUT_FORMAT_MISMATCH',
        'PROJECT_NOT_FOUND',
        'ASSET_NOT_FOUND',
        'UNKNOWN_PROFILE',
        'UNKNOWN_TRANSITION',
        'UNKNOWN_MOTION_PRESET',
        'UNKNOWN_FILTER',
        'INVALID_PARAM',
        'FONT_NOT_FOUND',
        'JOB_PARAMS_MISMATCH',
        'QUEUE_FULL',
        'WEBHOOK_URL_INVALID',
        'WEBHOOK_ADDRESS_FORBIDDEN',
      ],
      handler: async ({ ctx, body, reply }) => {
        const { timeline, pathPrefix } = await timelineOfRequest({ services, ctx, body });
        try {
          const { job, created } = await withPathPrefix(pathPrefix, 'body', () =>
            submitRenderJob({
              services,
              queue,
              ctx,
              timeline,
              profile: body.profile,
              ...(body.output !== undefined ? { output: body.output } : {}),
              ...(body.output_options !== undefined ? { outputOptions: body.output_options } : {}),
              ...(body.smart !== undefined ? { smart: body.smart } : {}),
              ...(body.job_id !== undefined ? { jobId: body.job_id } : {}),
              ...(body.project_id !== undefined ? { projectId: body.project_id } : {}),
              ...(body.sequence_id !== undefined ? { sequenceId: body.sequence_id } : {}),
              ...(body.callback_url !== undefined
                ? { callback: { url: body.callback_url, policy, path: 'callback_url' } }
                : {}),
            }),
          );
          reply.code(created ? 201 : 200);
          return { job: await publicJobWithWebhook(services, job) };
        } catch (err) {
          if (isCutroomError(err, 'QUEUE_FULL')) {
            const s = Number(err.details.retry_after_s);
            reply.header('retry-after', String(Number.isFinite(s) && s > 0 ? Math.ceil(s) : 1));
          }
          throw err;
        }
      },
    });

    route({
      method: 'GET',
      url: '/video/render/jobs',
      operationId: 'listRenderJobs',
      summary: "The caller's render jobs (this tenant and env), newest first.",
      tags: ['render'],
      query: ListQuery,
      responses: { 200: { description: 'Jobs', schema: z.object({ jobs: z.array(JobSchema) }) } },
      handler: async ({ ctx, query }) => {
        const jobs = await queue.list(ctx, {
          kind: 'render',
          ...(query.state ? { state: query.state } : {}),
          ...(query.limit !== undefined ? { limit: query.limit } : {}),
        });
        return { jobs: jobs.map(publicJob) };
      },
    });

    route({
      method: 'GET',
      url: '/video/render/jobs/:id',
      operationId: 'getRenderJob',
      summary:
        'One render job: state, progress, error (with stage and stderr tail) or result, and its webhook deliveries (each attempt: time, status code or error, next retry).',
      tags: ['render'],
      params: JobIdParams,
      responses: { 200: { description: 'The job', schema: z.object({ job: JobSchema }) } },
      errors: ['JOB_NOT_FOUND'],
      handler: async ({ ctx, params }) => ({
        job: await publicJobWithWebhook(services, await queue.get(ctx, params.id)),
      }),
    });

    route({
      method: 'GET',
      url: '/video/render/jobs/:id/events',
      operationId: 'renderJobEvents',
      summary:
        'Server-Sent Events of one job: `state` (the job) now and on every change, `progress` {fraction, fps, eta_ms, phase}; the stream ends after a final state.',
      tags: ['render'],
      params: JobIdParams,
      responses: { 200: { description: 'An event stream', contentType: 'text/event-stream' } },
      errors: ['JOB_NOT_FOUND'],
      handler: async ({ ctx, params, request, reply }) => {
        // Subscribe before reading the state, so no change between the two is missed.
        const buffered: JobEvent[] = [];
        let deliver: (event: JobEvent) => void = (e) => buffered.push(e);
        const unsubscribe = await queue.subscribe(ctx, params.id, (e) => deliver(e));
        let job: JobRecord;
        try {
          job = await queue.get(ctx, params.id);
        } catch (err) {
          unsubscribe();
          throw err;
        }
        reply.hijack();
        const res = reply.raw;
        res.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-cache',
          connection: 'keep-alive',
          'x-request-id': ctx.requestId,
        });
        let closed = false;
        const finish = () => {
          if (closed) return;
          closed = true;
          unsubscribe();
          res.end();
        };
        request.raw.on('close', finish);
        const send = (event: JobEvent) => {
          if (closed) return;
          if (event.type === 'state') {
            res.write(sse('state', publicJob(event.job)));
            if (FINAL_STATES.has(event.job.state)) finish();
          } else {
            res.write(
              sse('progress', {
                job_id: event.job_id,
                fraction: event.progress,
                fps: event.detail?.fps ?? null,
                eta_ms: event.detail?.eta_ms ?? null,
                phase: event.detail?.phase ?? null,
              }),
            );
          }
        };
        send({ type: 'state', job });
        deliver = send;
        for (const e of buffered) send(e);
        return reply;
      },
    });

    route({
      method: 'POST',
      url: '/video/render/jobs/:id/cancel',
      operationId: 'cancelRenderJob',
      summary: 'Cancel a queued or running render (ffmpeg is stopped, partial files removed).',
      tags: ['render'],
      params: JobIdParams,
      responses: { 200: { description: 'The job', schema: z.object({ job: JobSchema }) } },
      errors: ['JOB_NOT_FOUND', 'ILLEGAL_JOB_TRANSITION'],
      handler: async ({ ctx, params }) => ({ job: publicJob(await queue.cancel(ctx, params.id)) }),
    });

    route({
      method: 'POST',
      url: '/video/render/jobs/:id/resume',
      operationId: 'resumeRenderJob',
      summary: 'Re-queue a failed or cancelled render; finished chunks are reused.',
      tags: ['render'],
      params: JobIdParams,
      responses: { 200: { description: 'The job', schema: z.object({ job: JobSchema }) } },
      errors: ['JOB_NOT_FOUND', 'ILLEGAL_JOB_TRANSITION'],
      handler: async ({ ctx, params }) => ({ job: publicJob(await queue.resume(ctx, params.id)) }),
    });

    route({
      method: 'GET',
      url: '/video/render/jobs/:id/output',
      operationId: 'getRenderJobOutput',
      summary: 'The rendered file of a completed job; supports a single HTTP Range for <video> seeking.',
      tags: ['render'],
      params: JobIdParams,
      responses: {
        200: { description: 'The whole file', contentType: 'video/mp4' },
        206: { description: 'The requested range', contentType: 'video/mp4' },
      },
      errors: ['JOB_NOT_FOUND', 'JOB_OUTPUT_NOT_READY', 'RANGE_NOT_SATISFIABLE'],
      handler: async ({ ctx, params, request, reply }) => {
        const job = await queue.get(ctx, params.id);
        const result = job.result as RenderJobResult | null;
        if (job.state !== 'completed' || !result?.asset_id)
          throw cutroomError('JOB_OUTPUT_NOT_READY', `job ${job.id} is ${job.state}`, {
            job_id: job.id,
            state: job.state,
          });
        const asset = await services.assets.getAsset(ctx, result.asset_id);
        const path = await services.assets.assetPath(ctx, asset.id);
        reply.header('etag', `"${asset.content_hash}"`);
        if (result.output) reply.header('content-disposition', `attachment; filename="${result.output}"`);
        return sendFileWithRange({
          request,
          reply,
          path,
          contentType: OUTPUT_CONTENT_TYPES[asset.ext ?? 'mp4'] ?? 'application/octet-stream',
          what: 'the output',
        });
      },
    });
  };
}
