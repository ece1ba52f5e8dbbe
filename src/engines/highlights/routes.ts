/** POST /video/assist/highlights: ranked, non-overlapping highlight ranges + a ready-to-render timeline. */
import { z } from 'zod';
import type { Services } from '../../media/services.js';
import type { RouteModule } from '../../route-spec.js';
import { highlightsForAsset } from './service.js';

const weight = z.number().min(0).max(100);

export const HighlightsBodySchema = z
  .object({
    asset_id: z.string().min(1).max(128),
    target_duration_ms: z.int().min(500).max(3_600_000),
    min_ms: z.int().min(200).max(600_000).optional(),
    max_ms: z.int().min(200).max(600_000).optional(),
    weights: z
      .object({ speech: weight, loudness: weight, peaks: weight, faces: weight, motion: weight })
      .partial()
      .strict()
      .optional(),
    faces: z.enum(['latest', 'analyze', 'none']).default('latest'),
    tenant_id: z.string().optional(),
    env: z.string().optional(),
  })
  .strict();

const RangeSchema = z.object({
  start_ms: z.int(),
  end_ms: z.int(),
  score: z.number(),
  reasons: z.array(z.string()),
});

export const HighlightsResponseSchema = z.object({
  artifact: z.looseObject({ id: z.string(), kind: z.literal('highlights') }),
  cached: z.boolean(),
  ranges: z.array(RangeSchema),
  total_ms: z.int(),
  timeline: z.looseObject({ tracks: z.array(z.unknown()) }),
  warnings: z.array(z.object({ code: z.string(), message: z.string(), path: z.string().optional() })),
});

export const highlightsRoutes: RouteModule<Pick<Services, 'assets' | 'artifacts'>> = (
  _app,
  { services, route },
) => {
  route({
    method: 'POST',
    url: '/video/assist/highlights',
    operationId: 'highlights',
    summary:
      'Rank phrase-aligned highlight windows by speech, loudness, peaks, faces and motion; pick non-overlapping ones up to a target duration (highlights artifact) and return a timeline of them.',
    tags: ['assist'],
    body: HighlightsBodySchema,
    responses: {
      200: { description: 'Highlights (cached by parameters)', schema: HighlightsResponseSchema },
    },
    errors: ['ASSET_NOT_FOUND', 'INVALID_PARAM', 'DECODE_FAILED'],
    handler: async ({ ctx, body }) => {
      const { tenant_id: _t, env: _e, ...input } = body;
      const r = await highlightsForAsset(services, ctx, input);
      return {
        artifact: r.artifact,
        cached: r.cached,
        ranges: r.highlights.ranges,
        total_ms: r.highlights.total_ms,
        timeline: r.timeline,
        warnings: r.warnings,
      };
    },
  });
};
