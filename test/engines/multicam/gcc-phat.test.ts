// Pure parts of multicam sync: FFT round trip, GCC-PHAT on synthetic signals with known (fractional) delays,
// decimation, robust line fit, timecode parsing, drift-correction filter strings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createFft } from '../../../src/engines/multicam/fft.js';
import { gccPhat, parabolicOffset } from '../../../src/engines/multicam/gcc-phat.js';
import { decimate } from '../../../src/engines/multicam/decimate.js';
import { fitLine } from '../../../src/engines/multicam/fit-line.js';
import { timecodeToMs } from '../../../src/engines/multicam/timecode.js';
import { buildDriftAudioFilter, driftCorrection } from '../../../src/engines/multicam/drift-correction.js';
import { estimateOffset } from '../../../src/engines/multicam/estimate-offset.js';

/** Seeded uniform PRNG (mulberry32). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function noise(n: number, seed: number): Float64Array {
  const r = rng(seed);
  return Float64Array.from({ length: n }, () => r() * 2 - 1);
}

/**
 * x delayed by `delay` samples (y[n] = x(n - delay)) with a long windowed-sinc interpolator, computed directly
 * in the time domain so the test does not rely on the FFT it checks.
 */
function delayed(x: Float64Array, delay: number, length: number): Float64Array {
  const half = 64;
  const y = new Float64Array(length);
  for (let n = 0; n < length; n++) {
    const t = n - delay;
    const i0 = Math.floor(t);
    let acc = 0;
    for (let k = i0 - half + 1; k <= i0 + half; k++) {
      if (k < 0 || k >= x.length) continue;
      const d = t - k;
      const sinc = d === 0 ? 1 : Math.sin(Math.PI * d) / (Math.PI * d);
      const w = 0.5 + 0.5 * Math.cos((Math.PI * d) / half);
      acc += x[k]! * sinc * w;
    }
    y[n] = acc;
  }
  return y;
}

/** Low-passed noise (3-tap moving average twice) so the fractional delay is well inside the band. */
function smoothNoise(n: number, seed: number): Float64Array {
  let x = noise(n, seed);
  for (let pass = 0; pass < 2; pass++) {
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) y[i] = ((x[i - 1] ?? 0) + x[i]! + (x[i + 1] ?? 0)) / 3;
    x = y;
  }
  return x;
}

test('the real FFT round-trips and matches a direct DFT bin', () => {
  for (const size of [8, 64, 1024]) {
    const fft = createFft(size);
    const x = Float64Array.from({ length: size }, (_, i) => Math.sin(i * 0.37) + (i % 5) * 0.1);
    const spec = new Float64Array(size + 2);
    fft.forward(x, spec);
    const k = 3 % (size / 2);
    let re = 0;
    let im = 0;
    for (let i = 0; i < size; i++) {
      re += x[i]! * Math.cos((2 * Math.PI * k * i) / size);
      im -= x[i]! * Math.sin((2 * Math.PI * k * i) / size);
    }
    assert.ok(
      Math.abs(spec[2 * k]! - re) < 1e-9 && Math.abs(spec[2 * k + 1]! - im) < 1e-9,
      `bin ${k} of ${size}`,
    );
    const back = new Float64Array(size);
    fft.inverse(spec, back);
    for (let i = 0; i < size; i++) assert.ok(Math.abs(back[i]! - x[i]!) < 1e-12, `sample ${i} of ${size}`);
  }
  assert.throws(() => createFft(1000));
});

test('gccPhat finds integer delays of either sign', () => {
  const x = noise(4000, 1);
  for (const delay of [0, 37, -250, 999]) {
    // b[n] = x[n + 500 + delay], a[n] = x[n + 500] ⇒ a[n] = b[n - delay]: lag = delay.
    const b = Float64Array.from({ length: 3000 }, (_, n) => x[n + 500 + delay] ?? 0);
    const a = x.subarray(500, 3500);
    const r = gccPhat({ a, b, minLag: -1200, maxLag: 1200, sampleRate: 8000 });
    assert.equal(r.peakLag - delay, 0, `delay ${delay}`);
    assert.ok(Math.abs(r.lag - delay) < 0.01);
    assert.ok(r.psr > 30, `psr ${r.psr}`);
  }
});

