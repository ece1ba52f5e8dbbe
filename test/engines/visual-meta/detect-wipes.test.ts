// Wipes by their moving front, on hand-made signature series: any front shape is a wipe, a blend and a hard
// cut are not, and a frame inside a wipe that scores like a cut does not split it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectWipes } from '../../../src/engines/visual-meta/detect-wipes.js';
import { detectShotBoundaries } from '../../../src/engines/visual-meta/detect-shot-boundaries.js';
import { FINE_H, FINE_W, SIG_H, SIG_W } from '../../../src/engines/visual-meta/types.js';

/** A textured grid: a horizontal ramp from `lo` to `hi` plus a diagonal stripe pattern (`phase`). */
function texture(w: number, h: number, lo: number, hi: number, phase: number): Uint8Array {
  const s = new Uint8Array(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      s[y * w + x] = Math.round(lo + ((hi - lo) * x) / (w - 1) + ((x + y + phase) % 3) * 15);
  return s;
}

const A = texture(FINE_W, FINE_H, 20, 120, 0);
const B = texture(FINE_W, FINE_H, 200, 90, 1);

/** The 16×9 signature of a fine grid (2×2 means). */
function coarse(fine: Uint8Array): Uint8Array {
  const s = new Uint8Array(SIG_W * SIG_H);
  for (let y = 0; y < SIG_H; y++)
    for (let x = 0; x < SIG_W; x++) {
      const k = 2 * y * FINE_W + 2 * x;
      s[y * SIG_W + x] = Math.round(
        (fine[k]! + fine[k + 1]! + fine[k + FINE_W]! + fine[k + FINE_W + 1]!) / 4,
      );
    }
  return s;
}

const D = 18;
/** 30 frames of A, frames 30 … 30+D-2 partial, then 30 frames of B (first full B frame: 30+D-1). */
function series(partial: (p: number, x: number, y: number, k: number) => number) {
  const fines: Uint8Array[] = Array.from({ length: 30 }, () => A);
  for (let j = 1; j < D; j++) {
    const s = new Uint8Array(FINE_W * FINE_H);
    for (let k = 0; k < s.length; k++) s[k] = partial(j / D, k % FINE_W, Math.floor(k / FINE_W), k);
    fines.push(s);
  }
  fines.push(...Array.from({ length: 30 }, () => B));
  return fines.map((fine) => ({ fine, sig: coarse(fine) }));
}

const diagonal = series((p, x, y, k) => ((x + 0.5) / FINE_W + (y + 0.5) / FINE_H < 2 * p ? B[k]! : A[k]!));
const circle = series((p, x, y, k) =>
  Math.hypot((x + 0.5) / FINE_W - 0.5, ((y + 0.5) / FINE_H - 0.5) * (9 / 16)) < 0.58 * p ? B[k]! : A[k]!,
);
const blend = series((p, _x, _y, k) => Math.round((1 - p) * A[k]! + p * B[k]!));

const leftToRight = series((p, x, _y, k) => ((x + 0.5) / FINE_W < p ? B[k]! : A[k]!));

test('a straight and a circular reveal are wipes, found as ranges within ±3 frames', () => {
  for (const [name, frames] of [
    ['left to right', leftToRight],
    ['circle', circle],
  ] as const) {
    const w = detectWipes({ frames, isEdge: () => false });
    assert.equal(w.length, 1, `${name}: ${JSON.stringify(w)}`);
    assert.equal(w[0]!.kind, 'wipe');
    assert.ok(
      Math.abs(w[0]!.start_frame - 30) <= 3 && Math.abs(w[0]!.end_frame - (30 + D - 1)) <= 3,
      `${name}: ${JSON.stringify(w)}`,
    );
  }
});

test('a diagonal reveal is one wipe inside its true range (its corners are followed late: known limit)', () => {
  const w = detectWipes({ frames: diagonal, isEdge: () => false });
  assert.equal(w.length, 1, JSON.stringify(w));
  assert.equal(w[0]!.kind, 'wipe');
  assert.ok(w[0]!.start_frame >= 30 - 3 && w[0]!.end_frame <= 30 + D - 1 + 3, JSON.stringify(w));
  assert.ok(w[0]!.end_frame - w[0]!.start_frame >= D / 2, JSON.stringify(w));
});

test('a blend (every cell switches together) and a hard cut are no wipe', () => {
  assert.deepEqual(detectWipes({ frames: blend, isEdge: () => false }), []);
  const cut = [...Array.from({ length: 40 }, () => A), ...Array.from({ length: 40 }, () => B)].map(
    (fine) => ({
      fine,
      sig: coarse(fine),
    }),
  );
  assert.deepEqual(detectWipes({ frames: cut, isEdge: () => false }), []);
});

test('a frame inside a wipe that scores like a cut is part of the wipe, not a cut', () => {
  const frames = diagonal.map((f, i) => {
    const spike = i === 38; // inside the wipe
    const score = spike ? 40 : 2;
    return { ...f, luma: 120, luma_std: 40, score, diff_y: score, diff_y2: -1, diff_y3: -1 };
  });
  const det = detectShotBoundaries({ frames });
  assert.deepEqual(det.cuts, []);
  assert.equal(det.transitions.length, 1, JSON.stringify(det.transitions));
  assert.equal(det.transitions[0]!.kind, 'wipe');
});
