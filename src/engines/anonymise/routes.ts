/** POST /video/anonymise/faces: the asset with every tracked face hidden, as an anonymised_video artifact. */
import { createReadStream } from 'node:fs';
import { extname, parse } from 'node:path';
import { z } from 'zod';
import type { RequestContext } from '../../context.js';
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
  as_asset: z
    .boolean()
    .optional()
    .describe(
      'Also register the anonymised video as an asset of its own (named "<source> (faces hidden)"), so a timeline clip can use it; no face: the source asset',
    ),
});

const AnonymiseResponseSchema = z.object({
  artifact: EngineArtifactSchema.describe(
    'anonymised_video; meta.skipped = true (and no content) when the summary has no face: use the source',
  ),
  cached: z.boolean(),
  summary_id: z.string(),
  warnings: z.array(WarningSchema),
  asset_id: z.string().optional().describe('With as_asset: the asset to put on the timeline in place of the source'),
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
    handler: async ({ ctx, body }) => {
      const { as_asset: asAsset, ...input } = body;
      const result = await anonymiseFaces(services, ctx, input);
      if (!asAsset) return result;
      return { ...result, asset_id: await assetIdOf(services, ctx, body.asset_id, result.artifact) };
    },
  });
};

/**
 * The anonymised video as an asset, so it can be a clip's source like any upload. Registered from the
 * artifact's bytes: the same artifact gives the same asset (content-addressed), so asking twice adds nothing.
 */
async function assetIdOf(
  services: AnonymiseRouteServices,
  ctx: RequestContext,
  sourceId: string,
  artifact: { id: string; meta: Record<string, unknown> },
): Promise<string> {
  const source = await services.assets.getAsset(ctx, sourceId);
  if (artifact.meta.skipped === true) return source.id;
  const path = await services.artifacts.artifactPath(ctx, artifact.id);
  const { asset } = await services.assets.registerAsset(ctx, {
    source: {
      stream: createReadStream(path),
      filename: `${parse(source.original_filename).name} (faces hidden)${extname(path) || '.mp4'}`,
    },
    // The source was admitted and blurring does not grow it much; its own size limit must not refuse it.
    maxBytes: Number.MAX_SAFE_INTEGER,
  });
  return asset.id;
}
