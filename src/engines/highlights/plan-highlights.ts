/**
 * Highlight selection (pure, deterministic). Candidates are phrases: runs of speech windows joined across short
 * pauses, cut to at most `max_ms` at pause edges, so a highlight starts and ends between sentences. Without
 * speech windows, fixed windows are used instead. Each candidate is scored from speech coverage, loudness
 * (momentary level against the recording's integrated level), loudness peaks inside it, faces and motion; the
 * best are taken greedily without overlap until the target duration is filled, then put back in time order.
 */
import type { AudioSemanticTimeline } from '../audio-semantic/index.js';
import { clamp01, faceStatsAt, momentaryAt, motionAt, speechAt } from '../autocut/signals.js';
import type { RegionSummary } from '../regions/index.js';
import type { VisualMeta } from '../visual-meta/index.js';

export const HIGHLIGHTS_SCORING_VERSION = 'highlights-1';

export interface HighlightWeights {
  speech: number;
  loudness: number;
  peaks: number;
  faces: number;
  motion: number;
}

export const DEFAULT_HIGHLIGHT_WEIGHTS: Readonly<HighlightWeights> = {
  speech: 1,
  loudness: 1,
  peaks: 0.7,
  faces: 0.5,
  motion: 0.4,
};

export interface PlanHighlightsInput {
  duration_ms: number;
  audio?: AudioSemanticTimeline;
  faces?: RegionSummary;
  visual?: VisualMeta;
  /** Total length to fill (the sum of picks stays ≤ this). */
  target_ms: number;
  /** Length of one highlight. Defaults 2000 / 15000. */
  min_ms?: number;
  max_ms?: number;
  /** Speech windows closer than this are one phrase. Default 600. */
  join_gap_ms?: number;
  weights?: Partial<HighlightWeights>;
}

export type HighlightReason = 'speech' | 'loud' | 'loudness_peak' | 'faces' | 'motion';

export interface HighlightRange {
  start_ms: number;
  end_ms: number;
  score: number;
  reasons: HighlightReason[];
}

export interface HighlightsPlan {
  ranges: HighlightRange[];
  total_ms: number;
  candidate_count: number;
  weights: HighlightWeights;
  /** 'phrases' when speech windows drove the candidates, 'fixed' otherwise. */
  candidates_from: 'phrases' | 'fixed';
}

interface Span {
  start_ms: number;
  end_ms: number;
}

/**
 * A speech window longer than max_ms, cut where it is quietest (momentary loudness minimum: most likely a
 * breath or a word gap) inside [start + min, start + max], repeatedly; the tail shorter than min is dropped.
 */
function splitAtQuietest(audio: AudioSemanticTimeline, span: Span, minMs: number, maxMs: number): Span[] {
  const out: Span[] = [];
  let s = span.start_ms;
  while (span.end_ms - s > maxMs) {
    let cut = s + maxMs;
    let quietest = Infinity;
    for (let t = s + minMs; t <= s + maxMs; t += 50) {
      const l = momentaryAt(audio, t);
      if (l < quietest) {
        quietest = l;
        cut = t;
      }
    }
    out.push({ start_ms: s, end_ms: cut });
    s = cut;
  }
  if (span.end_ms - s >= minMs) out.push({ start_ms: s, end_ms: span.end_ms });
  return out;
}

/** Phrases from speech windows, each at most max_ms (a longer window is split where it is quietest). */
function phraseCandidates(audio: AudioSemanticTimeline, minMs: number, maxMs: number, gap: number): Span[] {
  const speech = audio.windows.filter((w) => w.kind === 'speech').sort((a, b) => a.start_ms - b.start_ms);
  const out: Span[] = [];
  // Every run of consecutive windows (joined across short gaps) that fits in [min, max] is a candidate: the
  // selection then picks the best-scoring one among overlapping alternatives.
  for (let i = 0; i < speech.length; i++) {
    for (let j = i; j < speech.length; j++) {
      if (j > i && speech[j]!.start_ms - speech[j - 1]!.end_ms > gap) break;
      const span = { start_ms: speech[i]!.start_ms, end_ms: speech[j]!.end_ms };
      const len = span.end_ms - span.start_ms;
      if (len > maxMs) {
        if (j === i) out.push(...splitAtQuietest(audio, span, minMs, maxMs));
        break;
      }
      if (len >= minMs) out.push(span);
    }
  }
  return out;
}

