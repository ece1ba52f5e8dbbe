import { test } from 'node:test';
import assert from 'node:assert/strict';
import { faceRegions } from '../../../src/engines/regions/sub-regions.js';
import type { FaceKeypoints } from '../../../src/engines/regions/types.js';

// A face in a 1000×500 frame: eyes 100 px apart at y=200 px, mouth at (500, 300) px.
const kp: FaceKeypoints = {
  right_eye: { x: 0.45, y: 0.4 },
  left_eye: { x: 0.55, y: 0.4 },
  nose: { x: 0.5, y: 0.5 },
  mouth: { x: 0.5, y: 0.6 },
  right_ear: { x: 0.38, y: 0.45 },
  left_ear: { x: 0.62, y: 0.45 },
};
const box = { x: 0.4, y: 0.3, w: 0.2, h: 0.4 };

test('eyes and mouth boxes are sized from the eye distance in pixels', () => {
  const r = faceRegions({ box, keypoints: kp, width: 1000, height: 500, include: ['face', 'eyes', 'mouth'] });
  assert.deepEqual(r.face, box);
  // Eyes: 450..550 px ± 50 px → 400..600 px wide; 200 ± 35 px tall.
  assert.deepEqual(r.eyes, { x: 0.4, y: 0.33, w: 0.2, h: 0.14 });
  // Mouth: 110 × 55 px centred on (500, 300).
  assert.deepEqual(r.mouth, { x: 0.445, y: 0.545, w: 0.11, h: 0.11 });
  const c = (b: { x: number; w: number }) => b.x + b.w / 2;
  assert.ok(Math.abs(c(r.mouth!) - 0.5) < 1e-9);
});

test('include_regions selects the sub-regions; face is always there', () => {
  const r = faceRegions({ box, keypoints: kp, width: 1000, height: 500, include: ['face', 'mouth'] });
  assert.deepEqual(Object.keys(r).sort(), ['face', 'mouth']);
  const f = faceRegions({ box, keypoints: kp, width: 1000, height: 500, include: ['face'] });
  assert.deepEqual(Object.keys(f), ['face']);
});

test('sub-regions are clipped to the frame', () => {
  const edge = { ...kp, right_eye: { x: 0.0, y: 0.02 }, left_eye: { x: 0.05, y: 0.02 } };
  const r = faceRegions({ box, keypoints: edge, width: 1000, height: 500, include: ['eyes'] });
  assert.equal(r.eyes!.x, 0);
  assert.equal(r.eyes!.y, 0);
});
