/**
 * A sequence as one recording for the edit planners: the clips of its speech track (ranges of one or more
 * assets, in timeline order) are laid on the sequence's own clock, so the word-cut and silence planners run
 * unchanged on it, and their kept spans are mapped back into each clip's source range afterwards.
 *
 * Clock: sequence time t inside clip c is source time `c.in_ms + (t - c.start_ms)` of c's asset. Words of a
 * clip are the asset's words overlapping [in_ms, out_ms), clipped to it; word indices therefore address the
 * concatenated transcript in timeline order. Between clips (a gap on the track) there is no sound: the level
 * envelope is silent there and no speech window covers it, so silence removal may take it out.
 */
import type { Transcript, TranscriptSegment } from '../captions/transcript.js';
import type { LevelEnvelope } from './edit-grid.js';
import type { KeptSpan } from './edit-plan.js';
import type { SpeechSpan } from './plan-silence-removal.js';
import { segmentOf } from './segment-of.js';

/** Level written where no clip covers the sequence (a gap): quieter than any recording. */
export const GAP_LEVEL_DB = -120;

export interface SequenceClipSource {
  clip_id: string;
  asset_id: string;
  /** Where the clip sits on the sequence and which source range it plays (speed 1). */
  start_ms: number;
  in_ms: number;
  out_ms: number;
  /** The asset's transcript, on the asset's clock. */
  transcript?: Transcript;
  /** The asset's speech windows, on the asset's clock. */
  speech?: readonly SpeechSpan[];
  /** Levels of the clip's source range: window i covers source [in_ms + i·step, in_ms + (i+1)·step). */
  envelope?: LevelEnvelope;
}

export interface SequenceSource {
  duration_ms: number;
  /** Every clip's words on the sequence clock, one segment per source segment that keeps a word. */
  transcript: Transcript;
  speech: SpeechSpan[];
  envelope: LevelEnvelope;
}

function clipEnd(c: SequenceClipSource): number {
  return c.start_ms + (c.out_ms - c.in_ms);
}

export function sequenceSource(input: { clips: readonly SequenceClipSource[]; step_ms: number }): SequenceSource {
  const clips = [...input.clips].sort((a, b) => a.start_ms - b.start_ms);
  const duration = clips.reduce((m, c) => Math.max(m, clipEnd(c)), 0);
  const segments: TranscriptSegment[] = [];
  const speech: SpeechSpan[] = [];
  let language: string | undefined;
  for (const c of clips) {
    const shift = c.start_ms - c.in_ms;
    if (c.transcript) {
      language ??= c.transcript.language;
      for (const seg of c.transcript.segments) {
        const words = seg.words
          .filter((w) => w.end_ms > c.in_ms && w.start_ms < c.out_ms)
          .map((w) => ({ ...w, start_ms: Math.max(w.start_ms, c.in_ms) + shift, end_ms: Math.min(w.end_ms, c.out_ms) + shift }))
          .filter((w) => w.end_ms > w.start_ms);
        if (words.length === 0) continue;
        segments.push(segmentOf(words));
      }
    }
    for (const s of c.speech ?? []) {
      const a = Math.max(s.start_ms, c.in_ms);
      const b = Math.min(s.end_ms, c.out_ms);
      if (b > a) speech.push({ start_ms: a + shift, end_ms: b + shift });
    }
  }
  const step = input.step_ms;
  const levels = new Float64Array(Math.ceil(duration / step)).fill(GAP_LEVEL_DB);
  for (const c of clips) {
    if (!c.envelope) continue;
    const from = Math.ceil(c.start_ms / step);
    const to = Math.min(levels.length, Math.ceil(clipEnd(c) / step));
    for (let i = from; i < to; i++) {
      const k = Math.floor((i * step - c.start_ms) / c.envelope.step_ms);
      const v = c.envelope.levels[Math.min(Math.max(0, k), c.envelope.levels.length - 1)];
      if (v !== undefined) levels[i] = v;
    }
  }
  return {
    duration_ms: duration,
    transcript: { language: language ?? 'en', segments },
    speech: speech.sort((a, b) => a.start_ms - b.start_ms),
    envelope: { step_ms: step, levels },
  };
}

/** One clip of the edited sequence: a piece of a source clip, placed on the edit's clock. */
export interface SequencePiece {
  source_clip_id: string;
  asset_id: string;
  /** Edit timeline position and the source range of the asset it plays. */
  start_ms: number;
  in_ms: number;
  out_ms: number;
  /** The piece starts / ends at a cut (a join the edit made), not at an edge of its source clip. */
  cut_before: boolean;
  cut_after: boolean;
  /** The piece starts / ends where its source clip did (the clip's own edge fades belong there). */
  clip_start: boolean;
  clip_end: boolean;
}

/** Kept spans (sequence clock) -> the pieces of source clips they play, in order; gaps stay gaps. */
export function mapKeptToClips(input: { kept: readonly KeptSpan[]; clips: readonly SequenceClipSource[] }): SequencePiece[] {
  const clips = [...input.clips].sort((a, b) => a.start_ms - b.start_ms);
  const out: SequencePiece[] = [];
  input.kept.forEach((k, ki) => {
    for (const c of clips) {
      const a = Math.max(k.in_ms, c.start_ms);
      const b = Math.min(k.out_ms, clipEnd(c));
      if (b <= a) continue;
      out.push({
        source_clip_id: c.clip_id,
        asset_id: c.asset_id,
        start_ms: k.start_ms + (a - k.in_ms),
        in_ms: c.in_ms + (a - c.start_ms),
        out_ms: c.in_ms + (b - c.start_ms),
        cut_before: a === k.in_ms && ki > 0,
        cut_after: b === k.out_ms && ki < input.kept.length - 1,
        clip_start: a === c.start_ms,
        clip_end: b === clipEnd(c),
      });
    }
  });
  return out;
}

/** What a sequence-clock range [start_ms, end_ms) is in sources: the clip and source times of each part. */
export interface SourceRange {
  clip_id: string;
  asset_id: string;
  in_ms: number;
  out_ms: number;
}

export function sourcesOfRange(input: {
  start_ms: number;
  end_ms: number;
  clips: readonly SequenceClipSource[];
}): SourceRange[] {
  return [...input.clips]
    .sort((a, b) => a.start_ms - b.start_ms)
    .flatMap((c) => {
      const a = Math.max(input.start_ms, c.start_ms);
      const b = Math.min(input.end_ms, clipEnd(c));
      if (b <= a) return [];
      return [{ clip_id: c.clip_id, asset_id: c.asset_id, in_ms: c.in_ms + (a - c.start_ms), out_ms: c.in_ms + (b - c.start_ms) }];
    });
}
