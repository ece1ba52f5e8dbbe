/**
 * Remove pauses: every stretch between speech windows longer than `min_silence_ms` loses its middle, keeping
 * `padding_ms` next to the speech on each side (the breath before a sentence and the decay after it). With a
 * transcript, no word may be touched: a removed range never comes closer than WORD_GUARD_MS to a word (speech
 * detectors and recognisers disagree by tens of ms at word edges); a range that shrinks to under a frame is
 * dropped and counted. Removed ranges are snapped INWARD to the frame grid, so snapping never eats speech.
 */
import type { Rational } from '../../timeline/index.js';
import type { TranscriptWord } from '../captions/transcript.js';
import { framesIn, type LevelEnvelope } from './edit-grid.js';
import { finishEditPlan, type EditPlan, type RemovalDraft } from './edit-plan.js';

export const WORD_GUARD_MS = 40;

export interface SilencePreset {
  min_silence_ms: number;
  padding_ms: number;
}

/** natural: the defaults (600 ms pauses, 120 ms padding); tight: podcast pacing; jumpcut: vlog jump cuts. */
export const SILENCE_PRESETS = {
  natural: { min_silence_ms: 600, padding_ms: 120 },
  tight: { min_silence_ms: 350, padding_ms: 70 },
  jumpcut: { min_silence_ms: 200, padding_ms: 30 },
} as const satisfies Record<string, SilencePreset>;
export type SilencePresetName = keyof typeof SILENCE_PRESETS;

export interface SpeechSpan {
  start_ms: number;
  end_ms: number;
}

export interface PlanSilenceRemovalInput {
  speech: readonly SpeechSpan[];
  durationMs: number;
  fps: Rational;
  min_silence_ms: number;
  padding_ms: number;
  words?: readonly TranscriptWord[];
  /** Fine levels (5 ms): pause edges from the speech detector (32 ms windows, padded) are refined on them. */
  envelope?: LevelEnvelope;
}

export interface PlanSilenceRemovalResult {
  plan: EditPlan;
  /** Pauses longer than the threshold (before word protection). */
  pauses: SpeechSpan[];
  /** Removed pieces given up or shrunk because a word lay inside the pause. */
  words_protected: number;
}

function mergeSpans(spans: readonly SpeechSpan[]): SpeechSpan[] {
  const sorted = [...spans].filter((s) => s.end_ms > s.start_ms).sort((a, b) => a.start_ms - b.start_ms);
  const out: SpeechSpan[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s.start_ms <= last.end_ms) last.end_ms = Math.max(last.end_ms, s.end_ms);
    else out.push({ ...s });
  }
  return out;
}

/** [lo, hi] minus every guarded word interval. */
function subtractWords(lo: number, hi: number, words: readonly SpeechSpan[]): { pieces: SpeechSpan[]; hit: boolean } {
  let pieces: SpeechSpan[] = [{ start_ms: lo, end_ms: hi }];
  let hit = false;
  for (const w of words) {
    const a = w.start_ms - WORD_GUARD_MS;
    const b = w.end_ms + WORD_GUARD_MS;
    if (b <= lo || a >= hi) continue;
    hit = true;
    pieces = pieces.flatMap((p) => {
      if (b <= p.start_ms || a >= p.end_ms) return [p];
      const out: SpeechSpan[] = [];
      if (a > p.start_ms) out.push({ start_ms: p.start_ms, end_ms: a });
      if (b < p.end_ms) out.push({ start_ms: b, end_ms: p.end_ms });
      return out;
    });
  }
  return { pieces, hit };
}

/** How far a detector edge may move when refined on the level envelope. */
export const EDGE_SEARCH_MS = 150;

/**
 * Move a pause's edges to where the sound really falls below the pause's own quiet level (its median level +
 * 10 dB, at least -70 dBFS): the last loud window before the start edge and the first after the end edge,
 * searched within EDGE_SEARCH_MS of the detector's edge. Only ever inside the recording.
 */
function refinePause(p: SpeechSpan, env: LevelEnvelope, durationMs: number): void {
  const step = env.step_ms;
  const at = (i: number) => env.levels[i] ?? -120;
  const i0 = Math.max(0, Math.ceil(p.start_ms / step));
  const i1 = Math.min(env.levels.length, Math.floor(p.end_ms / step));
  if (i1 - i0 < 4) return;
  const inner: number[] = [];
  for (let i = i0; i < i1; i++) inner.push(at(i));
  inner.sort((a, b) => a - b);
  const quiet = Math.max(-70, inner[inner.length >> 1]! + 10);
  const reach = Math.round(EDGE_SEARCH_MS / step);
  if (p.start_ms > 0) {
    // Last loud window in [edge - reach, edge + reach): the pause starts after it.
    let lastLoud = -1;
    for (let i = Math.max(0, i0 - reach); i < Math.min(i1, i0 + reach); i++) if (at(i) > quiet) lastLoud = i;
    p.start_ms = lastLoud >= 0 ? (lastLoud + 1) * step : Math.max(0, i0 - reach) * step;
  }
  if (p.end_ms < durationMs) {
    let firstLoud = -1;
    for (let i = Math.min(env.levels.length, i1 + reach) - 1; i >= Math.max(i0, i1 - reach); i--) if (at(i) > quiet) firstLoud = i;
    p.end_ms = firstLoud >= 0 ? firstLoud * step : Math.min(durationMs, (i1 + reach) * step);
  }
  if (p.end_ms < p.start_ms) p.end_ms = p.start_ms;
}

export function planSilenceRemoval(input: PlanSilenceRemovalInput): PlanSilenceRemovalResult {
  const { fps, durationMs, min_silence_ms: minMs, padding_ms: pad } = input;
  const speech = mergeSpans(input.speech);
  const pauses: SpeechSpan[] = [];
  let cursor = 0;
  for (const s of [...speech, { start_ms: durationMs, end_ms: durationMs }]) {
    const start = cursor;
    const end = Math.min(durationMs, s.start_ms);
    if (end - start > minMs) pauses.push({ start_ms: start, end_ms: end });
    cursor = Math.max(cursor, s.end_ms);
  }
  if (input.envelope) for (const p of pauses) refinePause(p, input.envelope, durationMs);
  const words = [...(input.words ?? [])].sort((a, b) => a.start_ms - b.start_ms);
  const perFrame = (1000 * fps.den) / fps.num;
  let protectedCount = 0;
  const removals: RemovalDraft[] = [];
  for (const p of pauses) {
    // Leading and trailing silence keep padding on the speech side only.
    const lo = p.start_ms === 0 ? 0 : p.start_ms + pad;
    const hi = p.end_ms === durationMs ? durationMs : p.end_ms - pad;
    if (hi <= lo) continue;
    const { pieces, hit } = subtractWords(lo, hi, words);
    if (hit) protectedCount++;
    for (const piece of pieces) {
      const f0 = Math.ceil(piece.start_ms / perFrame - 1e-9);
      const f1 = piece.end_ms >= durationMs ? framesIn(fps, durationMs) : Math.floor(piece.end_ms / perFrame + 1e-9);
      if (f1 <= f0) continue;
      removals.push({ start_frame: f0, end_frame: f1, reason: 'silence', pause: { ...p } });
    }
  }
  return {
    plan: finishEditPlan({ fps, durationMs, sourceFrames: framesIn(fps, durationMs), removals }),
    pauses,
    words_protected: protectedCount,
  };
}
