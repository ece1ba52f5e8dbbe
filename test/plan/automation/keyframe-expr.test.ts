// keyframeExpr is checked by letting ffmpeg itself evaluate the expression (aevalsrc samples it at known
// times) and comparing with values computed here, independently of the code under test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { ffmpegPath } from '../../../src/ffmpeg/binaries.js';
import { keyframeExpr } from '../../../src/plan/automation/keyframe-expr.js';
import { escapeFilterValue } from '../../../src/plan/format.js';
import type { Keyframe } from '../../../src/timeline/index.js';

const RATE = 1000; // samples per second: sample n is t = n / 1000 s, i.e. one sample per ms

/** Evaluate `expr` (a function of t) with ffmpeg at every ms in [0, durationMs). */
function evalWithFfmpeg(expr: string, durationMs: number): Float64Array {
  const src = `aevalsrc=exprs=${escapeFilterValue(expr)}:s=${RATE}:d=${durationMs / 1000}`;
  const r = spawnSync(
    ffmpegPath(),
    [
      '-hide_banner',
      '-loglevel',
      'error',
      '-f',
      'lavfi',
      '-i',
      src,
      '-f',
      'f64le',
      '-c:a',
      'pcm_f64le',
      'pipe:1',
    ],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  assert.equal(r.status, 0, r.stderr?.toString());
  const buf = r.stdout;
  return new Float64Array(buf.buffer, buf.byteOffset, buf.length / 8);
}

/** Independent reference: find the segment, ease its progress. */
function reference(kfs: Keyframe[], tMs: number): number {
  if (tMs <= kfs[0]!.t_ms) return kfs[0]!.value;
  const last = kfs[kfs.length - 1]!;
  if (tMs >= last.t_ms) return last.value;
  const i = kfs.findIndex((k, j) => k.t_ms <= tMs && tMs < kfs[j + 1]!.t_ms);
  const a = kfs[i]!;
  const b = kfs[i + 1]!;
  const p = (tMs - a.t_ms) / (b.t_ms - a.t_ms);
  const eased = {
    linear: p,
    ease_in: p * p,
    ease_out: p * (2 - p),
    ease_in_out: (1 - Math.cos(Math.PI * p)) / 2,
    hold: 0,
  }[a.easing];
  return a.value + (b.value - a.value) * eased;
}

const EASINGS: Keyframe['easing'][] = ['linear', 'ease_in', 'ease_out', 'ease_in_out', 'hold'];

test('keyframeExpr evaluated by ffmpeg matches the keyframes at 100 keyframes, every easing', () => {
  const kfs: Keyframe[] = [];
  // Deterministic pseudo-random values and uneven spacing.
  let t = 200;
  for (let i = 0; i < 100; i++) {
    kfs.push({
      t_ms: t,
      value: Math.round(Math.sin(i * 1.7) * 1000) / 10,
      easing: EASINGS[i % EASINGS.length]!,
    });
    t += 20 + ((i * 37) % 50);
  }
  const expr = keyframeExpr({ keyframes: kfs, timeVar: 't' });
  const durationMs = t + 300;
  const values = evalWithFfmpeg(expr, durationMs);
  assert.equal(values.length, durationMs);
  let worst = 0;
  for (let ms = 0; ms < durationMs; ms++) {
    const want = reference(kfs, ms);
    const diff = Math.abs(values[ms]! - want);
    worst = Math.max(worst, diff);
    assert.ok(diff < 1e-3, `t=${ms} ms: ffmpeg ${values[ms]} vs ${want}`);
  }
  assert.ok(worst < 1e-3);
});

test('keyframeExpr: constant outside the keyframes, offset shifts time, one keyframe is a constant', () => {
  const kfs: Keyframe[] = [
    { t_ms: 100, value: 10, easing: 'linear' },
    { t_ms: 300, value: 20, easing: 'linear' },
  ];
  const v = evalWithFfmpeg(keyframeExpr({ keyframes: kfs, timeVar: 't', offsetSeconds: 0.5 }), 1000);
  assert.ok(Math.abs(v[0]! - 10) < 1e-9);
  assert.ok(Math.abs(v[599]! - 10) < 1e-9);
  assert.ok(Math.abs(v[700]! - 15) < 1e-6);
  assert.ok(Math.abs(v[900]! - 20) < 1e-9);
  assert.equal(keyframeExpr({ keyframes: [{ t_ms: 5, value: 0.3, easing: 'linear' }], timeVar: 't' }), '0.3');
});

test('keyframeExpr nesting depth grows slowly (no nested if chain) at 1000 keyframes', () => {
  const kfs: Keyframe[] = Array.from({ length: 1000 }, (_, i) => ({
    t_ms: i * 10,
    value: i % 7,
    easing: 'ease_in_out' as const,
  }));
  const expr = keyframeExpr({ keyframes: kfs, timeVar: 't' });
  let depth = 0;
  let max = 0;
  for (const c of expr) {
    if (c === '(') max = Math.max(max, ++depth);
    if (c === ')') depth--;
  }
  assert.ok(max <= 10, `max paren depth ${max}`);
  // and ffmpeg accepts it
  const v = evalWithFfmpeg(expr, 50);
  assert.ok(Math.abs(v[25]! - reference(kfs, 25)) < 1e-6);
  assert.ok(!/e[+-]?\d/.test(expr.replace(/[a-z]+\(/g, '')), 'no exponent notation');
});
