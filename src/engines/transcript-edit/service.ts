/**
 * POST /video/assist/transcript-edit and /video/assist/remove-silences behind the HTTP layer (and the CLI's
 * cut-words / trim-silence): read the artifacts, measure what needs measuring, and hand typed values to the
 * pure planners in src/plan/transcript-edit; the result is a new project whose one sequence renders with the
 * normal renderer, plus a derived transcript on the edit's clock.
 */
import type { RequestContext } from '../../context.js';
import { cutroomError, type Warning } from '../../errors.js';
import type { Services } from '../../media/services.js';
import { isRecogniserToken, transcriptWords } from '../../plan/captions/transcript.js';
import {
  findFillers,
  planSilenceRemoval,
  planWordCuts,
  SILENCE_PRESETS,
  type WordRange,
} from '../../plan/transcript-edit/index.js';
import { parseWith } from '../../timeline/validate.js';
import { analyzeAudioSemanticForAsset, type AudioSemanticTimeline } from '../audio-semantic/index.js';
import { readArtifactJson } from '../autocut/read-artifact-json.js';
import { DEFAULT_EDIT_FPS, type EditResult } from './edit-result.js';
import { finishEdit } from './finish-edit.js';
import { loadEditTranscript } from './load-transcript.js';
import { measureLevels } from './measure-levels.js';
import { rangesFromText } from './ranges-from-text.js';
import { removeSilencesSequence } from './remove-silences-sequence.js';
import { transcriptEditSequence } from './transcript-edit-sequence.js';
import {
  RemoveSilencesBodySchema,
  TranscriptEditBodySchema,
  type RemoveSilencesBody,
  type TranscriptEditBody,
} from './schemas.js';

export { DEFAULT_EDIT_FPS } from './edit-result.js';
export type { EditResult } from './edit-result.js';

type EditServices = Pick<Services, 'assets' | 'artifacts' | 'projects'>;

async function sourceOf(services: EditServices, ctx: RequestContext, assetId: string) {
  const asset = await services.assets.getAsset(ctx, assetId);
  const info = asset.media_info;
  if (!info.audio)
    throw cutroomError('VALIDATION_FAILED', `asset ${assetId} has no audio to edit by`, {
      issues: [{ path: 'asset_id', message: 'the asset has no audio stream' }],
    });
  const durationMs = info.video?.duration_ms ?? info.audio.duration_ms ?? info.duration_ms;
  return { asset, durationMs, hasVideo: info.video !== undefined && !info.video.still };
}

