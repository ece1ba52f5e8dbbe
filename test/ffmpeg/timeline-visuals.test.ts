// Pure parts of the filmstrip and waveform producers: sprite layout, the exact filtergraph, peak bucketing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bucketPeaks, filmstripFilter, filmstripLayout, mergePeaks } from '../../src/ffmpeg/index.js';

test('filmstrip layout: even tile sizes from the display aspect, rows of at most 10, times k·D/N', () => {
  const l = filmstripLayout({
    durationMs: 10_000,
    displayWidth: 1920,
    displayHeight: 1080,
    tileHeight: 71,
    frames: 23,
  });
  assert.deepEqual(
    [l.tile_width, l.tile_height, l.columns, l.rows, l.width, l.height],
    [128, 72, 10, 3, 1280, 216],
  );
  assert.deepEqual(l.tiles[22], { index: 22, time_ms: 9565, x: 256, y: 144, width: 128, height: 72 });
  assert.equal(l.tiles[1]!.time_ms, 435);
  // Counts are clamped to 1..300.
  assert.equal(
    filmstripLayout({ durationMs: 1000, displayWidth: 4, displayHeight: 3, tileHeight: 60, frames: 0 }).count,
    1,
  );
  assert.equal(
    filmstripLayout({ durationMs: 1000, displayWidth: 4, displayHeight: 3, tileHeight: 60, frames: 999 })
      .count,
    300,
  );
});

test('filmstrip filtergraph: exact rational fps, no floats; a still has no fps step', () => {
  const l = filmstripLayout({
    durationMs: 3000,
    displayWidth: 320,
    displayHeight: 240,
    tileHeight: 60,
    frames: 12,
  });
  assert.equal(
    filmstripFilter(l),
    'fps=fps=12000/3000:round=near,scale=80:60:flags=bicubic,setsar=1,tile=10x2:color=black',
  );
  const still = filmstripLayout({
    durationMs: 0,
    displayWidth: 100,
    displayHeight: 100,
    tileHeight: 50,
    frames: 1,
  });
  assert.equal(filmstripFilter(still), 'scale=50:50:flags=bicubic,setsar=1,tile=1x1:color=black');
});

test('peaks: min/max per bucket with a partial last bucket; merging keeps the extremes', () => {
  const s = Float32Array.from([0.1, -0.2, 0.5, 0, -0.9, 0.3, 0.25]);
  assert.deepEqual(
    Array.from(bucketPeaks(s, 3)).map((v) => Math.round(v * 100)),
    [-20, 50, -90, 30, 25, 25],
  );
  assert.deepEqual(
    Array.from(mergePeaks(bucketPeaks(s, 3), 2)).map((v) => Math.round(v * 100)),
    [-90, 50, 25, 25],
  );
});
