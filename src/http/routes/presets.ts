/**
 * GET /video/presets: transitions, filters (with their param descriptors), style and motion presets, text
 * animations and positions, caption styles and render profiles — served from the same descriptors the compiler
 * uses, so a client can build its UI from it and everything listed renders.
 */
import { z } from 'zod';
import { listPresets } from '../../plan/presets.js';
import type { HttpServices } from '../services.js';
import type { RouteModule } from '../types.js';

const PresetsResponseSchema = z.looseObject({
  transitions: z.array(z.looseObject({ id: z.string() })),
  filters: z.array(z.looseObject({ type: z.string() })),
  style_presets: z.array(z.looseObject({ id: z.string() })),
  profiles: z.array(z.looseObject({ id: z.string() })),
});

export const presetsRoutes: RouteModule<HttpServices> = (_app, { route }) => {
  route({
    method: 'GET',
    url: '/video/presets',
    operationId: 'listPresets',
    summary:
      'The effects catalog as data: transitions, filters, style/motion presets, text animations, caption styles, profiles',
    tags: ['render'],
    responses: { 200: { description: 'The catalog', schema: PresetsResponseSchema } },
    handler: async () => listPresets(),
  });
};
