/**
 * Render routes that need no job queue: the dry run returns the plan (filtergraph, args, meta), every warning and
 * the dependency notices, and renders nothing. Missing assets are warnings here (a dry run is for finding them);
 * a real render refuses them.
 */
import { z } from 'zod';
import { WarningResponseSchema } from '../../response-schemas.js';
import { cutroomError } from '../../errors.js';
import type { Services } from '../../media/services.js';
import { prepareRender } from '../../render/prepare-render.js';
import { checkTimeline, type Timeline } from '../../timeline/index.js';
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

/** The timeline a render request names: inline, or a sequence of one of the tenant's projects. */
export async function timelineOfRequest({
  services,
  ctx,
  body,
}: {
  services: Services;
  ctx: Parameters<Services['projects']['getProject']>[0];
  body: z.output<typeof RenderRequestSchema>;
}): Promise<Timeline> {
  if (body.timeline) {
    const issues = checkTimeline(body.timeline);
    if (issues.length > 0) {
      throw cutroomError('TIMELINE_INVALID', 'timeline is inconsistent', {
        issues: issues.map((i) => ({ ...i, path: `timeline.${i.path}`, part: 'body' })),
      });
    }
    return body.timeline;
  }
  const project = await services.projects.getProject(ctx, body.project_id!);
  const sequences = project.document.sequences;
  const sequence = body.sequence_id ? sequences.find((s) => s.id === body.sequence_id) : sequences[0];
  if (!sequence) {
    throw cutroomError(
      'PROJECT_NOT_FOUND',
      `project ${body.project_id} has no sequence ${body.sequence_id ?? ''}`.trim(),
    );
  }
  return sequence;
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
      'UNKNOWN_FILTER',
      'INVALID_PARAM',
      'FONT_NOT_FOUND',
    ],
    handler: async ({ ctx, body }) => {
      const timeline = await timelineOfRequest({ services, ctx, body });
      const prepared = await prepareRender({
        services,
        ctx,
        timeline,
        profile: body.profile,
        workDir: services.config.workDir,
        allowMissingAssets: true,
        ...(body.range ? { range: body.range } : {}),
      });
      const { plan } = prepared;
      return {
        plan: { inputs: plan.inputs, filtergraph: plan.filtergraph, args: plan.args, meta: plan.meta },
        warnings: prepared.warnings,
        dependency_notices: plan.meta.dependency_notices,
        missing_assets: prepared.missing_assets,
      };
    },
  });
};
