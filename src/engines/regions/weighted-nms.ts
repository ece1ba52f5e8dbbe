/**
 * MediaPipe's "weighted" non-maximum suppression (NonMaxSuppressionCalculator, algorithm WEIGHTED): take the
 * best remaining candidate, gather every remaining candidate overlapping it by more than the IoU threshold,
 * and emit their score-weighted average box and keypoints with the best score. Averaging the overlapping
 * anchors' votes gives steadier boxes than keeping only the best one, which matters for masks over video.
 */
import { iou } from './box-math.js';
import type { Detection, FaceKeypoints } from './types.js';
import { KEYPOINT_NAMES } from './types.js';

export interface WeightedNmsOptions {
  candidates: readonly Detection[];
  /** MediaPipe's face detection uses 0.3. */
  iouThreshold?: number;
}

export function weightedNms(opts: WeightedNmsOptions): Detection[] {
  const threshold = opts.iouThreshold ?? 0.3;
  // Stable order: score descending, then original index, so equal scores never reorder between runs.
  let remaining = opts.candidates
    .map((d, i) => ({ d, i }))
    .sort((a, b) => b.d.score - a.d.score || a.i - b.i)
    .map((e) => e.d);
  const out: Detection[] = [];
  while (remaining.length > 0) {
    const best = remaining[0]!;
    const group: Detection[] = [];
    const rest: Detection[] = [];
    for (const c of remaining) {
      if (c === best || iou(best.box, c.box) > threshold) group.push(c);
      else rest.push(c);
    }
    out.push(blend(group, best.score));
    remaining = rest;
  }
  return out;
}

function blend(group: readonly Detection[], score: number): Detection {
  let total = 0;
  let x = 0;
  let y = 0;
  let w = 0;
  let h = 0;
  const kp = KEYPOINT_NAMES.map(() => ({ x: 0, y: 0 }));
  for (const d of group) {
    const s = d.score;
    total += s;
    x += d.box.x * s;
    y += d.box.y * s;
    w += d.box.w * s;
    h += d.box.h * s;
    KEYPOINT_NAMES.forEach((name, k) => {
      kp[k]!.x += d.keypoints[name].x * s;
      kp[k]!.y += d.keypoints[name].y * s;
    });
  }
  const keypoints = {} as FaceKeypoints;
  KEYPOINT_NAMES.forEach((name, k) => {
    keypoints[name] = { x: kp[k]!.x / total, y: kp[k]!.y / total };
  });
  return { box: { x: x / total, y: y / total, w: w / total, h: h / total }, score, keypoints };
}
