/**
 * Per-interval samples of the per-frame features. Pure. Sample k covers frames with pts in
 * [k·interval, (k+1)·interval); intervals without a frame (sparse VFR) are skipped rather than invented.
 */
import { HIST_BINS, type FaceSummary, type FrameFeatures, type VisualMetaSample } from './types.js';

export interface AggregateSamplesInput {
  frames: readonly FrameFeatures[];
  intervalMs: number;
  fps: number;
  faceSummary?: FaceSummary;
}

/** Mean residual motion (0..255 per pixel) above which the moving part, not the saliency proxy, is the subject. */
const MOTION_SUBJECT_MIN_ENERGY = 0.5;

const r4 = (x: number) => Math.round(x * 10000) / 10000;

function largestFaceCentre(
  summary: FaceSummary,
  fromMs: number,
  toMs: number,
): { x: number; y: number } | undefined {
  let best: { x: number; y: number; area: number } | undefined;
  for (const s of summary.samples) {
    if (s.t_ms < fromMs || s.t_ms >= toMs) continue;
    for (const f of s.faces) {
      const area = f.width * f.height;
      if (best === undefined || area > best.area)
        best = { x: f.x + f.width / 2, y: f.y + f.height / 2, area };
    }
  }
  return best;
}

export function aggregateSamples({
  frames,
  intervalMs,
  fps,
  faceSummary,
}: AggregateSamplesInput): VisualMetaSample[] {
  const buckets = new Map<number, FrameFeatures[]>();
  for (const f of frames) {
    const k = Math.floor(Math.max(0, f.pts_ms) / intervalMs);
    let b = buckets.get(k);
    if (b === undefined) buckets.set(k, (b = []));
    b.push(f);
  }
  const out: VisualMetaSample[] = [];
  for (const k of [...buckets.keys()].sort((a, b) => a - b)) {
    const b = buckets.get(k)!;
    const m = b.length;
    let luma = 0;
    let diff = 0;
    let maxScore = 0;
    let gx = 0;
    let gy = 0;
    let energy = 0;
    let mx = 0;
    let my = 0;
    let sx = 0;
    let sy = 0;
    const hist = new Float64Array(HIST_BINS * 3);
    for (const f of b) {
      luma += f.luma;
      diff += f.diff_y;
      maxScore = Math.max(maxScore, f.score);
      gx += f.dx;
      gy += f.dy;
      energy += f.motion_energy;
      mx += f.motion_cx * f.motion_energy;
      my += f.motion_cy * f.motion_energy;
      sx += f.saliency_cx;
      sy += f.saliency_cy;
      for (let j = 0; j < hist.length; j++) hist[j]! += f.hist[j]!;
    }
    const t = k * intervalMs;
    const face = faceSummary ? largestFaceCentre(faceSummary, t, t + intervalMs) : undefined;
    let subject: { x: number; y: number; source: VisualMetaSample['subject_source'] };
    if (face) subject = { ...face, source: 'face' };
    else if (energy / m >= MOTION_SUBJECT_MIN_ENERGY)
      subject = { x: mx / energy, y: my / energy, source: 'motion' };
    else subject = { x: sx / m, y: sy / m, source: 'saliency' };
    const h = Array.from(hist, (v) => r4(v / m));
    out.push({
      t_ms: t,
      luma_mean: r4(luma / m / 255),
      frame_diff: r4(diff / m / 255),
      max_score: r4(maxScore),
      // Per-frame shift (fraction of the frame) times frames per second.
      global_motion_x: r4((gx / m) * fps),
      global_motion_y: r4((gy / m) * fps),
      color_histogram: {
        y: h.slice(0, HIST_BINS),
        u: h.slice(HIST_BINS, 2 * HIST_BINS),
        v: h.slice(2 * HIST_BINS),
      },
      primary_subject_center_x: r4(Math.min(1, Math.max(0, subject.x))),
      primary_subject_center_y: r4(Math.min(1, Math.max(0, subject.y))),
      subject_source: subject.source,
    });
  }
  return out;
}
