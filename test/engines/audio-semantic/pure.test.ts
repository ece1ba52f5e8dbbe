// Pure parts: BS.1770 meter on generated samples, the 48→16 kHz downsampler, speech hysteresis and run merging,
// the ebur128 log parser, loud-peak picking.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createDownsampler48kTo16k } from '../../../src/engines/audio-semantic/downsample.js';
import { findPeaks } from '../../../src/engines/audio-semantic/find-peaks.js';
import { createLoudnessMeter } from '../../../src/engines/audio-semantic/loudness-meter.js';
import { parseEbur128Log } from '../../../src/engines/audio-semantic/parse-ebur128.js';
import {
  segmentAudio,
  speechSpans,
  SEGMENT_DEFAULTS,
} from '../../../src/engines/audio-semantic/segment-audio.js';

function sine(freq: number, amp: number, seconds: number, rate: number): Float32Array {
  return Float32Array.from(
    { length: Math.round(seconds * rate) },
    (_, i) => amp * Math.sin((2 * Math.PI * freq * i) / rate),
  );
}

test('BS.1770: a full-scale 997 Hz mono sine reads -3.01 LUFS; silence is gated out of the integrated value', () => {
  const only = createLoudnessMeter({ sampleRate: 48000, channels: 1 });
  only.push(sine(997, 1, 5, 48000));
  assert.ok(Math.abs(only.finish().integrated_lufs! - -3.01) < 0.05);
  const m = createLoudnessMeter({ sampleRate: 48000, channels: 1 });
  m.push(sine(997, 1, 5, 48000));
  m.push(new Float32Array(48000 * 5));
  const r = m.finish();
  // Without gating the 5 s of silence would pull it down by 3 dB; only the 3 blocks straddling the end remain.
  assert.ok(Math.abs(r.integrated_lufs! - -3.01) < 0.2, String(r.integrated_lufs));
  assert.equal(r.points.length, 100);
  assert.ok(Math.abs(r.points[20]!.momentary_lufs! - -3.01) < 0.05);
  assert.equal(r.points[0]!.momentary_lufs, null); // window not full yet
  assert.equal(r.points[99]!.momentary_lufs, null); // digital silence
  assert.ok(Math.abs(r.sample_peak_dbfs!) < 0.01);
});

test('downsampler keeps a 1 kHz tone and removes a 12 kHz one (it would alias to 4 kHz)', () => {
  const rms = (x: Float32Array) => Math.sqrt(x.reduce((a, v) => a + v * v, 0) / x.length);
  const pass = createDownsampler48kTo16k({ channels: 1 }).push(sine(1000, 0.5, 1, 48000));
  assert.equal(pass.length, 16000);
  assert.ok(Math.abs(rms(pass.subarray(100)) - 0.5 / Math.SQRT2) < 0.01);
  const stop = createDownsampler48kTo16k({ channels: 1 }).push(sine(12000, 0.5, 1, 48000));
  assert.ok(rms(stop.subarray(100)) < 0.005, String(rms(stop.subarray(100))));
  // Stereo interleaved: the channel mean.
  const st = new Float32Array(96000);
  st.forEach((_, i) => (st[i] = i % 2 === 0 ? 0.5 : -0.5));
  assert.ok(Math.abs(createDownsampler48kTo16k({ channels: 2 }).push(st)[500]!) < 1e-6);
});

test('speech hysteresis: short dips do not split, long quiet ends, short blips are dropped', () => {
  const frameMs = 32;
  const p = [
    ...Array(10).fill(0),
    ...Array(20).fill(0.9), // 640 ms speech
    ...Array(3).fill(0.1), // 96 ms dip: not a pause
    ...Array(20).fill(0.9),
    ...Array(20).fill(0.05), // 640 ms quiet: ends
    ...Array(4).fill(0.9), // 128 ms blip: dropped (< 250 ms)
    ...Array(20).fill(0),
  ];
  const spans = speechSpans(p, frameMs, p.length * frameMs, { ...SEGMENT_DEFAULTS, speechPadMs: 0 });
  assert.deepEqual(spans, [[320, 53 * 32]]);
});

test('windows tile the file; quiet non-speech is silence, loud non-speech is music; short runs merge', () => {
  const n = 100;
  const probs = Array.from({ length: n }, (_, i) => (i >= 20 && i < 60 ? 0.95 : 0.02));
  const spectral = Array.from({ length: n }, (_, i) => ({
    rms_db: i < 20 ? -90 : i < 60 ? -20 : i < 62 ? -30 : i < 80 ? -90 : -25,
    flatness: i >= 80 ? 0.05 : 0.5,
  }));
  const w = segmentAudio({ probs, spectral, frameMs: 32, durationMs: 3210 });
  assert.deepEqual(
    w.map((x) => [x.kind, x.start_ms, x.end_ms]),
    [
      ['silence', 0, 608],
      ['speech', 608, 1952],
      ['silence', 1952, 2560],
      ['music', 2560, 3210],
    ],
  );
  const music = w.at(-1)!;
  assert.ok(music.confidence > 0.6 && music.confidence <= 0.8);
});

test('ebur128 log parser and loud peaks', () => {
  const log = [
    '[Parsed_ebur128_0 @ 0x1] t: 0.4        TARGET:-23 LUFS    M: -20.9 S:-120.7     I: -20.9 LUFS       LRA:   0.0 LU',
    '[Parsed_ebur128_0 @ 0x1] t: 0.5        TARGET:-23 LUFS    M: -21.0 S:-120.7     I: -20.9 LUFS       LRA:   0.0 LU',
    '[Parsed_ebur128_0 @ 0x1] Summary:',
    '',
    '  Integrated loudness:',
    '    I:         -20.9 LUFS',
  ].join('\n');
  assert.deepEqual(parseEbur128Log(log), {
    points: [
      { t_ms: 400, momentary_lufs: -20.9, short_term_lufs: -120.7 },
      { t_ms: 500, momentary_lufs: -21, short_term_lufs: -120.7 },
    ],
    integrated_lufs: -20.9,
  });
  const points = Array.from({ length: 50 }, (_, i) => ({
    t_ms: (i + 1) * 100,
    momentary_lufs: i === 10 ? -10 : i === 12 ? -12 : i === 40 ? -14 : -25,
    short_term_lufs: null,
  }));
  const peaks = findPeaks({ points, integratedLufs: -24, blockPeaksDbfs: Array(50).fill(-3) });
  // -12 at 1.3 s is within 1 s of the louder -10 at 1.1 s.
  assert.deepEqual(
    peaks.map((p) => [p.t_ms, p.momentary_lufs]),
    [
      [1100, -10],
      [4100, -14],
    ],
  );
});
