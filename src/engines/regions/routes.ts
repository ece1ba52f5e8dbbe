/**
 * Face regions over HTTP: analyse an asset (POST /video/regions, optionally with a mask video), read a summary
 * (GET /video/regions/:artifact_id), and make a mask from a summary (POST /video/regions/mask).
 */
import { z } from 'zod';
import type { Services } from '../../media/services.js';
import type { RouteModule } from '../../route-spec.js';
import { loadRegionSummary } from './load-summary.js';
import { renderRegionMask } from './render-mask.js';
import {
  ArtifactIdParamsSchema,
  EngineArtifactSchema,
  RegionNameSchema,
  WarningSchema,
} from './route-schemas.js';
import { analyzeRegions } from './service.js';

export type RegionsRouteServices = Pick<Services, 'assets' | 'artifacts'>;

const MaskOptionsSchema = z.object({
  include_regions: z.array(RegionNameSchema).min(1).max(3).optional().describe("Default ['face']"),
  feather: z
    .number()
    .min(0)
    .max(2)
    .optional()
    .describe('Soft edge beyond each ellipse, fraction of its radius (0.3)'),
});

const AnalyzeBodySchema = z.object({
  asset_id: z.string().min(1).max(128),
  interval_ms: z.int().optional().describe('Sample every this many ms, 40..10000 (default 200)'),
  min_confidence: z.number().optional().describe('0..1 (default 0.5)'),
  include_regions: z.array(RegionNameSchema).max(3).optional().describe("Sub-regions besides 'face'"),
  mask: MaskOptionsSchema.optional().describe('Also render a mask video from the summary'),
});

const AnalyzeResponseSchema = z.object({
  artifact: EngineArtifactSchema,
  cached: z.boolean(),
  mask: z.object({ artifact: EngineArtifactSchema, cached: z.boolean() }).optional(),
  warnings: z.array(WarningSchema),
});

const MaskBodySchema = MaskOptionsSchema.extend({ summary_id: z.string().min(1).max(128) });

export const regionsRoutes: RouteModule<RegionsRouteServices> = (_app, { services, route }) => {
  route({
    method: 'POST',
    url: '/video/regions',
    operationId: 'analyzeRegions',
    summary:
      'Face regions of an asset (BlazeFace, tracked): a video_region_summary artifact, cached on the asset and parameters; with `mask`, also a mask video.',
    tags: ['regions'],
    body: AnalyzeBodySchema,
    responses: { 200: { description: 'The summary artifact', schema: AnalyzeResponseSchema } },
    errors: ['ASSET_NOT_FOUND', 'INVALID_PARAM', 'UNSUPPORTED_MEDIA', 'DECODE_FAILED', 'RENDER_FAILED'],
    handler: async ({ ctx, body }) => {
      const { mask, ...input } = body;
      const result = await analyzeRegions(services, ctx, input);
      if (!mask) return result;
      const made = await renderRegionMask(services, ctx, { summary_id: result.artifact.id, ...mask });
      return { ...result, mask: made };
    },
  });

  route({
    method: 'GET',
    url: '/video/regions/:artifact_id',
    operationId: 'getRegionSummary',
    summary:
      'A region summary as JSON: samples with tracked face boxes and sub-regions (fractions of the frame).',
    tags: ['regions'],
    params: ArtifactIdParamsSchema,
    responses: { 200: { description: 'The RegionSummary', schema: z.record(z.string(), z.unknown()) } },
    errors: ['ARTIFACT_NOT_FOUND', 'INVALID_PARAM'],
    handler: async ({ ctx, params }) => (await loadRegionSummary(services, ctx, params.artifact_id)).summary,
  });

  route({
    method: 'POST',
    url: '/video/regions/mask',
    operationId: 'renderRegionMask',
    summary:
      'A mask video (white feathered ellipses on black, frame-aligned with the source, lossless H.264 gray) from a region summary.',
    tags: ['regions'],
    body: MaskBodySchema,
    responses: {
      200: {
        description: 'The mask artifact',
        schema: z.object({ artifact: EngineArtifactSchema, cached: z.boolean() }),
      },
    },
    errors: ['ARTIFACT_NOT_FOUND', 'INVALID_PARAM', 'RENDER_FAILED'],
    handler: async ({ ctx, body }) => renderRegionMask(services, ctx, body),
  });
};
