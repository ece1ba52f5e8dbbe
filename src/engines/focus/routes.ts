/** POST /video/focus/automation: reframe keyframes (9:16, 1:1, 4:5) → focus_automation (+ a timeline for a canvas). */
import { z } from 'zod';
import type { Services } from '../../media/services.js';
import { getProfile } from '../../plan/profiles.js';
import type { RouteModule } from '../../route-spec.js';
import { parseTimeline } from '../../timeline/index.js';
import { focusTimeline } from './focus-timeline.js';
import { FOCUS_ASPECTS, focusAutomation } from './service.js';

export const FocusAutomationBodySchema = z
  .object({
    asset_id: z.string().min(1).max(128),
    aspect: z.enum(FOCUS_ASPECTS),
    faces: z.enum(['latest', 'analyze', 'none']).default('analyze'),
    dead_zone: z.number().min(0).max(0.5).optional(),
    smoothing_ms: z.int().min(0).max(10_000).optional(),
    /** When given, also return a timeline placing the reframed clip on this profile's canvas. */
    profile: z.string().min(1).max(64).optional(),
    tenant_id: z.string().optional(),
    env: z.string().optional(),
  })
  .strict();

export const FocusAutomationResponseSchema = z.object({
  artifact: z.looseObject({ id: z.string(), kind: z.literal('focus_automation') }),
  cached: z.boolean(),
  focus: z.looseObject({
    crop: z.object({ width: z.number(), height: z.number() }),
    keyframes: z.array(
      z.object({ t_ms: z.int(), center_x: z.number(), center_y: z.number(), easing: z.string() }),
    ),
    shots: z.array(
      z.object({ start_ms: z.int(), end_ms: z.int(), strategy: z.enum(['stationary', 'pan', 'track']) }),
    ),
    subject_source: z.enum(['faces', 'visual_meta', 'centre']),
  }),
  timeline: z.looseObject({ tracks: z.array(z.unknown()) }).optional(),
  warnings: z.array(z.object({ code: z.string(), message: z.string(), path: z.string().optional() })),
});

export const focusRoutes: RouteModule<Pick<Services, 'assets' | 'artifacts'>> = (
  _app,
  { services, route },
) => {
  route({
    method: 'POST',
    url: '/video/focus/automation',
    operationId: 'focusAutomation',
    summary:
      'Auto-reframe: per shot a stationary, panning or tracking crop of the target aspect that keeps the main face (else the visual subject) in frame, as focus_automation keyframes; optionally a timeline on a profile canvas.',
    tags: ['focus', 'assist'],
    body: FocusAutomationBodySchema,
    responses: { 200: { description: 'Reframe keyframes (cached)', schema: FocusAutomationResponseSchema } },
    errors: ['ASSET_NOT_FOUND', 'INVALID_PARAM', 'UNKNOWN_PROFILE', 'DECODE_FAILED'],
    handler: async ({ ctx, body }) => {
      const { tenant_id: _t, env: _e, profile, ...input } = body;
      const canvas = profile ? getProfile(profile) : undefined;
      const r = await focusAutomation(services, ctx, input);
      const asset = await services.assets.getAsset(ctx, input.asset_id);
      return {
        artifact: r.artifact,
        cached: r.cached,
        focus: r.focus,
        ...(canvas
          ? {
              timeline: parseTimeline(
                focusTimeline({
                  assetId: asset.id,
                  plan: r.focus,
                  canvas,
                  durationMs: Math.round(asset.media_info.duration_ms ?? 0),
                }),
              ),
            }
          : {}),
        warnings: r.warnings,
      };
    },
  });
};
