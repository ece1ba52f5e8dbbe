/**
 * Render routes that need no job queue: the dry run returns the plan (filtergraph, args, meta), every warning and
 * the dependency notices, and renders nothing. It refuses what the render refuses (validateForRender), unknown
 * assets included.
 */
import { z } from 'zod';
import { WarningResponseSchema } from '../../response-schemas.js';
import { cutroomError } from '../../errors.js';
import type { Services } from '../../media/services.js';
import { validateForRender } from '../../render/validate-for-render.js';
import type { Timeline } from '../../timeline/index.js';
import { TimelineDocSchema } from '../schemas.js';
import type { RouteModule } from '../types.js';

const RangeSchema = z.object({ start_ms: z.int().min(0), duration_ms: z.int().min(1) });

export const RenderRequestSchema = z
  .object({
    timeline: TimelineDocSchema.optional(),
    project_id: z.string().min(1).max(128).optional(),
    sequence_id: z.string().min(1).max(128).optional(),
    profile: z.string().min(1).max(64).default('social_1080p_h264'),
    range: RangeSchema.optional(),
  })
  .refine((b) => (b.timeline === undefined) !== (b.project_id === undefined), {
    message: 'give either timeline or project_id (with an optional sequence_id)',
    path: ['timeline'],
  })
  .meta({ id: 'RenderRequest' });

const WarningSchema = WarningResponseSchema;

const DryRunResponseSchema = z.object({
  plan: z.object({
    inputs: z.array(
      z.object({ index: z.int(), asset_id: z.string(), options: z.array(z.string()), path: z.string() }),
    ),
    filtergraph: z.string(),
    args: z.array(z.string()),
    meta: z.record(z.string(), z.unknown()),
  }),
  warnings: z.array(WarningSchema),
  dependency_notices: z.array(z.record(z.string(), z.unknown())),
  missing_assets: z.array(z.object({ asset_id: z.string(), paths: z.array(z.string()) })),
});

export interface TimelineOfRequest {
  timeline: Timeline;
  /** Where error paths start (see render/prefix-error-paths.ts): `timeline.` inline, `sequences[i].` stored. */
  pathPrefix: string;
}

/** The timeline a render request names: inline, or a sequence of one of the tenant's projects. */
export async function timelineOfRequest({
  services,
  ctx,
  body,
}: {
  services: Services;
  ctx: Parameters<Services['projects']['getProject']>[0];
  body: {
    timeline?: Timeline | undefined;
    project_id?: string | undefined;
    sequence_id?: string | undefined;
  };
}): Promise<TimelineOfRequest> {
  if (body.timeline) return { timeline: body.timeline, pathPrefix: 'timeline.' };
  const project = await services.projects.getProject(ctx, body.project_id!);
  const sequences = project.document.sequences;
  const index = body.sequence_id ? sequences.findIndex((s) => s.id === body.sequence_id) : 0;
  const sequence = sequences[index];
  if (!sequence) {
    throw cutroomError(
      'PROJECT_NOT_FOUND',
      `project ${body.project_id} has no sequence ${body.sequence_id ?? ''}`.trim(),
    );
  }
  return { timeline: sequence, pathPrefix: `sequences[${index}].` };
}

export const renderRoutes: RouteModule<Services> = (_app, { services, route }) => {
  route({
    method: 'POST',
    url: '/video/render/dry-run',
    operationId: 'renderDryRun',
    summary:
      'Plan a render without running it: filtergraph, ffmpeg args, plan meta (hash, encoder, transitions), warnings and dependency notices.',
    tags: ['render'],
    body: RenderRequestSchema,
    responses: { 200: { description: 'The plan', schema: DryRunResponseSchema } },
    errors: [
      'TIMELINE_INVALID',
      'PROJECT_NOT_FOUND',
      'UNKNOWN_PROFILE',
      'UNKNOWN_TRANSITION',
      'UNKNOWN_MOTION_PRESET',
      'UNKNOWN_FILTER',
      'INVALID_PARAM',
      'FONT_NOT_FOUND',
      'ASSET_NOT_FOUND',
    ],
    handler: async ({ ctx, body, warnings: parseWarnings }) => {
      const { timeline, pathPrefix } = await timelineOfRequest({ services, ctx, body });
      // The same check as validate and the render itself: an unknown or foreign asset is ASSET_NOT_FOUND here
      // too, never a silent black gap.
      const { prepared, warnings } = await validateForRender({
        services,
        ctx,
        timeline,
        profile: body.profile,
        pathPrefix,
        part: 'body',
        detectEncoder: true,
        ...(body.range ? { range: body.range } : {}),
      });
      const { plan } = prepared;
      return {
        plan: { inputs: plan.inputs, filtergraph: plan.filtergraph, args: plan.args, meta: plan.meta },
        warnings: [...(parseWarnings ?? []), ...warnings],
        dependency_notices: plan.meta.dependency_notices,
        missing_assets: prepared.missing_assets,
      };
    },
  });
};