function fixedCandidates(duration: number, minMs: number, maxMs: number): Span[] {
  const size = Math.max(minMs, Math.min(maxMs, Math.round((minMs + maxMs) / 2)));
  const out: Span[] = [];
  for (let t = 0; t + minMs <= duration; t += Math.round(size / 2))
    out.push({ start_ms: t, end_ms: Math.min(duration, t + size) });
  return out;
}

export function planHighlights(input: PlanHighlightsInput): HighlightsPlan {
  const w: HighlightWeights = { ...DEFAULT_HIGHLIGHT_WEIGHTS, ...input.weights };
  const minMs = input.min_ms ?? 2000;
  const maxMs = input.max_ms ?? 15000;
  const { audio, faces, visual } = input;
  const phrases = audio ? phraseCandidates(audio, minMs, maxMs, input.join_gap_ms ?? 600) : [];
  const fromPhrases = phrases.length > 0;
  const candidates = (fromPhrases ? phrases : fixedCandidates(input.duration_ms, minMs, maxMs)).filter(
    (c) => c.end_ms <= input.duration_ms || input.duration_ms === 0,
  );
  const integrated = audio?.integrated_lufs ?? -23;
  const step = 100;
  const scored: HighlightRange[] = candidates.map((c) => {
    let n = 0;
    let speech = 0;
    let loud = 0;
    let face = 0;
    let motion = 0;
    for (let t = c.start_ms + step / 2; t < c.end_ms; t += step) {
      n++;
      if (speechAt(audio, t)) speech++;
      // 0 at 10 LU below the integrated level, 1 at 10 LU above.
      loud += clamp01((momentaryAt(audio, t) - integrated + 10) / 20);
      const f = faceStatsAt(faces, t);
      face += f.count > 0 ? clamp01(0.5 + Math.sqrt(f.largest_area) * 1.5) : 0;
      motion += motionAt(visual, t);
    }
    n = Math.max(1, n);
    const peaks = audio ? audio.peaks.filter((p) => p.t_ms > c.start_ms && p.t_ms <= c.end_ms).length : 0;
    const f = {
      speech: speech / n,
      loudness: loud / n,
      peaks: Math.min(1, peaks / 2),
      faces: faces ? face / n : 0,
      motion: visual ? motion / n : 0,
    };
    const total = w.speech + w.loudness + w.peaks + w.faces + w.motion || 1;
    const score =
      (w.speech * f.speech +
        w.loudness * f.loudness +
        w.peaks * f.peaks +
        w.faces * f.faces +
        w.motion * f.motion) /
      total;
    const reasons: HighlightReason[] = [];
    if (f.speech >= 0.5) reasons.push('speech');
    if (f.loudness >= 0.6) reasons.push('loud');
    if (peaks > 0) reasons.push('loudness_peak');
    if (f.faces >= 0.5) reasons.push('faces');
    if (f.motion >= 0.3) reasons.push('motion');
    return { start_ms: c.start_ms, end_ms: c.end_ms, score: Math.round(score * 1e4) / 1e4, reasons };
  });

  const order = [...scored].sort(
    (a, b) => b.score - a.score || a.start_ms - b.start_ms || a.end_ms - b.end_ms,
  );
  const picked: HighlightRange[] = [];
  let total = 0;
  for (const c of order) {
    const len = c.end_ms - c.start_ms;
    if (total + len > input.target_ms) continue;
    if (picked.some((p) => c.start_ms < p.end_ms && p.start_ms < c.end_ms)) continue;
    picked.push(c);
    total += len;
  }
  picked.sort((a, b) => a.start_ms - b.start_ms);
  return {
    ranges: picked,
    total_ms: total,
    candidate_count: scored.length,
    weights: w,
    candidates_from: fromPhrases ? 'phrases' : 'fixed',
  };
}
