// Pure detector on hand-made feature series: adaptive threshold, min scene length, flashes, fades, dissolves.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  detectShotBoundaries,
  type ShotFeature,
} from '../../../src/engines/visual-meta/detect-shot-boundaries.js';
import { buildShotList } from '../../../src/engines/visual-meta/build-shot-list.js';
import { SIG_H, SIG_W } from '../../../src/engines/visual-meta/types.js';

function sig(v: number): Uint8Array {
  return new Uint8Array(SIG_W * SIG_H).fill(Math.max(0, Math.min(255, Math.round(v))));
}

/** Steady shot: small changes, luma 120. */
function steady(n: number, luma = 120, score = 2): ShotFeature[] {
  return Array.from({ length: n }, () => ({
    luma,
    luma_std: 40,
    score,
    diff_y: score,
    diff_y2: score * 1.5,
    diff_y3: score * 2,
    sig: sig(luma),
  }));
}

test('a jump far above its neighbours is a cut at that frame', () => {
  const frames = steady(60);
  frames[30] = { ...frames[30]!, score: 60, diff_y: 50, diff_y2: 50, diff_y3: 50 };
  frames[31] = { ...frames[31]!, diff_y2: 50 };
  frames[32] = { ...frames[32]!, diff_y3: 50 };
  const d = detectShotBoundaries({ frames });
  assert.deepEqual(d.cuts, [30]);
  const list = buildShotList({ detection: d, ptsMs: frames.map((_, i) => i * 40), lastFrameDurationMs: 40 });
  assert.deepEqual(
    list.shots.map((s) => [s.start_frame, s.end_frame, s.start_ms, s.end_ms, s.transition_in]),
    [
      [0, 29, 0, 1200, null],
      [30, 59, 1200, 2400, 'cut'],
    ],
  );
});

test('the same jump inside busy footage (neighbours as large) is not a cut: the threshold adapts', () => {
  const frames = steady(60, 120, 25);
  frames[30] = { ...frames[30]!, score: 60, diff_y: 50, diff_y2: 50, diff_y3: 50 };
  assert.deepEqual(detectShotBoundaries({ frames }).cuts, []);
});

test('a one-frame flash whose content returns is not a cut; min_scene_len drops a too-close second cut', () => {
  const frames = steady(80);
  // Flash at 20: jumps away and back; the frame after matches the frame before (diff_y2 small).
  frames[20] = { ...frames[20]!, luma: 250, score: 150, diff_y: 120, diff_y2: 120, diff_y3: 120 };
  frames[21] = { ...frames[21]!, score: 150, diff_y: 120, diff_y2: 2, diff_y3: 120 };
  frames[22] = { ...frames[22]!, diff_y2: 120, diff_y3: 3 };
  // Real cuts at 50 and 53 (too close: the second is dropped).
  for (const c of [50, 53]) {
    frames[c] = { ...frames[c]!, score: 70, diff_y: 60, diff_y2: 60, diff_y3: 60 };
    frames[c + 1] = { ...frames[c + 1]!, diff_y2: 60 };
    frames[c + 2] = { ...frames[c + 2]!, diff_y3: 60 };
  }
  assert.deepEqual(detectShotBoundaries({ frames, options: { minSceneLenFrames: 10 } }).cuts, [50]);
});

test('a luma ramp to black and back is a fade with one boundary after the black frames', () => {
  const frames = [...steady(30)];
  for (let k = 1; k <= 8; k++)
    frames.push({ ...steady(1)[0]!, luma: 120 - k * 15, luma_std: 40 - k * 5, score: 15 });
  for (let k = 0; k < 5; k++) frames.push({ ...steady(1)[0]!, luma: 0, luma_std: 0, score: 0 });
  for (let k = 1; k <= 8; k++) frames.push({ ...steady(1)[0]!, luma: k * 15, luma_std: k * 5, score: 15 });
  frames.push(...steady(30, 120));
  const d = detectShotBoundaries({ frames });
  // Frames 30..37 ramp down (37 is luma 0 → black), 38..42 black, 43..50 ramp up, 51 full.
  assert.equal(d.transitions.length, 1);
  const t = d.transitions[0]!;
  assert.equal(t.kind, 'fade');
  assert.ok(Math.abs(t.start_frame - 30) <= 1, `start ${t.start_frame}`);
  assert.ok(Math.abs(t.end_frame - 50) <= 1, `end ${t.end_frame}`);
  assert.deepEqual(d.cuts, []);
  assert.equal(d.boundaries.length, 1);
  assert.equal(d.boundaries[0]!.kind, 'fade');
});

test('a linear blend between two different shots is a dissolve; the same change with a non-blend middle is not', () => {
  const build = (blend: boolean) => {
    const frames = steady(40, 60);
    for (let k = 1; k <= 10; k++) {
      const a = k / 11;
      const v = blend ? 60 * (1 - a) + 200 * a : k % 2 === 0 ? 60 : 200;
      frames.push({ ...steady(1)[0]!, luma: v, score: 9, diff_y: 9, diff_y2: 13, diff_y3: 18, sig: sig(v) });
    }
    frames.push(...steady(40, 200));
    return frames;
  };
  // Frames 40..49 are blends (α = k/11) and frame 50 is pure B: like xfade's output, the range ends on the
  // first frame of the new shot, the last one that still changes.
  const d = detectShotBoundaries({ frames: build(true) });
  assert.deepEqual(d.transitions, [{ start_frame: 40, end_frame: 50, kind: 'dissolve' }]);
  assert.equal(d.boundaries[0]!.kind, 'dissolve');
  assert.deepEqual(detectShotBoundaries({ frames: build(false) }).transitions, []);
});

test('a jump cut in a static shot stands out by its block residual after local motion; walking does not', () => {
  // Walking people: plain scores 3-6 on every frame (a jump at 6.5 is not 2.5x them), residual after each
  // block's own motion small; the jump's residual is 2x every neighbour's.
  const frames = steady(60).map((f, i) => ({
    ...f,
    score: 3 + (i % 4),
    local_residual: 0.6 + 0.1 * (i % 3),
  }));
  frames[30] = { ...frames[30]!, score: 6.5, diff_y: 6.5, diff_y2: 7, diff_y3: 7, local_residual: 2 };
  assert.deepEqual(detectShotBoundaries({ frames }).cuts, [30]);
  // Same frame at 1.7x the busiest neighbour: natural motion, no cut.
  frames[30] = { ...frames[30]!, local_residual: 1.35 };
  assert.deepEqual(detectShotBoundaries({ frames }).cuts, []);
  // A moving camera next to it (residual not measured): the test does not apply.
  frames[30] = { ...frames[30]!, local_residual: 2 };
  frames[27] = { ...frames[27]!, local_residual: -1 };
  assert.deepEqual(detectShotBoundaries({ frames }).cuts, []);
});
