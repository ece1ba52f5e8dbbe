import { z } from 'zod';
import type { Services } from '../../media/services.js';
import { WarningResponseSchema } from '../../response-schemas.js';
import { validateForRender } from '../../render/validate-for-render.js';
import { TimelineDocSchema, ValidationIssueSchema } from '../schemas.js';
import type { HttpServices } from '../services.js';
import type { RouteModule } from '../types.js';

/** A render request's timeline part, as sent to POST /video/render: validated exactly as that route would. */
const ValidateRenderRequestSchema = z
  .object({
    timeline: TimelineDocSchema,
    profile: z.string().min(1).max(64).optional(),
    range: z.object({ start_ms: z.int().min(0), duration_ms: z.int().min(1) }).optional(),
    output: z.string().max(128).optional(),
  })
  .meta({ id: 'ValidateRenderRequest' });

const ValidateBodySchema = z.union([TimelineDocSchema, ValidateRenderRequestSchema]);

const ValidateResponseSchema = z.object({
  valid: z.literal(true),
  issues: z.array(ValidationIssueSchema),
  warnings: z.array(WarningResponseSchema),
});

function isWrapper(raw: unknown): boolean {
  return typeof raw === 'object' && raw !== null && 'timeline' in raw;
}

export const timelineRoutes: RouteModule<HttpServices> = (_app, { services, route }) => {
  route({
    method: 'POST',
    url: '/video/timeline/validate',
    operationId: 'validateTimeline',
    summary:
      'Validate a timeline, or a render request {"timeline": …}, exactly as the render would (schema, unknown keys, consistency, asset ids of this tenant, transition/filter catalogs and param ranges, fonts), without storing or rendering. Invalid documents get 400/404/422 with every issue in details.issues; paths are paths inside the body sent (`tracks[1]…` for a timeline, `timeline.tracks[1]…` for a render request). Missing analysis artifacts are warnings.',
    tags: ['timeline'],
    body: ValidateBodySchema,
    bodyFor: (raw) => (isWrapper(raw) ? ValidateRenderRequestSchema : TimelineDocSchema),
    responses: { 200: { description: 'The document is valid', schema: ValidateResponseSchema } },
    errors: [
      'TIMELINE_INVALID',
      'ASSET_NOT_FOUND',
      'UNKNOWN_PROFILE',
      'UNKNOWN_TRANSITION',
      'UNKNOWN_MOTION_PRESET',
      'UNKNOWN_FILTER',
      'INVALID_PARAM',
      'FONT_NOT_FOUND',
      'PAYLOAD_TOO_LARGE',
    ],
    handler: async ({ ctx, body, warnings: parseWarnings }) => {
      const wrapped = 'timeline' in body ? (body as z.output<typeof ValidateRenderRequestSchema>) : undefined;
      const { warnings } = await validateForRender({
        // The app is always composed from createServices() (cutroom serve, the tests); the narrower HttpServices
        // type only lets the core routes be typed without the render layer's whole surface.
        services: services as unknown as Services,
        ctx,
        timeline: wrapped ? wrapped.timeline : (body as z.output<typeof TimelineDocSchema>),
        pathPrefix: wrapped ? 'timeline.' : '',
        part: 'body',
        ...(wrapped?.profile ? { profile: wrapped.profile } : {}),
        ...(wrapped?.range ? { range: wrapped.range } : {}),
      });
      return { valid: true, issues: [], warnings: [...(parseWarnings ?? []), ...warnings] };
    },
  });
};
