/**
 * Face sub-regions from the detector's keypoints, for region-aware filters (eye_enhance, teeth_whiten, …).
 * Sizes come from the eye distance measured in pixels, so a tilted or distant face gets proportionate boxes
 * and a non-square frame does not stretch them. Proportions follow average adult faces: the mouth is about as
 * wide as the distance between the pupils, an eye about half of it.
 */
import { clipBox, roundBox } from './box-math.js';
import type { Box, FaceKeypoints, FaceRegions, Point, RegionName } from './types.js';

/** Eyes box: both eye centres plus half an eye distance beyond each, 0.35 of it above and below. */
const EYES_MARGIN_X = 0.5;
const EYES_MARGIN_Y = 0.35;
/** Mouth box around the mouth keypoint: 1.1 × eye distance wide, 0.55 × tall. */
const MOUTH_WIDTH = 1.1;
const MOUTH_HEIGHT = 0.55;

export interface FaceRegionsOptions {
  box: Box;
  keypoints: FaceKeypoints;
  /** Frame size in pixels (the fractions' aspect). */
  width: number;
  height: number;
  include: readonly RegionName[];
}

export function faceRegions(opts: FaceRegionsOptions): FaceRegions {
  const { box, keypoints, width, height, include } = opts;
  const regions: FaceRegions = { face: roundBox(clipBox(box)) };
  const px = (p: Point): Point => ({ x: p.x * width, y: p.y * height });
  const re = px(keypoints.right_eye);
  const le = px(keypoints.left_eye);
  const eyeDist = Math.hypot(le.x - re.x, le.y - re.y);
  if (!(eyeDist > 0)) return regions;
  if (include.includes('eyes')) {
    const x0 = Math.min(re.x, le.x) - EYES_MARGIN_X * eyeDist;
    const x1 = Math.max(re.x, le.x) + EYES_MARGIN_X * eyeDist;
    const y0 = Math.min(re.y, le.y) - EYES_MARGIN_Y * eyeDist;
    const y1 = Math.max(re.y, le.y) + EYES_MARGIN_Y * eyeDist;
    regions.eyes = toFraction({ x: x0, y: y0, w: x1 - x0, h: y1 - y0 }, width, height);
  }
  if (include.includes('mouth')) {
    const m = px(keypoints.mouth);
    const w = MOUTH_WIDTH * eyeDist;
    const h = MOUTH_HEIGHT * eyeDist;
    regions.mouth = toFraction({ x: m.x - w / 2, y: m.y - h / 2, w, h }, width, height);
  }
  return regions;
}

function toFraction(b: Box, width: number, height: number): Box {
  return roundBox(clipBox({ x: b.x / width, y: b.y / height, w: b.w / width, h: b.h / height }));
}
