/**
 * Stabilisation over HTTP: POST /video/stabilise/analyze runs vid.stab's detection pass over an asset and
 * returns the stabilise_transforms artifact (cached: asking twice returns the stored one). Renders pick it up
 * for clips with `stabilise` set.
 */
import { z } from 'zod';
import { ArtifactResponseSchema } from '../../response-schemas.js';
import type { Services } from '../../media/services.js';
import type { RouteModule } from '../../route-spec.js';
import { analyzeStabilise } from './service.js';

export type StabiliseRouteServices = Pick<Services, 'assets' | 'artifacts'>;

const AnalyzeBodySchema = z.object({
  asset_id: z.string().min(1).max(128),
  shakiness: z.int().optional().describe('1 (little shake) .. 10 (a lot); default 5'),
  accuracy: z.int().optional().describe('1..15, number of measurement fields; default 15'),
  stepsize: z.int().optional().describe('Search step in pixels, 1..32; default 6'),
  mincontrast: z.number().optional().describe('Ignore fields below this contrast, 0..1; default 0.25'),
  tripod: z
    .boolean()
    .optional()
    .describe('Measure against the first frame, for clips with stabilise.tripod; default false'),
});

const AnalyzeResponseSchema = z.object({ artifact: ArtifactResponseSchema, cached: z.boolean() });

export const stabiliseRoutes: RouteModule<StabiliseRouteServices> = (_app, { services, route }) => {
  route({
    method: 'POST',
    url: '/video/stabilise/analyze',
    operationId: 'analyzeStabilise',
    summary:
      "Camera-shake analysis of an asset (vid.stab's vidstabdetect): a stabilise_transforms artifact, cached on the asset and parameters.",
    tags: ['stabilise'],
    body: AnalyzeBodySchema,
    responses: { 200: { description: 'The transforms artifact', schema: AnalyzeResponseSchema } },
    errors: ['ASSET_NOT_FOUND', 'INVALID_PARAM', 'UNSUPPORTED_MEDIA', 'DEPENDENCY_MISSING', 'RENDER_FAILED'],
    handler: async ({ ctx, body }) => analyzeStabilise(services, ctx, body),
  });
};
