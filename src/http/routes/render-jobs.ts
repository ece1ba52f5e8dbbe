/**
 * Render jobs over HTTP: submit (idempotent), list, get, live events (Server-Sent Events), cancel, resume and the
 * rendered file (HTTP Range). Needs the job queue, so it is a factory: `renderJobRoutes({ queue })`.
 *
 * An image-sequence job (output_options.format png_sequence / jpg_sequence) stores its frames as one .zip (the
 * content of its `render` artifact): `…/output` serves the zip, `…/output/frames` lists the frames and
 * `…/output/frames/{index}` serves one frame, read straight out of the stored (uncompressed) zip.
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
import { readStoredZipIndex, storedZipEntryDataOffset } from '../../render/read-zip-index.js';
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
  zip: 'application/zip',
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
      /^[A-Za-z0-9][A-Za-z0-9._-]{0,120}\.(mp4|mov|webm|gif|mp3|wav|m4a|jpg|jpeg|png|zip)$/,
      'a plain file name ending in .mp4, .mov, .webm, .gif, .mp3, .wav, .m4a, .jpg, .jpeg, .png or .zip (image sequences)',
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
// Path parameters stay strings in the OpenAPI document (generated clients build URLs from them); parsed below.
const FrameParams = JobIdParams.extend({
  index: z.string().regex(/^(0|[1-9][0-9]{0,4})$/, 'a frame index: 0, 1, 2, …'),
});
const FramesQuery = z.object({
  offset: z.coerce.number().int().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(10_000).optional(),
});
const FrameListSchema = z
  .object({
    job_id: z.string(),
    format: z.enum(['png', 'jpg']),
    width: z.int(),
    height: z.int(),
    count: z.int().describe('frames in the sequence; frame k shows output time k / fps'),
    offset: z.int(),
    frames: z.array(
      z.object({
        index: z.int(),
        name: z.string().describe('file name inside the zip, frame_000000.png …'),
        size_bytes: z.int(),
        crc32: z.int(),
        url: z.string().describe('GET this (same auth) for the frame alone'),
      }),
    ),
    zip_url: z.string().describe('all frames in one stored .zip'),
  })
  .meta({ id: 'RenderJobFrames' });
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
export async function publicJobWithWebhook(
  services: Services,
  job: JobRecord,
): Promise<z.output<typeof JobSchema>> {
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

    /** The job and its result, or JOB_OUTPUT_NOT_READY unless it completed. */
    const completedJob = async (ctx: Parameters<JobQueue['get']>[0], id: string) => {
      const job = await queue.get(ctx, id);
      const result = job.result as RenderJobResult | null;
      if (job.state !== 'completed' || !result?.artifact_id)
        throw cutroomError('JOB_OUTPUT_NOT_READY', `job ${job.id} is ${job.state}`, {
          job_id: job.id,
          state: job.state,
        });
      return { job, result };
    };

    /** The stored zip of an image-sequence job and its entries; OBJECT_NOT_FOUND for any other output. */
    const sequenceOf = async (ctx: Parameters<JobQueue['get']>[0], id: string) => {
      const { job, result } = await completedJob(ctx, id);
      if (result.asset_id !== null || !result.frames)
        throw cutroomError(
          'OBJECT_NOT_FOUND',
          `job ${job.id} rendered one file, not an image sequence: GET /video/render/jobs/${job.id}/output`,
          { job_id: job.id },
        );
      const path = await services.artifacts.artifactPath(ctx, result.artifact_id);
      return { job, frames: result.frames, path, entries: await readStoredZipIndex({ path }) };
    };

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
        const { job, result } = await completedJob(ctx, params.id);
        if (result.asset_id === null) {
          // An image sequence: the .zip of frames is the render artifact's content.
          const artifact = await services.artifacts.getArtifact(ctx, result.artifact_id);
          reply.header('etag', `"${artifact.content_hash ?? artifact.id}"`);
          reply.header(
            'content-disposition',
            `attachment; filename="${result.output ?? `${job.id}_frames.zip`}"`,
          );
          return sendFileWithRange({
            request,
            reply,
            path: await services.artifacts.artifactPath(ctx, artifact.id),
            contentType: 'application/zip',
            what: 'the output',
          });
        }
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

    route({
      method: 'GET',
      url: '/video/render/jobs/:id/output/frames',
      operationId: 'listRenderJobFrames',
      summary:
        'The frames of a completed image-sequence job (png_sequence, jpg_sequence): name, size and a URL per frame; ?offset and ?limit (default 1000) page through long ones.',
      tags: ['render'],
      params: JobIdParams,
      query: FramesQuery,
      responses: { 200: { description: 'The frames', schema: FrameListSchema } },
      errors: ['JOB_NOT_FOUND', 'JOB_OUTPUT_NOT_READY', 'OBJECT_NOT_FOUND'],
      handler: async ({ ctx, params, query }) => {
        const { job, frames, entries } = await sequenceOf(ctx, params.id);
        const offset = query.offset ?? 0;
        const page = entries.slice(offset, offset + (query.limit ?? 1000));
        return {
          job_id: job.id,
          format: frames.format,
          width: frames.width,
          height: frames.height,
          count: entries.length,
          offset,
          frames: page.map((e, i) => ({
            index: offset + i,
            name: e.name,
            size_bytes: e.size,
            crc32: e.crc32,
            url: `/video/render/jobs/${job.id}/output/frames/${offset + i}`,
          })),
          zip_url: `/video/render/jobs/${job.id}/output`,
        };
      },
    });

    route({
      method: 'GET',
      url: '/video/render/jobs/:id/output/frames/:index',
      operationId: 'getRenderJobFrame',
      summary:
        'One frame of a completed image-sequence job (index 0 = output time 0), served from the stored zip; ETag and a single HTTP Range supported.',
      tags: ['render'],
      params: FrameParams,
      responses: {
        200: { description: 'The frame', contentType: 'image/png' },
        206: { description: 'A byte range of the frame', contentType: 'image/png' },
      },
      errors: ['JOB_NOT_FOUND', 'JOB_OUTPUT_NOT_READY', 'OBJECT_NOT_FOUND', 'RANGE_NOT_SATISFIABLE'],
      handler: async ({ ctx, params, request, reply }) => {
        const { job, frames, path, entries } = await sequenceOf(ctx, params.id);
        const index = Number(params.index);
        const entry = entries[index];
        if (!entry)
          throw cutroomError(
            'OBJECT_NOT_FOUND',
            `job ${job.id} has ${entries.length} frames (0–${entries.length - 1}), not ${index}`,
            { job_id: job.id, index, count: entries.length },
          );
        const start = await storedZipEntryDataOffset({ path, entry });
        reply.header('etag', `"${entry.crc32.toString(16).padStart(8, '0')}-${entry.size}"`);
        reply.header('content-disposition', `inline; filename="${entry.name}"`);
        return sendFileWithRange({
          request,
          reply,
          path,
          contentType: frames.format === 'jpg' ? 'image/jpeg' : 'image/png',
          what: `frame ${index}`,
          slice: { start, length: entry.size },
        });
      },
    });
  };
}
