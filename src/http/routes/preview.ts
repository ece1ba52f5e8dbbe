/**
 * GET /video/preview/:project_id — a window of a project sequence rendered from proxies (see
 * src/render/preview.ts), for a <video> element: the first request streams the window while it renders
 * (fragmented MP4, no Content-Length); later requests and every Range request read the cached window.
 *
 * POST /video/preview — the same window of a timeline in the body (or a stored project, like the render
 * request), so an editor can preview the document it holds right after an edit instead of waiting for its
 * autosave. The body is validated like the render's; assets resolve in the caller's tenant/env only (an id of
 * another tenant is a missing asset: a gap with a MISSING_ASSET warning, never its pixels). No Range here:
 * a client streams the response into MediaSource.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { Services } from '../../media/services.js';
import { createPreviewService, MAX_PREVIEW_MS, PREVIEW_PROFILE } from '../../render/preview.js';
import { createPreviewTiming } from '../../render/preview-timing.js';
import { sendFileWithRange } from '../send-file-range.js';
import type { RouteModule } from '../types.js';
import { timelineOfRequest } from './render.js';
import { TimelineDocSchema } from '../schemas.js';

const PreviewQuery = z.object({
  sequence_id: z.string().min(1).max(128).optional(),
  start_ms: z.coerce.number().int().min(0).default(0),
  duration_ms: z.coerce.number().int().min(1).max(MAX_PREVIEW_MS).default(5000),
  /** Preview for this render profile: its aspect and frame rate at preview size (1080x1920 -> 360x640). */
  profile: z.string().min(1).max(64).optional(),
});

const PreviewBody = z
  .object({
    timeline: TimelineDocSchema.optional(),
    project_id: z.string().min(1).max(128).optional(),
    sequence_id: z.string().min(1).max(128).optional(),
    start_ms: z.int().min(0).default(0),
    duration_ms: z.int().min(1).max(MAX_PREVIEW_MS).default(5000),
    /** As on GET: preview in this render profile's aspect and frame rate at preview size. */
    profile: z.string().min(1).max(64).optional(),
  })
  .refine((b) => (b.timeline === undefined) !== (b.project_id === undefined), {
    message: 'give either timeline or project_id (with an optional sequence_id)',
    path: ['timeline'],
  })
  .meta({ id: 'PreviewRequest' });

type PreviewService = ReturnType<typeof createPreviewService>;
type PreviewResult = Awaited<ReturnType<PreviewService['preview']>>;

/** Both routes answer alike: warnings and plan hash as headers, the cached file or the live stream. */
async function sendPreview(reply: FastifyReply, result: PreviewResult): Promise<FastifyReply> {
  reply.header('content-type', 'video/mp4');
  reply.header('x-preview-profile', PREVIEW_PROFILE);
  reply.header('x-preview-warnings', warningsHeader(result.warnings));
  reply.header('x-plan-hash', result.plan_hash);
  if (result.kind === 'cached') {
    reply.header('x-preview-cache', 'hit');
    reply.header('content-length', (await stat(result.path)).size);
    return reply.send(createReadStream(result.path));
  }
  reply.header('x-preview-cache', 'miss');
  return reply.send(result.stream);
}

const warningsHeader = (w: ReadonlyArray<{ code: string; path?: string }>) =>
  JSON.stringify(w.map((x) => ({ code: x.code, path: x.path ?? null })));

export const previewRoutes: RouteModule<Services> = (_app, { services, route }) => {
  const previews = createPreviewService({ services });

  route({
    method: 'POST',
    url: '/video/preview',
    operationId: 'previewTimeline',
    summary:
      'A window of the timeline in the body (or of a stored project) rendered from proxies with the draft profile, streamed as fragmented MP4 while it renders; cached like GET /video/preview/{project_id}.',
    tags: ['render'],
    body: PreviewBody,
    responses: {
      200: { description: 'The window (streamed while rendering on a cache miss)', contentType: 'video/mp4' },
    },
    errors: ['TIMELINE_INVALID', 'PROJECT_NOT_FOUND', 'INVALID_PARAM', 'RENDER_FAILED', 'UNKNOWN_PROFILE'],
    handler: async ({ ctx, body, reply }) => {
      const timing = createPreviewTiming({ requestId: ctx.requestId, receivedAgoMs: reply.elapsedTime });
      timing.mark('handler');
      const { timeline } = await timelineOfRequest({ services, ctx, body });
      timing.mark('timeline');
      const result = await previews.preview({
        ctx,
        timeline,
        timing,
        start_ms: body.start_ms,
        duration_ms: body.duration_ms,
        ...(body.profile !== undefined ? { profile: body.profile } : {}),
      });
      return sendPreview(reply, result);
    },
  });
  route({
    method: 'GET',
    url: '/video/preview/:project_id',
    operationId: 'previewSequence',
    summary:
      "A window of a project sequence rendered from proxies with the draft profile (fragmented MP4); HTTP Range for seeking. X-Preview-Warnings lists e.g. PROXY_MISSING. With `profile`, the canvas has that render profile's aspect and frame rate at preview size (short side 360 px, long side at most 640 px).",
    tags: ['render'],
    params: z.object({ project_id: z.string().min(1).max(128) }),
    query: PreviewQuery,
    responses: {
      200: { description: 'The window (streamed while rendering on a cache miss)', contentType: 'video/mp4' },
      206: { description: 'A byte range of the cached window', contentType: 'video/mp4' },
    },
    errors: [
      'PROJECT_NOT_FOUND',
      'INVALID_PARAM',
      'RANGE_NOT_SATISFIABLE',
      'RENDER_FAILED',
      'UNKNOWN_PROFILE',
    ],
    handler: async ({ ctx, params, query, request, reply }) => {
      const { timeline } = await timelineOfRequest({
        services,
        ctx,
        body: {
          project_id: params.project_id,
          ...(query.sequence_id ? { sequence_id: query.sequence_id } : {}),
        },
      });
      const req = {
        ctx,
        timeline,
        start_ms: query.start_ms,
        duration_ms: query.duration_ms,
        ...(query.profile !== undefined ? { profile: query.profile } : {}),
      };
      reply.header('accept-ranges', 'bytes');
      if (request.headers.range !== undefined) {
        const { path, warnings, artifact } = await previews.previewFile(req);
        reply.header('x-preview-profile', PREVIEW_PROFILE);
        reply.header('x-preview-warnings', warningsHeader(warnings));
        reply.header('x-plan-hash', String(artifact.meta.plan_hash));
        return sendFileWithRange({ request, reply, path, contentType: 'video/mp4', what: 'the preview' });
      }
      return sendPreview(reply, await previews.preview(req));
    },
  });
};
