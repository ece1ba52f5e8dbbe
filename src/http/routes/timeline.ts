import { checkTimelines } from '../check-timelines.js';
import { TimelineDocSchema, ValidateTimelineResponseSchema } from '../schemas.js';
import type { HttpServices } from '../services.js';
import type { RouteModule } from '../types.js';

export const timelineRoutes: RouteModule<HttpServices> = (_app, { services, route }) => {
  route({
    method: 'POST',
    url: '/video/timeline/validate',
    operationId: 'validateTimeline',
    summary:
      'Validate a timeline document (schema, consistency, asset references) without storing it. Invalid documents get 400/422/404 with every issue in details.issues.',
    tags: ['timeline'],
    body: TimelineDocSchema,
    responses: { 200: { description: 'The document is valid', schema: ValidateTimelineResponseSchema } },
    errors: ['TIMELINE_INVALID', 'ASSET_NOT_FOUND', 'PAYLOAD_TOO_LARGE'],
    handler: async ({ ctx, body }) => {
      await checkTimelines({
        ctx,
        assets: services.assets,
        timelines: [{ timeline: body, prefix: '' }],
        part: 'body',
      });
      return { valid: true, issues: [] };
    },
  });
};
