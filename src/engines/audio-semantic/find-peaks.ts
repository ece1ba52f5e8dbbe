/**
 * Loud moments: local maxima of momentary loudness at least `minAboveLu` above the integrated loudness, at
 * least `minGapMs` apart (the louder one wins), with the sample peak around them. Pure.
 */
import type { LoudnessPoint } from './loudness-meter.js';

export interface LoudnessPeak {
  t_ms: number;
  momentary_lufs: number;
  /** Sample peak (dBFS) of the 400 ms window ending at t_ms. */
  sample_peak_dbfs: number;
}

export function findPeaks({
  points,
  integratedLufs,
  blockPeaksDbfs,
  minAboveLu = 6,
  minGapMs = 1000,
  max = 50,
}: {
  points: readonly LoudnessPoint[];
  integratedLufs: number | null;
  /** Sample peak per 100 ms block. */
  blockPeaksDbfs: readonly number[];
  minAboveLu?: number;
  minGapMs?: number;
  max?: number;
}): LoudnessPeak[] {
  if (integratedLufs === null) return [];
  const floor = integratedLufs + minAboveLu;
  const cands: LoudnessPeak[] = [];
  for (let i = 0; i < points.length; i++) {
    const m = points[i]!.momentary_lufs;
    if (m === null || m < floor) continue;
    const prev = points[i - 1]?.momentary_lufs ?? -Infinity;
    const next = points[i + 1]?.momentary_lufs ?? -Infinity;
    if (m < (prev ?? -Infinity) || m < (next ?? -Infinity)) continue;
    const endBlock = Math.round(points[i]!.t_ms / 100) - 1;
    let peak = -120;
    for (let k = Math.max(0, endBlock - 3); k <= endBlock && k < blockPeaksDbfs.length; k++)
      peak = Math.max(peak, blockPeaksDbfs[k]!);
    cands.push({ t_ms: points[i]!.t_ms, momentary_lufs: m, sample_peak_dbfs: peak });
  }
  // Loudest first, then thin out by time; report in time order.
  cands.sort((a, b) => b.momentary_lufs - a.momentary_lufs || a.t_ms - b.t_ms);
  const kept: LoudnessPeak[] = [];
  for (const c of cands) {
    if (kept.length >= max) break;
    if (kept.every((k) => Math.abs(k.t_ms - c.t_ms) >= minGapMs)) kept.push(c);
  }
  return kept.sort((a, b) => a.t_ms - b.t_ms);
}
