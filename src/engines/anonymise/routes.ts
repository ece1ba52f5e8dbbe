/** POST /video/anonymise/faces: the asset with every tracked face hidden, as an anonymised_video artifact. */
import { z } from 'zod';
import type { Services } from '../../media/services.js';
import type { RouteModule } from '../../route-spec.js';
import { EngineArtifactSchema, RegionNameSchema, WarningSchema } from '../regions/route-schemas.js';
import { ANONYMISE_METHODS, ANONYMISE_STRENGTHS } from './effect-filter.js';
import { anonymiseFaces } from './service.js';

export type AnonymiseRouteServices = Pick<Services, 'assets' | 'artifacts'>;

const AnonymiseBodySchema = z.object({
  asset_id: z.string().min(1).max(128),
  summary_id: z
    .string()
    .min(1)
    .max(128)
    .optional()
    .describe('A video_region_summary of the asset; default the newest one (made if there is none)'),
  method: z
    .enum(ANONYMISE_METHODS as unknown as ['blur', 'pixelate', 'box'])
    .optional()
    .describe('Default blur'),
  strength: z
    .enum(ANONYMISE_STRENGTHS as unknown as ['light', 'medium', 'strong'])
    .optional()
    .describe('Default medium; scales with the largest face'),
  include_regions: z.array(RegionNameSchema).min(1).max(3).optional().describe("Default ['face']"),
});

const AnonymiseResponseSchema = z.object({
  artifact: EngineArtifactSchema.describe(
    'anonymised_video; meta.skipped = true (and no content) when the summary has no face: use the source',
  ),
  cached: z.boolean(),
  summary_id: z.string(),
  warnings: z.array(WarningSchema),
});

export const anonymiseRoutes: RouteModule<AnonymiseRouteServices> = (_app, { services, route }) => {
  route({
    method: 'POST',
    url: '/video/anonymise/faces',
    operationId: 'anonymiseFaces',
    summary:
      'Blur, pixelate or box every tracked face on every frame (feathered edges, one ffmpeg pass, audio copied), using the given or latest region summary.',
    tags: ['anonymise'],
    body: AnonymiseBodySchema,
    responses: { 200: { description: 'The anonymised_video artifact', schema: AnonymiseResponseSchema } },
    errors: [
      'ASSET_NOT_FOUND',
      'ARTIFACT_NOT_FOUND',
      'INVALID_PARAM',
      'UNSUPPORTED_MEDIA',
      'DECODE_FAILED',
      'RENDER_FAILED',
    ],
    handler: async ({ ctx, body }) => anonymiseFaces(services, ctx, body),
  });
};