test('gccPhat resolves fractional delays to a small fraction of a sample', () => {
  const x = smoothNoise(6000, 7);
  for (const delay of [0.25, 0.5, 3.3, -12.75, 40.1]) {
    const b = delayed(x, delay, 6000);
    // b[n] = x(n - delay) ⇒ x[n] = b[n + delay] ⇒ lag = -delay.
    const r = gccPhat({ a: x, b, minLag: -100, maxLag: 100, sampleRate: 16000, bandHz: [0, 5000] });
    assert.ok(Math.abs(r.lag + delay) < 0.1, `delay ${delay}: got ${-r.lag}`);
  }
});

test('gccPhat keeps to the lag range and scores unrelated noise low', () => {
  const x = noise(4000, 3);
  const b = Float64Array.from({ length: 4000 }, (_, n) => x[n + 300] ?? 0);
  // True lag is +300; a range that excludes it must not report it.
  const outside = gccPhat({ a: x, b, minLag: -200, maxLag: 200, sampleRate: 8000 });
  assert.ok(outside.peakLag >= -200 && outside.peakLag <= 200);
  assert.ok(outside.psr < 7, `psr ${outside.psr}`);
  const inside = gccPhat({ a: x, b, minLag: -400, maxLag: 400, sampleRate: 8000 });
  assert.equal(inside.peakLag, 300);
  const unrelated = gccPhat({ a: x, b: noise(4000, 4), minLag: -2000, maxLag: 2000, sampleRate: 8000 });
  assert.ok(unrelated.psr < 7, `unrelated psr ${unrelated.psr}`);
  assert.ok(inside.psr > 5 * unrelated.psr);
});

test('parabolicOffset finds the vertex of a parabola', () => {
  // y = -(x - 0.3)^2 at x = -1, 0, 1
  assert.ok(Math.abs(parabolicOffset(-(1.3 ** 2), -(0.3 ** 2), -(0.7 ** 2)) - 0.3) < 1e-12);
  assert.equal(parabolicOffset(1, 1, 1), 0);
});

test('decimate keeps a low tone and removes one above the new Nyquist', () => {
  const rate = 16000;
  const n = 16000;
  const tone = (hz: number) =>
    Float32Array.from({ length: n }, (_, i) => Math.sin((2 * Math.PI * hz * i) / rate));
  const rms = (s: Float32Array) =>
    Math.sqrt(s.slice(100, -100).reduce((acc, v) => acc + v * v, 0) / (s.length - 200));
  const low = decimate({ samples: tone(300), factor: 8 });
  const high = decimate({ samples: tone(3000), factor: 8 });
  assert.equal(low.length, 2000);
  assert.ok(Math.abs(rms(low) - Math.SQRT1_2) < 0.02, `300 Hz rms ${rms(low)}`);
  assert.ok(rms(high) < 0.01, `3000 Hz rms ${rms(high)}`);
});

test('fitLine ignores an outlier and recovers slope and intercept', () => {
  const points = [0, 1, 2, 3, 4, 5, 6].map((i) => ({ x: i * 1000, y: 50 + 0.0001 * i * 1000 }));
  points[3]!.y += 20;
  const fit = fitLine({ points, tolerance: 1 });
  assert.ok(Math.abs(fit.slope - 0.0001) < 1e-9);
  assert.ok(Math.abs(fit.intercept - 50) < 1e-6);
  assert.deepEqual(fit.inliers, [0, 1, 2, 4, 5, 6]);
});

