/**
 * Point lookups into analysis artifacts at a media time, shared by auto-cut, highlights and focus. Pure: the
 * artifacts are plain JSON values here. Every lookup is nearest-sample or binary search, so scoring a long
 * recording on a 100 ms grid stays linear-logarithmic.
 */
import type { AudioSemanticTimeline } from '../audio-semantic/index.js';
import { boxesAtFrame, type MouthActivity, type RegionSummary } from '../regions/index.js';
import type { VisualMeta } from '../visual-meta/index.js';

/** Below ebur128's absolute gate: what digital silence and "no audio" count as. */
export const SILENCE_LUFS = -70;

/** Index of the last element whose key is ≤ t (or -1). */
function lastAtOrBefore<T>(items: readonly T[], key: (x: T) => number, t: number): number {
  let lo = 0;
  let hi = items.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (key(items[mid]!) <= t) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/**
 * Momentary loudness (LUFS) around media time t. The meter's points mark the END of a 400 ms window, so the
 * window centred on t is the point at t + 200 ms.
 */
export function momentaryAt(audio: AudioSemanticTimeline | undefined, tMs: number): number {
  if (!audio || audio.loudness.length === 0) return SILENCE_LUFS;
  const i = lastAtOrBefore(audio.loudness, (p) => p.t_ms, tMs + 200);
  const p = audio.loudness[Math.max(0, i)]!;
  return p.momentary_lufs ?? SILENCE_LUFS;
}

/** The audio window (speech/music/silence) containing media time t, if any. */
export function windowAt(audio: AudioSemanticTimeline | undefined, tMs: number) {
  if (!audio) return undefined;
  const i = lastAtOrBefore(audio.windows, (w) => w.start_ms, tMs);
  const w = i >= 0 ? audio.windows[i] : undefined;
  return w && tMs < w.end_ms ? w : undefined;
}

export function speechAt(audio: AudioSemanticTimeline | undefined, tMs: number): boolean {
  return windowAt(audio, tMs)?.kind === 'speech';
}

export interface FaceStats {
  count: number;
  /** Area of the largest face as a fraction of the frame (0..1). */
  largest_area: number;
}

export function faceStatsAt(faces: RegionSummary | undefined, tMs: number): FaceStats {
  if (!faces) return { count: 0, largest_area: 0 };
  const boxes = boxesAtFrame(faces, { tMs });
  let largest = 0;
  for (const f of boxes) largest = Math.max(largest, f.box.w * f.box.h);
  return { count: boxes.length, largest_area: largest };
}

/** The visual-meta sample nearest to t (samples are evenly spaced). */
export function visualSampleAt(visual: VisualMeta | undefined, tMs: number) {
  if (!visual || visual.samples.length === 0) return undefined;
  const i = lastAtOrBefore(visual.samples, (s) => s.t_ms, tMs);
  const a = visual.samples[Math.max(0, i)]!;
  const b = visual.samples[i + 1];
  return b && b.t_ms - tMs < tMs - a.t_ms ? b : a;
}

/** Picture change beyond camera motion, 0..1 (frame_diff is a mean absolute difference in 0..1). */
export function motionAt(visual: VisualMeta | undefined, tMs: number): number {
  const s = visualSampleAt(visual, tMs);
  return s ? Math.min(1, s.frame_diff * 8) : 0;
}

export function clamp01(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : x;
}

/** Mouth movement averaged over this window around t: syllables come at ~4–6 Hz, a word spans ~300 ms. */
export const MOUTH_WINDOW_MS = 600;

/**
 * Visual speech activity around media time t: the mean, over the mouth-activity frames within ±300 ms, of the
 * most active face's mouth change (grey levels per pixel). 0 when nothing was measured there.
 */
export function mouthActivityAt(mouth: MouthActivity | undefined, tMs: number): number {
  if (!mouth || mouth.samples.length === 0) return 0;
  const half = MOUTH_WINDOW_MS / 2;
  let i = Math.max(
    0,
    lastAtOrBefore(mouth.samples, (s) => s.t_ms, tMs - half),
  );
  let sum = 0;
  let n = 0;
  for (; i < mouth.samples.length; i++) {
    const s = mouth.samples[i]!;
    if (s.t_ms > tMs + half) break;
    if (s.t_ms < tMs - half) continue;
    let m = 0;
    for (const f of s.faces) m = Math.max(m, f.activity);
    sum += m;
    n++;
  }
  return n > 0 ? sum / n : 0;
}
