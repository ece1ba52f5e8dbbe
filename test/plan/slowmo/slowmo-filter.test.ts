// Pure: slow-motion presets to filter strings, fallbacks and details.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SLOWMO_FALLBACK, slowmoFilter, type SlowmoFilterOptions } from '../../../src/plan/slowmo/index.js';

const base: SlowmoFilterOptions = {
  quality: 'high',
  speed: 0.5,
  fps: { num: 30, den: 1 },
  width: 1280,
  height: 720,
  clipPath: 'tracks[0].clips[4]',
  clipId: 'c4',
  hasMinterpolate: true,
};

test('high: full-size motion-compensated interpolation with scene-change detection', () => {
  const r = slowmoFilter(base);
  assert.equal(
    r.filter,
    'minterpolate=fps=30/1:mi_mode=mci:mc_mode=aobmc:me_mode=bidir:vsbmc=1:scd=fdiff:scd_threshold=5',
  );
  assert.deepEqual(r.warnings, []);
  assert.equal(r.details.method, 'mci_aobmc');
  assert.equal(r.details.quality, 'high');
  assert.deepEqual(r.details.fps, { num: 30, den: 1 });
  assert.equal(r.details.clip_id, 'c4');
  assert.match(r.details.preset_description, /scene cuts/);
});

test('medium: interpolates at half size and scales back; NTSC rates stay exact rationals', () => {
  const r = slowmoFilter({
    ...base,
    quality: 'medium',
    width: 1918,
    height: 1080,
    fps: { num: 30000, den: 1001 },
  });
  assert.equal(
    r.filter,
    'scale=958:540,minterpolate=fps=30000/1001:mi_mode=mci:mc_mode=obmc:me_mode=bilat:scd=fdiff:scd_threshold=5,scale=1918:1080',
  );
  assert.equal(r.details.method, 'mci_obmc_half');
});

test('fast: frame blending with the framerate filter', () => {
  const r = slowmoFilter({ ...base, quality: 'fast', hasMinterpolate: false });
  assert.equal(r.filter, 'framerate=fps=30/1');
  assert.equal(r.details.method, 'blend');
  assert.deepEqual(r.warnings, [], 'fast never needs minterpolate');
});

test('over the pixel budget or without minterpolate: falls back to fast with SLOWMO_FALLBACK', () => {
  const big = slowmoFilter({ ...base, width: 3840, height: 2160 });
  assert.equal(big.filter, 'framerate=fps=30/1');
  assert.equal(big.details.method, 'blend');
  assert.equal(big.details.quality, 'high', 'details keep what was asked');
  assert.equal(big.warnings.length, 1);
  assert.equal(big.warnings[0]!.code, SLOWMO_FALLBACK);
  assert.equal(big.warnings[0]!.path, 'tracks[0].clips[4].slowmo_quality');
  assert.match(big.warnings[0]!.message, /3840x2160/);

  // 1080p is within high's budget; 4K within medium's (it interpolates at half size).
  assert.deepEqual(slowmoFilter({ ...base, width: 1920, height: 1080 }).warnings, []);
  assert.deepEqual(slowmoFilter({ ...base, quality: 'medium', width: 3840, height: 2160 }).warnings, []);
  assert.equal(slowmoFilter({ ...base, maxInterpolatePixels: 640 * 360 }).details.method, 'blend');

  const none = slowmoFilter({ ...base, quality: 'medium', hasMinterpolate: false });
  assert.equal(none.details.method, 'blend');
  assert.equal(none.warnings[0]!.code, SLOWMO_FALLBACK);
  assert.match(none.warnings[0]!.message, /minterpolate/);
});

test('nothing to interpolate: not slowed, enough source frames, or no quality asked', () => {
  assert.equal(slowmoFilter({ ...base, speed: 1 }).details.method, 'none');
  assert.equal(slowmoFilter({ ...base, speed: 1 }).filter, '');
  // 60 fps at half speed still gives 30 frames per second of output: fps= only has to pick them.
  const hfr = slowmoFilter({ ...base, sourceFps: { num: 60, den: 1 } });
  assert.equal(hfr.filter, '');
  assert.equal(hfr.details.method, 'none');
  // 50 fps at half speed is 25 < 30: interpolation is needed.
  assert.notEqual(slowmoFilter({ ...base, sourceFps: { num: 50, den: 1 } }).filter, '');
  const plain = slowmoFilter({ ...base, quality: undefined });
  assert.equal(plain.filter, '');
  assert.equal(plain.details.method, 'frame_repeat');
  assert.equal(plain.details.quality, null);
});