export async function transcriptEdit(
  services: EditServices,
  ctx: RequestContext,
  body: TranscriptEditBody,
  opts: { signal?: AbortSignal } = {},
): Promise<EditResult> {
  const input = parseWith(TranscriptEditBodySchema, body, 'transcript edit');
  if (input.asset_id === undefined) return transcriptEditSequence(services, ctx, input, opts);
  const { asset, durationMs, hasVideo } = await sourceOf(services, ctx, input.asset_id);
  const source = (await loadEditTranscript({
    services,
    ctx,
    assetId: asset.id,
    ...(input.transcript_artifact_id !== undefined ? { artifactId: input.transcript_artifact_id } : {}),
    path: 'transcript_artifact_id',
  }))!;
  const words = transcriptWords(source.transcript);
  if (words.length === 0)
    throw cutroomError('TRANSCRIPT_EDIT_INVALID', `transcript ${source.artifact.id} has no words to edit`, {
      issues: [{ path: 'transcript_artifact_id', message: 'the transcript has no words' }],
    });
  const fillers = findFillers({ words, extra: input.filler_words });
  let ranges: WordRange[] = input.remove ?? [];
  let rangesPath = 'remove';
  if (input.text !== undefined) {
    ranges = rangesFromText(words, input.text);
    rangesPath = 'text';
  }
  const envelope = await measureLevels({
    path: await services.assets.assetPath(ctx, asset.id),
    durationMs,
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  const fps = input.fps ?? DEFAULT_EDIT_FPS;
  const { plan, tight_cuts } = planWordCuts({
    words,
    durationMs,
    fps,
    ranges,
    rangesPath,
    ...(input.remove_fillers ? { fillers: fillers.map((f) => f.index) } : {}),
    envelope,
  });
  const warnings: Warning[] = [];
  if (tight_cuts > 0)
    warnings.push({
      code: 'EDIT_TIGHT_CUT',
      message: `${tight_cuts} cut(s) fell between words with less than a frame between them; the kept word stays whole and up to a frame of the removed one remains`,
      path: rangesPath,
    });
  if (input.remove_fillers && fillers.length === 0)
    warnings.push({ code: 'EDIT_NO_FILLERS', message: 'no filler words were found in the transcript', path: 'remove_fillers' });
  const done = await finishEdit({
    services,
    ctx,
    assetId: asset.id,
    hasVideo,
    plan,
    crossfadeMs: input.crossfade_ms,
    source,
    assist: 'transcript_edit',
    params: {
      ranges_from: rangesPath,
      remove_fillers: input.remove_fillers,
      filler_words: input.filler_words,
      crossfade_ms: input.crossfade_ms,
    },
    captions: input.captions,
    saveProject: input.save_project,
    projectName: input.project_name ?? 'transcript edit',
    fillerWords: input.filler_words,
  });
  return {
    timeline: done.timeline,
    project: done.project,
    transcript_artifact: done.transcript?.artifact ?? null,
    plan,
    fillers,
    warnings,
  };
}

export async function removeSilences(
  services: EditServices,
  ctx: RequestContext,
  body: RemoveSilencesBody,
  opts: { signal?: AbortSignal } = {},
): Promise<EditResult> {
  const input = parseWith(RemoveSilencesBodySchema, body, 'silence removal');
  if (input.asset_id === undefined) return removeSilencesSequence(services, ctx, input, opts);
  const { asset, durationMs, hasVideo } = await sourceOf(services, ctx, input.asset_id);
  const preset = SILENCE_PRESETS[input.preset];
  const minSilence = input.min_silence_ms ?? preset.min_silence_ms;
  const padding = input.padding_ms ?? preset.padding_ms;
  const warnings: Warning[] = [];
  if (2 * padding >= minSilence)
    warnings.push({
      code: 'EDIT_PADDING_TOO_LARGE',
      message: `padding_ms ${padding} on both sides leaves nothing of pauses shorter than ${2 * padding} ms; only longer ones shrink`,
      path: 'padding_ms',
    });
  const source =
    input.transcript_artifact_id === 'none'
      ? undefined
      : await loadEditTranscript({
          services,
          ctx,
          assetId: asset.id,
          ...(input.transcript_artifact_id !== undefined ? { artifactId: input.transcript_artifact_id } : {}),
          path: 'transcript_artifact_id',
          optional: true,
        });
  const semantic = await analyzeAudioSemanticForAsset({
    services,
    ctx,
    assetId: asset.id,
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  if (semantic.artifact.meta.stub === true)
    warnings.push({
      code: 'EDIT_SPEECH_STUB',
      message: 'speech windows come from the energy stub (no Silero VAD model): any sound counts as speech',
      path: 'asset_id',
    });
  const audio = (
    await readArtifactJson<AudioSemanticTimeline>({
      artifacts: services.artifacts,
      ctx,
      artifact: semantic.artifact,
      kind: 'audio_semantic_timeline',
      path: 'asset_id',
    })
  ).value;
  // Recogniser tokens are sounds, not words: they do not stop a pause from being shortened.
  const allWords = source ? transcriptWords(source.transcript) : undefined;
  const words = allWords?.filter((w) => !isRecogniserToken(w.word));
  const fps = input.fps ?? DEFAULT_EDIT_FPS;
  const envelope = await measureLevels({
    path: await services.assets.assetPath(ctx, asset.id),
    durationMs,
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  const r = planSilenceRemoval({
    envelope,
    speech: audio.windows.filter((w) => w.kind === 'speech'),
    durationMs,
    fps,
    min_silence_ms: minSilence,
    padding_ms: padding,
    ...(words ? { words } : {}),
  });
  if (!source)
    warnings.push({
      code: 'EDIT_WORDS_UNCHECKED',
      message: 'no transcript of this asset: cuts follow the speech windows only and are not checked against word timings',
      path: 'transcript_artifact_id',
    });
  const done = await finishEdit({
    services,
    ctx,
    assetId: asset.id,
    hasVideo,
    plan: r.plan,
    crossfadeMs: input.crossfade_ms,
    ...(source ? { source } : {}),
    assist: 'remove_silences',
    params: {
      preset: input.preset,
      min_silence_ms: minSilence,
      padding_ms: padding,
      crossfade_ms: input.crossfade_ms,
      audio_semantic_artifact_id: semantic.artifact.id,
      words_protected: r.words_protected,
    },
    captions: input.captions,
    saveProject: input.save_project,
    projectName: input.project_name ?? 'silences removed',
  });
  return {
    timeline: done.timeline,
    project: done.project,
    transcript_artifact: done.transcript?.artifact ?? null,
    plan: r.plan,
    fillers: allWords ? findFillers({ words: allWords }) : [],
    warnings,
  };
}
