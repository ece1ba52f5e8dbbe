/**
 * The frame grid cuts snap to, and the quietest point of a gap. Cuts are frame numbers, so every clip of the
 * edit is a whole number of frames and the renderer (on the same grid) places them without rounding drift;
 * ms values are derived from frames by one rounding.
 */
import type { Rational } from '../../timeline/index.js';

/** Signal level per `step_ms` window from time 0 (dBFS RMS; any monotonic loudness measure works). */
export interface LevelEnvelope {
  step_ms: number;
  levels: ArrayLike<number>;
}

export function msOfFrame(fps: Rational, frame: number): number {
  return Math.round((frame * 1000 * fps.den) / fps.num);
}

/** Frame whose start is nearest to ms. */
export function frameNear(fps: Rational, ms: number): number {
  return Math.round((ms * fps.num) / (1000 * fps.den));
}

function exactFrame(fps: Rational, ms: number): number {
  return (ms * fps.num) / (1000 * fps.den);
}

/** Whole frames in the source (a trailing partial frame is not rendered). */
export function framesIn(fps: Rational, durationMs: number): number {
  return Math.floor(exactFrame(fps, durationMs) + 1e-9);
}

/**
 * Time in [lo, hi] where the envelope is lowest (ties: nearest the middle). Without an envelope, or when the
 * gap holds no whole window, the middle of the gap.
 */
export function quietestPoint(input: { envelope?: LevelEnvelope; lo: number; hi: number }): number {
  const { envelope, lo, hi } = input;
  const mid = (lo + hi) / 2;
  if (!envelope || hi <= lo) return mid;
  const step = envelope.step_ms;
  let best = mid;
  let bestLevel = Infinity;
  let bestDist = Infinity;
  const first = Math.max(0, Math.ceil(lo / step));
  const last = Math.min(envelope.levels.length - 1, Math.floor(hi / step) - 1);
  for (let i = first; i <= last; i++) {
    const level = envelope.levels[i]!;
    const t = i * step + step / 2;
    const dist = Math.abs(t - mid);
    if (level < bestLevel - 1e-9 || (Math.abs(level - bestLevel) <= 1e-9 && dist < bestDist)) {
      best = t;
      bestLevel = level;
      bestDist = dist;
    }
  }
  return best;
}

/**
 * The cut frame inside a gap [lo, hi] (ms) between a word that ends at lo and one that starts at hi: the frame
 * nearest the quietest point among frames inside the gap. When no frame start falls inside (a gap shorter than
 * a frame), the frame that keeps the KEPT word whole: `keep: 'before'` (kept word ends at lo) rounds up,
 * `keep: 'after'` (kept word starts at hi) rounds down. Returns the frame and whether it is inside the gap.
 */
export function cutFrameInGap(input: {
  fps: Rational;
  lo: number;
  hi: number;
  envelope?: LevelEnvelope;
  keep: 'before' | 'after';
}): { frame: number; inside: boolean } {
  const { fps, lo, hi, keep } = input;
  const f0 = Math.ceil(exactFrame(fps, lo) - 1e-9);
  const f1 = Math.floor(exactFrame(fps, hi) + 1e-9);
  if (f1 < f0) return { frame: keep === 'before' ? f0 : f1, inside: false };
  const q = quietestPoint({ ...(input.envelope ? { envelope: input.envelope } : {}), lo, hi });
  const f = Math.min(f1, Math.max(f0, Math.round(exactFrame(fps, q))));
  return { frame: f, inside: true };
}