test('timecodeToMs handles non-drop, drop-frame and rejects nonsense', () => {
  assert.equal(timecodeToMs({ timecode: '01:00:00:00', fps: { num: 25, den: 1 } }), 3_600_000);
  assert.equal(timecodeToMs({ timecode: '00:00:03:17', fps: { num: 25, den: 1 } }), 3680);
  // 29.97 non-drop: 30 labelled frames per "second" take 1.001 s.
  assert.ok(
    Math.abs(timecodeToMs({ timecode: '00:00:01:00', fps: { num: 30000, den: 1001 } })! - 1001) < 1e-9,
  );
  // Drop-frame: 00:10:00;00 is exactly 17982 frames = 599.9994 s.
  assert.ok(
    Math.abs(timecodeToMs({ timecode: '00:10:00;00', fps: { num: 30000, den: 1001 } })! - 599_999.4) < 1e-6,
  );
  assert.equal(timecodeToMs({ timecode: '00:00:00:25', fps: { num: 25, den: 1 } }), null);
  assert.equal(timecodeToMs({ timecode: 'garbage', fps: { num: 25, den: 1 } }), null);
  assert.equal(timecodeToMs({ timecode: '00:00:00;00', fps: { num: 25, den: 1 } }), null);
});

test('drift correction: stretch, resample chain within 1 ppm, exact filter strings', () => {
  const c = driftCorrection({ driftPpm: 50, sampleRate: 48000 });
  assert.equal(c.stretch, 1.00005);
  assert.equal(c.audio_filter, 'aresample=240000,asetrate=239988,aresample=48000');
  assert.ok(Math.abs(c.audio_filter_ppm - 50) <= 1);
  assert.equal(c.video_filter, 'setpts=1.00005*PTS');
  const slow = buildDriftAudioFilter({ driftPpm: -20, sampleRate: 44100 });
  assert.ok(Math.abs(slow.ppm + 20) <= 1, `ppm ${slow.ppm}`);
  assert.match(slow.filter, /^aresample=\d+,asetrate=\d+,aresample=44100$/);
  assert.deepEqual(buildDriftAudioFilter({ driftPpm: 0 }), { filter: 'anull', ppm: 0 });
  assert.throws(() => driftCorrection({ driftPpm: Number.NaN }));
});

test('estimateOffset on a synthetic burst signal: offset, and SYNC_UNRELIABLE for unrelated input', () => {
  const rate = 8000;
  // Noise bursts separated by silence, like speech: 20 s.
  const r = rng(11);
  const master = new Float32Array(rate * 20);
  for (let i = 0; i < master.length; i++) master[i] = Math.floor(i / 2000) % 3 === 2 ? 0 : r() * 2 - 1;
  const shift = 12345; // samples: cam starts 1543.125 ms into the reference
  const ref = master.subarray(0, rate * 18);
  const cam = master.slice(shift);
  const est = estimateOffset({ ref, cam, sampleRate: rate });
  assert.equal(est.status, 'ok', est.reason);
  assert.ok(Math.abs(est.offsetMs - (shift / rate) * 1000) < 0.05, `offset ${est.offsetMs}`);
  assert.ok(Math.abs(est.driftPpm) < 5);
  const other = Float32Array.from(noise(rate * 15, 99));
  const bad = estimateOffset({ ref, cam: other, sampleRate: rate });
  assert.equal(bad.status, 'SYNC_UNRELIABLE');
  assert.match(bad.reason ?? '', /peak-to-sidelobe/);
  assert.ok(bad.confidence < 0.5);
});

test('gccPhat: a one-lag search has no PSR of its own; sidelobeRange gives it one', () => {
  const x = noise(4000, 5);
  const b = Float64Array.from({ length: 4000 }, (_, n) => x[n + 10] ?? 0);
  const unrelated = noise(4000, 6);
  const alone = gccPhat({ a: x, b: unrelated, minLag: 10, maxLag: 10, sampleRate: 8000 });
  assert.equal(alone.psr, 0);
  const related = gccPhat({ a: x, b, minLag: 10, maxLag: 10, sampleRate: 8000, sidelobeRange: [-500, 500] });
  assert.equal(related.peakLag, 10);
  assert.ok(related.psr > 30, `psr ${related.psr}`);
  const wrong = gccPhat({
    a: x,
    b: unrelated,
    minLag: 10,
    maxLag: 10,
    sampleRate: 8000,
    sidelobeRange: [-500, 500],
  });
  assert.ok(wrong.psr < 7, `psr ${wrong.psr}`);
});
