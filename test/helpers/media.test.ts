// The measurement helpers are what every render test trusts: check them against media with known content.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, statSync } from 'node:fs';
import {
  TEST_MEDIA_DIR,
  audioOnly,
  audioStats,
  durationMs,
  frameCount,
  hasAudio,
  loudness,
  noAudioClip,
  probeJson,
  rotatedClip,
  sampleColor,
  solidClip,
  vfrClip,
} from './media.js';

test('sampleColor reads the colour of a solid clip (yuv420p round trip within a few levels)', async () => {
  const red = await solidClip({ color: '#FF0000', durationMs: 1000 });
  const c = await sampleColor({ file: red, tMs: 500, x: 100, y: 100 });
  assert.ok(c.r >= 245 && c.g <= 10 && c.b <= 10, `red sampled as ${JSON.stringify(c)}`);
  const teal = await solidClip({ color: '#008080', durationMs: 1000, toneHz: null });
  const t = await sampleColor({ file: teal, tMs: 900, x: 0, y: 0 });
  assert.ok(
    Math.abs(t.r - 0) <= 6 && Math.abs(t.g - 128) <= 6 && Math.abs(t.b - 128) <= 6,
    JSON.stringify(t),
  );
});

test('sampleColor works in display orientation: white left half of a 90° clockwise clip is on top', async () => {
  const rotated = await rotatedClip({ rotation: 90 });
  const top = await sampleColor({ file: rotated, tMs: 0, x: 100, y: 20 });
  const bottom = await sampleColor({ file: rotated, tMs: 0, x: 100, y: 280 });
  assert.ok(top.r > 230 && top.g > 230, `top ${JSON.stringify(top)}`);
  assert.ok(bottom.r < 25 && bottom.g < 25, `bottom ${JSON.stringify(bottom)}`);
});

test('durationMs and frameCount on known clips', async () => {
  const clip = await solidClip({ color: '#00FF00', durationMs: 2000, fps: 25 });
  assert.equal(await durationMs(clip, 'video'), 2000);
  assert.equal(await frameCount(clip), 50);
  assert.equal(await frameCount(clip, { decode: true }), 50);
  const vfr = await vfrClip();
  assert.equal(await frameCount(vfr), 40);
  assert.equal(await frameCount(vfr, { decode: true }), 39);
  assert.equal(await durationMs(vfr), 1900);
});

test('audioStats / loudness / hasAudio measure a known sine', async () => {
  // Sine with peak 0.5: peak -6.02 dBFS, RMS 0.5/sqrt(2) -> -9.03 dBFS.
  const tone = await audioOnly({ toneHz: 1000, amplitude: 0.5, durationMs: 1000 });
  const s = await audioStats({ file: tone });
  assert.ok(Math.abs(s.peakDb - -6.02) < 0.1, `peak ${s.peakDb}`);
  assert.ok(Math.abs(s.rmsDb - -9.03) < 0.1, `rms ${s.rmsDb}`);
  const part = await audioStats({ file: tone, startMs: 200, durationMs: 300 });
  assert.ok(Math.abs(part.rmsDb - -9.03) < 0.2, `window rms ${part.rmsDb}`);
  const silent = await solidClip({ color: '#000000', durationMs: 1000, toneHz: null });
  assert.equal((await audioStats({ file: silent })).rmsDb, -Infinity);
  const { integratedLufs } = await loudness({ file: tone });
  // A 1 kHz sine at -9 dBFS RMS reads about -9 LUFS (K-weighting is ~0 dB at 1 kHz; mono counts once).
  assert.ok(integratedLufs < -6 && integratedLufs > -12, `lufs ${integratedLufs}`);
  assert.equal(await hasAudio(silent), true);
  assert.equal(await hasAudio(await noAudioClip()), false);
});

test('generated media is cached under .cache/test-media and never left half-written', async () => {
  const a = await solidClip({ color: '#123456', durationMs: 500 });
  const mtime = statSync(a).mtimeMs;
  // Parallel requests for the same args share one file.
  const [b, c] = await Promise.all([
    solidClip({ color: '#123456', durationMs: 500 }),
    solidClip({ color: '#123456', durationMs: 500 }),
  ]);
  assert.equal(b, a);
  assert.equal(c, a);
  assert.equal(statSync(a).mtimeMs, mtime, 'not regenerated');
  assert.ok(a.startsWith(TEST_MEDIA_DIR));
  // Different args -> different file.
  const d = await solidClip({ color: '#123456', durationMs: 600 });
  assert.notEqual(d, a);
  assert.ok(existsSync(d));
  const j = await probeJson(d);
  assert.equal(j.streams.length, 2);
  const leftovers = readdirSync(TEST_MEDIA_DIR).filter((n) => n.startsWith(`.tmp-${process.pid}-`));
  assert.deepEqual(leftovers, []);
});
