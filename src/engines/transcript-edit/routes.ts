/** POST /video/assist/transcript-edit and /video/assist/remove-silences: edit by words or pauses -> new timeline. */
import type { Services } from '../../media/services.js';
import type { RouteModule } from '../../route-spec.js';
import { EditResponseSchema, RemoveSilencesBodySchema, TranscriptEditBodySchema } from './schemas.js';
import { removeSilences, transcriptEdit, type EditResult } from './service.js';

function response(r: EditResult) {
  // Sequence edits name the clip and source times of each removed range in the timeline meta.
  const metaRemoved = (r.timeline.meta as { removed?: Array<{ sources?: unknown }> } | undefined)?.removed;
  const sources = metaRemoved?.every((m) => Array.isArray(m.sources)) ? metaRemoved.map((m) => m.sources as never) : undefined;
  return {
    timeline: r.timeline,
    project: r.project,
    transcript_artifact: r.transcript_artifact,
    removed: r.plan.removed.map((x, i) => ({
      start_ms: x.start_ms,
      end_ms: x.end_ms,
      reason: x.reason,
      ...(x.words ? { words: x.words } : {}),
      ...(x.pause ? { pause: x.pause } : {}),
      ...(sources ? { sources: sources[i] } : {}),
    })),
    time_saved_ms: r.plan.time_saved_ms,
    output_duration_ms: r.plan.output_duration_ms,
    source_duration_ms: r.plan.source_duration_ms,
    fillers: r.fillers,
    warnings: r.warnings,
  };
}

export const transcriptEditRoutes: RouteModule<Pick<Services, 'assets' | 'artifacts' | 'projects'>> = (
  _app,
  { services, route },
) => {
  route({
    method: 'POST',
    url: '/video/assist/transcript-edit',
    operationId: 'transcriptEdit',
    summary:
      'Cut words out of a recording by word index ranges or by its edited transcript text (optionally its filler words): cuts on the quietest frame of each word gap, a short audio crossfade at every join; returns a new timeline (saved as a project) and its derived transcript.',
    tags: ['assist'],
    body: TranscriptEditBodySchema,
    responses: { 200: { description: 'The edited timeline', schema: EditResponseSchema } },
    errors: [
      'ASSET_NOT_FOUND',
      'ARTIFACT_NOT_FOUND',
      'INVALID_PARAM',
      'TRANSCRIPT_EDIT_INVALID',
      'EDIT_REMOVES_EVERYTHING',
      'TRANSCRIPT_ASSET_MISMATCH',
      'TRANSCRIPT_STUB_REFUSED',
      'DECODE_FAILED',
      'EDIT_SEQUENCE_INVALID',
      'PROJECT_NOT_FOUND',
    ],
    handler: async ({ ctx, body }) => response(await transcriptEdit(services, ctx, body)),
  });
  route({
    method: 'POST',
    url: '/video/assist/remove-silences',
    operationId: 'removeSilences',
    summary:
      'Shorten pauses longer than a threshold (presets natural / tight / jumpcut), keeping padding next to speech; never clips a word of the transcript. Returns a new timeline (saved as a project), the removed ranges and the time saved.',
    tags: ['assist'],
    body: RemoveSilencesBodySchema,
    responses: { 200: { description: 'The edited timeline', schema: EditResponseSchema } },
    errors: [
      'ASSET_NOT_FOUND',
      'ARTIFACT_NOT_FOUND',
      'INVALID_PARAM',
      'EDIT_REMOVES_EVERYTHING',
      'TRANSCRIPT_ASSET_MISMATCH',
      'TRANSCRIPT_STUB_REFUSED',
      'DECODE_FAILED',
      'EDIT_SEQUENCE_INVALID',
      'PROJECT_NOT_FOUND',
    ],
    handler: async ({ ctx, body }) => response(await removeSilences(services, ctx, body)),
  });
};
