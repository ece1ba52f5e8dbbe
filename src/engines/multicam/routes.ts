/** POST /video/multicam/align: 2–4 of the caller's recordings → offsets, drift and confidence per camera. */
import { z } from 'zod';
import type { Services } from '../../media/services.js';
import type { RouteModule } from '../../route-spec.js';
import { alignMulticam } from './service.js';

export const AlignMulticamBodySchema = z
  .object({
    asset_ids: z.array(z.string().min(1).max(100)).min(2).max(4),
    reference_asset_id: z.string().min(1).max(100).optional(),
    search_window_ms: z.int().min(500).max(60000).optional(),
    max_offset_ms: z.int().min(0).max(86_400_000).optional(),
    correct_drift: z.boolean().optional(),
    // Checked against the API key before validation (TENANT_MISMATCH); accepted here so clients may echo them.
    tenant_id: z.string().optional(),
    env: z.string().optional(),
  })
  .strict();

const PairSchema = z.looseObject({
  asset_id: z.string(),
  offset_ms: z.int(),
  offset_us: z.int(),
  confidence: z.number(),
  psr: z.number(),
  status: z.enum(['ok', 'SYNC_UNRELIABLE']),
  method: z.enum(['audio', 'timecode']),
  drift_ppm: z.number(),
  reason: z.string().optional(),
});

export const AlignMulticamResponseSchema = z.object({
  artifact: z.looseObject({ id: z.string(), kind: z.literal('multicam_alignment') }),
  alignment: z.object({ reference_asset_id: z.string(), pairs: z.array(PairSchema) }),
  cached: z.boolean(),
  warnings: z.array(z.object({ code: z.string(), message: z.string(), path: z.string().optional() })),
});

export const multicamRoutes: RouteModule<Pick<Services, 'assets' | 'artifacts'>> = (
  _app,
  { services, route },
) => {
  route({
    method: 'POST',
    url: '/video/multicam/align',
    operationId: 'alignMulticam',
    summary:
      'Align 2–4 recordings to a reference (container timecode, else GCC-PHAT on the audio): offset, clock drift and confidence per camera, stored as a multicam_alignment artifact.',
    tags: ['multicam'],
    body: AlignMulticamBodySchema,
    responses: {
      200: { description: 'The alignment (cached when asked before)', schema: AlignMulticamResponseSchema },
    },
    errors: ['ASSET_NOT_FOUND', 'INVALID_PARAM', 'DECODE_FAILED'],
    handler: async ({ ctx, body }) => {
      const { tenant_id: _t, env: _e, ...input } = body;
      const result = await alignMulticam(services, ctx, input);
      return {
        artifact: result.artifact,
        alignment: result.alignment,
        cached: result.cached,
        warnings: result.warnings,
      };
    },
  });
};
