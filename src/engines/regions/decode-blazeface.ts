/**
 * Turns BlazeFace's raw output tensors into candidate detections in model-input coordinates (0..1 of the
 * square input), following MediaPipe's TensorsToDetectionsCalculator for the face_detection models:
 * scores are logits (sigmoid, clipped to ±100 as MediaPipe does), each anchor carries 16 values
 * [x_center, y_center, w, h, then 6 keypoints (x, y)] in input pixels, offsets from the anchor centre.
 */
import type { Detection, Point } from './types.js';
import { KEYPOINT_NAMES } from './types.js';

export interface DecodeBlazeFaceOptions {
  /** Logits, one per anchor (the two heads concatenated in anchor order). */
  scores: Float32Array;
  /** 16 values per anchor, same order. */
  boxes: Float32Array;
  anchors: readonly Point[];
  inputSize: number;
  minScore: number;
}

const SCORE_CLIP = 100;

export function sigmoid(x: number): number {
  const c = x < -SCORE_CLIP ? -SCORE_CLIP : x > SCORE_CLIP ? SCORE_CLIP : x;
  return 1 / (1 + Math.exp(-c));
}

export function decodeBlazeFace(opts: DecodeBlazeFaceOptions): Detection[] {
  const { scores, boxes, anchors, inputSize, minScore } = opts;
  if (scores.length !== anchors.length || boxes.length !== anchors.length * 16) {
    throw new RangeError(
      `BlazeFace output sizes do not match ${anchors.length} anchors: ${scores.length} scores, ${boxes.length} box values`,
    );
  }
  const out: Detection[] = [];
  for (let i = 0; i < anchors.length; i++) {
    const score = sigmoid(scores[i]!);
    if (score < minScore) continue;
    const a = anchors[i]!;
    const o = i * 16;
    const cx = a.x + boxes[o]! / inputSize;
    const cy = a.y + boxes[o + 1]! / inputSize;
    const w = boxes[o + 2]! / inputSize;
    const h = boxes[o + 3]! / inputSize;
    if (!(w > 0 && h > 0)) continue;
    const kp: Record<string, Point> = {};
    KEYPOINT_NAMES.forEach((name, k) => {
      kp[name] = { x: a.x + boxes[o + 4 + 2 * k]! / inputSize, y: a.y + boxes[o + 5 + 2 * k]! / inputSize };
    });
    out.push({
      box: { x: cx - w / 2, y: cy - h / 2, w, h },
      score,
      keypoints: kp as unknown as Detection['keypoints'],
    });
  }
  return out;
}
