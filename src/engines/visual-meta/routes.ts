/**
 * POST /video/visual-meta/analyze: frame sampling, motion, shot boundaries and the primary subject centre for an
 * asset -> `visual_meta` + `video_shot_list` artifacts (cached). When the asset has a face region summary (the
 * given one, or the latest), the subject centre follows the largest face.
 */
import { z } from 'zod';
import type { RequestContext } from '../../context.js';
import type { Services } from '../../media/services.js';
import type { RouteModule } from '../../route-spec.js';
import { loadRegionSummary } from '../regions/load-summary.js';
import type { RegionSummary } from '../regions/types.js';
import { analyzeVisualMetaForAsset } from './service.js';
import type { FaceSummary } from './types.js';

const VisualMetaRequestSchema = z.object({
  asset_id: z.string().min(1).max(128),
  frame_sample_interval_ms: z.int().min(40).max(60_000).default(500),
  /** A video_region_summary to take faces from; default: the asset's latest, if any. */
  region_summary_id: z.string().min(1).max(128).optional(),
  use_regions: z.boolean().default(true),
});

/** Region summaries keep boxes as {x, y, w, h} fractions; visual meta takes {x, y, width, height}. */
export function faceSummaryFromRegions(summary: RegionSummary): FaceSummary {
  return {
    samples: summary.samples.map((s) => ({
      t_ms: s.t_ms,
      faces: s.faces.map((f) => ({ x: f.box.x, y: f.box.y, width: f.box.w, height: f.box.h })),
    })),
  };
}

async function faceSummaryFor(
  services: Services,
  ctx: RequestContext,
  body: z.output<typeof VisualMetaRequestSchema>,
): Promise<{ faceSummary?: FaceSummary; regionSummaryId: string | null }> {
  if (!body.use_regions) return { regionSummaryId: null };
  const id =
    body.region_summary_id ??
    (await services.artifacts.latestArtifact(ctx, { assetId: body.asset_id, kind: 'video_region_summary' }))
      ?.id;
  if (!id) return { regionSummaryId: null };
  const { summary } = await loadRegionSummary(services, ctx, id);
  // A stub summary's faces are placeholders: steering the subject centre with them would be a silent lie.
  if (summary.stub) return { regionSummaryId: null };
  return { faceSummary: faceSummaryFromRegions(summary), regionSummaryId: id };
}

export const visualMetaRoutes: RouteModule<Services> = (_app, { services, route }) => {
  route({
    method: 'POST',
    url: '/video/visual-meta/analyze',
    operationId: 'analyzeVisualMeta',
    summary:
      'Shot boundaries (hard cuts frame-exact, fades/dissolves as ranges), motion, histograms and subject centre',
    tags: ['analysis'],
    body: VisualMetaRequestSchema,
    responses: { 200: { description: 'The visual_meta and video_shot_list artifacts' } },
    errors: ['ASSET_NOT_FOUND', 'ARTIFACT_NOT_FOUND', 'INVALID_PARAM', 'DECODE_FAILED'],
    handler: async ({ ctx, body }) => {
      const faces = await faceSummaryFor(services, ctx, body);
      const result = await analyzeVisualMetaForAsset({
        services,
        ctx,
        assetId: body.asset_id,
        intervalMs: body.frame_sample_interval_ms,
        ...(faces.faceSummary ? { faceSummary: faces.faceSummary } : {}),
      });
      return {
        visual_meta: result.visualMeta,
        shot_list: result.shotList,
        region_summary_id: faces.regionSummaryId,
        cached: result.cached,
        warnings: result.warnings,
      };
    },
  });
};
