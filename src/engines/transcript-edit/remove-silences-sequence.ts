/**
 * Silence removal on a sequence: each clip's speech windows (its asset's audio_semantic_timeline) and words
 * (its transcript, when it has one) on the sequence clock; gaps between clips count as silence. Planned as for
 * one asset, mapped back into the clips' source ranges.
 */
import type { RequestContext } from '../../context.js';
import type { Warning } from '../../errors.js';
import type { Services } from '../../media/services.js';
import { isRecogniserToken, transcriptWords } from '../../plan/captions/transcript.js';
import { findFillers, planSilenceRemoval, SILENCE_PRESETS, sequenceSource } from '../../plan/transcript-edit/index.js';
import { analyzeAudioSemanticForAsset, type AudioSemanticTimeline } from '../audio-semantic/index.js';
import { readArtifactJson } from '../autocut/read-artifact-json.js';
import { DEFAULT_EDIT_FPS, type EditResult } from './edit-result.js';
import { finishSequenceEdit } from './finish-sequence-edit.js';
import { loadEditSequence } from './load-sequence.js';
import { LEVEL_STEP_MS } from './measure-levels.js';
import type { RemoveSilencesInput } from './schemas.js';

export async function removeSilencesSequence(
  services: Pick<Services, 'assets' | 'artifacts' | 'projects'>,
  ctx: RequestContext,
  input: RemoveSilencesInput,
  opts: { signal?: AbortSignal } = {},
): Promise<EditResult> {
  const preset = SILENCE_PRESETS[input.preset];
  const minSilence = input.min_silence_ms ?? preset.min_silence_ms;
  const padding = input.padding_ms ?? preset.padding_ms;
  const sequence = await loadEditSequence({
    services,
    ctx,
    body: input,
    transcripts: input.transcript_artifact_id === 'none' ? 'none' : 'optional',
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  const warnings: Warning[] = [...sequence.warnings];
  if (2 * padding >= minSilence)
    warnings.push({
      code: 'EDIT_PADDING_TOO_LARGE',
      message: `padding_ms ${padding} on both sides leaves nothing of pauses shorter than ${2 * padding} ms; only longer ones shrink`,
      path: 'padding_ms',
    });
  const semantic = new Map<string, { id: string; windows: AudioSemanticTimeline['windows']; stub: boolean }>();
  for (const c of sequence.clips) {
    if (!semantic.has(c.asset_id)) {
      const { artifact } = await analyzeAudioSemanticForAsset({
        services,
        ctx,
        assetId: c.asset_id,
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
      const audio = (
        await readArtifactJson<AudioSemanticTimeline>({
          artifacts: services.artifacts,
          ctx,
          artifact,
          kind: 'audio_semantic_timeline',
          path: `${c.path}.asset_id`,
        })
      ).value;
      semantic.set(c.asset_id, { id: artifact.id, windows: audio.windows, stub: artifact.meta.stub === true });
    }
    const s = semantic.get(c.asset_id)!;
    c.speech = s.windows.filter((w) => w.kind === 'speech');
    if (s.stub)
      warnings.push({
        code: 'EDIT_SPEECH_STUB',
        message: `speech windows of asset ${c.asset_id} come from the energy stub (no Silero VAD model): any sound counts as speech`,
        path: `${c.path}.asset_id`,
      });
    if (!c.transcript)
      warnings.push({
        code: 'EDIT_WORDS_UNCHECKED',
        message: `clip ${c.clip_id} has no transcript: its cuts follow the speech windows only and are not checked against word timings`,
        path: `transcripts.${c.clip_id}`,
      });
  }
  const source = sequenceSource({ clips: sequence.clips, step_ms: LEVEL_STEP_MS });
  const allWords = transcriptWords(source.transcript);
  const words = allWords.filter((w) => !isRecogniserToken(w.word));
  const fps = input.fps ?? DEFAULT_EDIT_FPS;
  const r = planSilenceRemoval({
    envelope: source.envelope,
    speech: source.speech,
    durationMs: source.duration_ms,
    fps,
    min_silence_ms: minSilence,
    padding_ms: padding,
    words,
  });
  const done = await finishSequenceEdit({
    services,
    ctx,
    sequence,
    ...(allWords.length > 0 ? { transcript: source.transcript } : {}),
    plan: r.plan,
    crossfadeMs: input.crossfade_ms,
    assist: 'remove_silences',
    params: {
      preset: input.preset,
      min_silence_ms: minSilence,
      padding_ms: padding,
      crossfade_ms: input.crossfade_ms,
      audio_semantic_artifact_ids: [...semantic.values()].map((s) => s.id),
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
    fillers: findFillers({ words: allWords }),
    warnings,
  };
}
