// The pure parts of the BlazeFace backend: anchors, letterbox, decoding, weighted NMS.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BLAZEFACE_BACK_256_ANCHORS,
  ssdAnchorGrids,
  ssdAnchors,
} from '../../../src/engines/regions/ssd-anchors.js';
import { letterbox, unletterboxPoint } from '../../../src/engines/regions/letterbox.js';
import { decodeBlazeFace, sigmoid } from '../../../src/engines/regions/decode-blazeface.js';
import { weightedNms } from '../../../src/engines/regions/weighted-nms.js';
import type { Detection } from '../../../src/engines/regions/types.js';

test('BlazeFace 256 anchors: 16×16×2 then 8×8×6 = 896, cell centres in row-major order', () => {
  assert.deepEqual(ssdAnchorGrids(BLAZEFACE_BACK_256_ANCHORS), [
    { cells: 16, anchorsPerCell: 2 },
    { cells: 8, anchorsPerCell: 6 },
  ]);
  const a = ssdAnchors(BLAZEFACE_BACK_256_ANCHORS);
  assert.equal(a.length, 896);
  assert.deepEqual(a[0], { x: 0.5 / 16, y: 0.5 / 16 });
  assert.deepEqual(a[1], a[0]);
  assert.deepEqual(a[2], { x: 1.5 / 16, y: 0.5 / 16 });
  assert.deepEqual(a[32], { x: 0.5 / 16, y: 1.5 / 16 });
  assert.deepEqual(a[512], { x: 0.5 / 8, y: 0.5 / 8 });
  assert.deepEqual(a[895], { x: 7.5 / 8, y: 7.5 / 8 });
});

test('letterbox keeps the aspect ratio, pads with black, maps values to the range, and inverts exactly', () => {
  // 4×2 frame: left half red, right half white; into an 8×8 input → scaled 8×4, 2 rows of padding above.
  const data = Buffer.alloc(4 * 2 * 3);
  for (let y = 0; y < 2; y++)
    for (let x = 0; x < 4; x++) {
      const p = (y * 4 + x) * 3;
      data.set(x < 2 ? [255, 0, 0] : [255, 255, 255], p);
    }
  const lb = letterbox({ frame: { data, width: 4, height: 2 }, size: 8, rangeMin: -1, rangeMax: 1 });
  assert.deepEqual([lb.scaledWidth, lb.scaledHeight, lb.padX, lb.padY], [8, 4, 0, 2]);
  const px = (x: number, y: number) => Array.from(lb.tensor.slice((y * 8 + x) * 3, (y * 8 + x) * 3 + 3));
  assert.deepEqual(px(0, 0), [-1, -1, -1]); // padding is black
  assert.deepEqual(px(0, 3), [1, -1, -1]); // red
  assert.deepEqual(px(7, 4), [1, 1, 1]); // white
  assert.deepEqual(px(0, 7), [-1, -1, -1]);
  // Model centre maps to frame centre; the top of the scaled image maps to the frame's top.
  assert.deepEqual(unletterboxPoint(lb, { x: 0.5, y: 0.5 }), { x: 0.5, y: 0.5 });
  assert.deepEqual(unletterboxPoint(lb, { x: 0, y: 2 / 8 }), { x: 0, y: 0 });
});

test('letterbox averages when shrinking (no aliasing of a 1-px checkerboard)', () => {
  const w = 64;
  const data = Buffer.alloc(w * w * 3);
  for (let y = 0; y < w; y++)
    for (let x = 0; x < w; x++) data.fill((x + y) % 2 ? 255 : 0, (y * w + x) * 3, (y * w + x) * 3 + 3);
  const lb = letterbox({ frame: { data, width: w, height: w }, size: 16, rangeMin: 0, rangeMax: 1 });
  for (const v of lb.tensor) assert.ok(Math.abs(v - 0.5) < 1e-6, `grey, got ${v}`);
});

test('decode: box and keypoints are offsets in input pixels from the anchor; scores are sigmoid', () => {
  const anchors = [
    { x: 0.25, y: 0.25 },
    { x: 0.75, y: 0.75 },
  ];
  const scores = new Float32Array([2, -3]);
  const boxes = new Float32Array(32);
  boxes.set([12.8, -12.8, 64, 128], 0); // centre +0.05, -0.05; size 0.25 × 0.5
  for (let k = 0; k < 6; k++) boxes.set([k * 2.56, 0], 4 + 2 * k);
  const out = decodeBlazeFace({ scores, boxes, anchors, inputSize: 256, minScore: 0.5 });
  assert.equal(out.length, 1, 'the anchor with logit -3 (score 0.047) is dropped');
  const d = out[0]!;
  assert.ok(Math.abs(d.score - sigmoid(2)) < 1e-12);
  assert.ok(Math.abs(d.box.x - (0.3 - 0.125)) < 1e-6);
  assert.ok(Math.abs(d.box.y - (0.2 - 0.25)) < 1e-6);
  assert.ok(Math.abs(d.box.w - 0.25) < 1e-6 && Math.abs(d.box.h - 0.5) < 1e-6);
  assert.ok(Math.abs(d.keypoints.left_eye.x - 0.26) < 1e-6);
  assert.ok(Math.abs(d.keypoints.left_ear.x - 0.3) < 1e-6);
  assert.equal(sigmoid(1e6), sigmoid(100));
});

function cand(x: number, score: number): Detection {
  const p = { x: x + 0.05, y: 0.5 };
  return {
    box: { x, y: 0.4, w: 0.1, h: 0.2 },
    score,
    keypoints: { right_eye: p, left_eye: p, nose: p, mouth: p, right_ear: p, left_ear: p },
  };
}

test('weighted NMS blends overlapping candidates by score and keeps separate faces apart', () => {
  const out = weightedNms({ candidates: [cand(0.1, 0.6), cand(0.5, 0.7), cand(0.12, 0.9)] });
  assert.equal(out.length, 2);
  // Best first: the blend of the two left boxes has the best score and a score-weighted position.
  assert.equal(out[0]!.score, 0.9);
  assert.ok(Math.abs(out[0]!.box.x - (0.1 * 0.6 + 0.12 * 0.9) / 1.5) < 1e-12);
  assert.ok(Math.abs(out[0]!.keypoints.nose.x - (0.15 * 0.6 + 0.17 * 0.9) / 1.5) < 1e-12);
  assert.equal(out[1]!.score, 0.7);
  assert.ok(Math.abs(out[1]!.box.x - 0.5) < 1e-12);
  // Order of the input does not change the output.
  assert.deepEqual(weightedNms({ candidates: [cand(0.12, 0.9), cand(0.5, 0.7), cand(0.1, 0.6)] }), out);
});
