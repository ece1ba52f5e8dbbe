/** POST /video/multicam/auto-cut: aligned cameras + speech/faces/motion → a renderable timeline (and project). */
import { z } from 'zod';
import { WarningResponseSchema } from '../../response-schemas.js';
import type { Services } from '../../media/services.js';
import type { RouteModule } from '../../route-spec.js';
import { autoCut } from './service.js';

const id = z.string().min(1).max(128);
const weight = z.number().min(0).max(100);

export const AutoCutBodySchema = z
  .object({
    asset_ids: z.array(id).min(2).max(4),
    alignment_artifact_id: id.optional(),
    offsets_ms: z.record(z.string(), z.int().min(-86_400_000).max(86_400_000)).optional(),
    pacing: z.enum(['fast', 'medium', 'slow']).default('medium'),
    wide_asset_id: id.optional(),
    audio_asset_id: id.optional(),
    weights: z
      .object({
        speaker: weight,
        visual_speech: z.number().min(0).max(1),
        faces: weight,
        motion: weight,
        wide_in_silence: weight,
        pause_cut: weight,
        length: weight,
      })
      .partial()
      .strict()
      .optional(),
    faces: z.enum(['latest', 'analyze', 'none']).default('latest'),
    visual_speech: z.boolean().default(true),
    save_project: z.boolean().default(true),
    project_name: z.string().min(1).max(200).optional(),
    tenant_id: z.string().optional(),
    env: z.string().optional(),
  })
  .strict();

const WarningSchema = WarningResponseSchema;

export const AutoCutResponseSchema = z.object({
  timeline: z.looseObject({ tracks: z.array(z.unknown()) }),
  project: z.object({ id: z.string(), version: z.int() }).nullable(),
  shots: z.array(
    z.object({
      asset_id: z.string(),
      start_ms: z.int(),
      end_ms: z.int(),
      in_ms: z.int(),
      score: z.number(),
      cut_in_pause: z.boolean(),
    }),
  ),
  inputs_used: z.record(z.string(), z.record(z.string(), z.string())),
  warnings: z.array(WarningSchema),
});

export const autoCutRoutes: RouteModule<Pick<Services, 'assets' | 'artifacts' | 'projects'>> = (
  _app,
  { services, route },
) => {
  route({
    method: 'POST',
    url: '/video/multicam/auto-cut',
    operationId: 'autoCutMulticam',
    summary:
      'Cut 2–4 aligned cameras into one timeline: active speaker (loudness per camera, outvoted by visible mouth movement of tracked faces), faces and motion scored on a common clock, shot lengths by pacing, cuts snapped to pauses; saved as a new project.',
    tags: ['multicam', 'assist'],
    body: AutoCutBodySchema,
    responses: { 200: { description: 'The auto-cut timeline', schema: AutoCutResponseSchema } },
    errors: ['ASSET_NOT_FOUND', 'ARTIFACT_NOT_FOUND', 'INVALID_PARAM', 'DECODE_FAILED'],
    handler: async ({ ctx, body }) => {
      const { tenant_id: _t, env: _e, ...input } = body;
      const r = await autoCut(services, ctx, input);
      return {
        timeline: r.timeline,
        project: r.project,
        shots: r.plan.shots,
        inputs_used: r.inputs_used,
        warnings: r.warnings,
      };
    },
  });
};
