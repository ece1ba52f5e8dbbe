/** POST /video/audio-semantic/analyze: speech/music/silence windows, loudness and peaks -> audio_semantic_timeline. */
import { z } from 'zod';
import type { Services } from '../../media/services.js';
import type { RouteModule } from '../../route-spec.js';
import { analyzeAudioSemanticForAsset } from './service.js';

const AudioSemanticRequestSchema = z.object({
  asset_id: z.string().min(1).max(128),
  loudness_step_ms: z.int().min(10).max(10_000).default(100),
});

export const audioSemanticRoutes: RouteModule<Services> = (_app, { services, route }) => {
  route({
    method: 'POST',
    url: '/video/audio-semantic/analyze',
    operationId: 'analyzeAudioSemantic',
    summary:
      'Speech (Silero VAD), music and silence windows with confidence, momentary/short-term loudness and peaks',
    tags: ['analysis'],
    body: AudioSemanticRequestSchema,
    responses: { 200: { description: 'The audio_semantic_timeline artifact' } },
    errors: ['ASSET_NOT_FOUND', 'INVALID_PARAM', 'UNSUPPORTED_MEDIA', 'DECODE_FAILED'],
    handler: async ({ ctx, body }) => {
      const result = await analyzeAudioSemanticForAsset({
        services,
        ctx,
        assetId: body.asset_id,
        loudnessStepMs: body.loudness_step_ms,
      });
      return { artifact: result.artifact, cached: result.cached, warnings: result.warnings };
    },
  });
};
