/**
 * Transcript edit of a sequence: the speech track's clips (ranges of one or more assets, each with its own
 * asr_transcript) become one recording on the sequence clock (sequenceSource); word indices address the
 * concatenated transcript in timeline order; the cuts are planned exactly as for one asset and mapped back into
 * each clip's source range (mapKeptToClips).
 */
import type { RequestContext } from '../../context.js';
import { cutroomError, type Warning } from '../../errors.js';
import type { Services } from '../../media/services.js';
import { transcriptWords } from '../../plan/captions/transcript.js';
import { findFillers, planWordCuts, sequenceSource, type WordRange } from '../../plan/transcript-edit/index.js';
import { DEFAULT_EDIT_FPS, type EditResult } from './edit-result.js';
import { finishSequenceEdit } from './finish-sequence-edit.js';
import { loadEditSequence } from './load-sequence.js';
import { LEVEL_STEP_MS } from './measure-levels.js';
import { rangesFromText } from './ranges-from-text.js';
import type { TranscriptEditInput } from './schemas.js';

export async function transcriptEditSequence(
  services: Pick<Services, 'assets' | 'artifacts' | 'projects'>,
  ctx: RequestContext,
  input: TranscriptEditInput,
  opts: { signal?: AbortSignal } = {},
): Promise<EditResult> {
  const sequence = await loadEditSequence({
    services,
    ctx,
    body: input,
    transcripts: 'required',
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  const source = sequenceSource({ clips: sequence.clips, step_ms: LEVEL_STEP_MS });
  const words = transcriptWords(source.transcript);
  if (words.length === 0)
    throw cutroomError('TRANSCRIPT_EDIT_INVALID', `the clips of ${sequence.path} have no words in their ranges to edit`, {
      issues: [{ path: `${sequence.path}.tracks`, message: 'no transcript words inside the clips' }],
    });
  const fillers = findFillers({ words, extra: input.filler_words });
  let ranges: WordRange[] = input.remove ?? [];
  let rangesPath = 'remove';
  if (input.text !== undefined) {
    ranges = rangesFromText(words, input.text);
    rangesPath = 'text';
  }
  const fps = input.fps ?? DEFAULT_EDIT_FPS;
  const { plan, tight_cuts } = planWordCuts({
    words,
    durationMs: source.duration_ms,
    fps,
    ranges,
    rangesPath,
    ...(input.remove_fillers ? { fillers: fillers.map((f) => f.index) } : {}),
    envelope: source.envelope,
  });
  const warnings: Warning[] = [...sequence.warnings];
  if (tight_cuts > 0)
    warnings.push({
      code: 'EDIT_TIGHT_CUT',
      message: `${tight_cuts} cut(s) fell between words with less than a frame between them; the kept word stays whole and up to a frame of the removed one remains`,
      path: rangesPath,
    });
  if (input.remove_fillers && fillers.length === 0)
    warnings.push({ code: 'EDIT_NO_FILLERS', message: 'no filler words were found in the transcript', path: 'remove_fillers' });
  const done = await finishSequenceEdit({
    services,
    ctx,
    sequence,
    transcript: source.transcript,
    plan,
    crossfadeMs: input.crossfade_ms,
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
