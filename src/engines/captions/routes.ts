/**
 * HTTP routes of the captions engine (mounted by the lead with buildApp({ extraRoutes: [captionsRoutes] })):
 * POST /video/captions/generate → asr_transcript artifact; GET /video/captions/:artifact_id/srt | /vtt.
 */
import { z } from 'zod';
import { ArtifactResponseSchema, WarningResponseSchema } from '../../response-schemas.js';
import type { Services } from '../../media/services.js';
import type { RouteModule } from '../../route-spec.js';
import { captionCuesOf, writeSrt, writeVtt } from './lines.js';
import { generateCaptions, MAX_SCRIPT_CHARS, readTranscript } from './service.js';

const GenerateCaptionsBodySchema = z.object({
  asset_id: z.string().min(1).max(100),
  language: z
    .string()
    .min(2)
    .max(35)
    .optional()
    .describe(
      "BCP-47 tag (default en-US), or 'auto': whisper detects it; pocketsphinx is English-only and warns",
    ),
  text: z.string().max(MAX_SCRIPT_CHARS).optional(),
});

const WarningSchema = WarningResponseSchema;

const GenerateCaptionsResponseSchema = z.object({
  artifact: ArtifactResponseSchema,
  cached: z.boolean(),
  warnings: z.array(WarningSchema),
});

const ArtifactIdParamsSchema = z.object({ artifact_id: z.string().min(1).max(100) });

export const captionsRoutes: RouteModule<Services> = (_app, { services, route }) => {
  route({
    method: 'POST',
    url: '/video/captions/generate',
    operationId: 'generateCaptions',
    summary:
      'Speech of an asset as an asr_transcript artifact (words with times); with `text` the known script is force-aligned instead of recognised. Cached per asset content, language, script and backend version.',
    tags: ['captions'],
    body: GenerateCaptionsBodySchema,
    responses: { 200: { description: 'The transcript artifact', schema: GenerateCaptionsResponseSchema } },
    errors: [
      'ASSET_NOT_FOUND',
      'DECODE_FAILED',
      'CAPTIONS_ASR_FAILED',
      'CAPTIONS_MODEL_INVALID',
      'CAPTIONS_BACKEND_UNKNOWN',
      'DEPENDENCY_MISSING',
    ],
    handler: async ({ ctx, body, request }) => {
      const abort = new AbortController();
      // A client that hangs up should not keep pocketsphinx running.
      const onClose = () => abort.abort(new Error('client closed the connection'));
      request.raw.socket?.once('close', onClose);
      try {
        return await generateCaptions(services, ctx, body, { signal: abort.signal });
      } finally {
        request.raw.socket?.off('close', onClose);
      }
    },
  });

  for (const format of ['srt', 'vtt'] as const) {
    route({
      method: 'GET',
      url: `/video/captions/:artifact_id/${format}`,
      operationId: format === 'srt' ? 'getCaptionsSrt' : 'getCaptionsVtt',
      summary: `An asr_transcript as ${format === 'srt' ? 'SubRip' : 'WebVTT'} captions (≤ 42 characters per line, ≤ 2 lines, 1–7 s each).`,
      tags: ['captions'],
      params: ArtifactIdParamsSchema,
      responses: {
        200: {
          description: format === 'srt' ? 'SubRip text' : 'WebVTT text',
          contentType: format === 'srt' ? 'text/plain; charset=utf-8' : 'text/vtt; charset=utf-8',
        },
      },
      errors: ['ARTIFACT_NOT_FOUND'],
      handler: async ({ ctx, params, reply }) => {
        const { transcript } = await readTranscript(services, ctx, params.artifact_id);
        const cues = captionCuesOf({ transcript });
        reply.header(
          'content-type',
          format === 'srt' ? 'text/plain; charset=utf-8' : 'text/vtt; charset=utf-8',
        );
        return reply.send(format === 'srt' ? writeSrt(cues) : writeVtt(cues));
      },
    });
  }
};
