// seekOptions: the open-GOP seek margin (src/plan/seek-options.ts) must keep exactly the frames `-ss at` keeps,
// so `-ss` minus `-itsoffset` must be `at` to the microsecond, as ffmpeg parses both.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SEEK_MARGIN_FRAMES, seekOptions } from '../../src/plan/seek-options.js';
import type { MediaInfo } from '../../src/timeline/index.js';

function info(codec: string, fps = { num: 30, den: 1 }): MediaInfo {
  return {
    kind: 'video',
    format_name: 'mov,mp4,m4a,3gp,3g2,mj2',
    duration_ms: 10_000,
    size_bytes: 1,
    stream_count: 1,
    video: {
      index: 0,
      codec,
      width: 640,
      height: 360,
      display_width: 640,
      display_height: 360,
      fps,
      avg_fps: fps,
      vfr: false,
      rotation: 0,
      sar: { num: 1, den: 1 },
      pix_fmt: 'yuv420p',
      duration_ms: 10_000,
      start_ms: 0,
      still: false,
    },
  } as MediaInfo;
}

/** ffmpeg's parse of a decimal seconds argument, in whole microseconds. */
function us(text: string): number {
  const [int, frac = ''] = text.replace('-', '').split('.');
  const v = Number(int) * 1e6 + Number((frac + '000000').slice(0, 6));
  return text.startsWith('-') ? -v : v;
}

test('H.264/HEVC seek 16 source frames early and shift back to exactly the in-point', () => {
  for (const codec of ['h264', 'hevc']) {
    for (const atMs of [534, 600, 966.666667, 1000, 2033.333333, 59_999.5]) {
      const o = seekOptions({ info: info(codec), atMs });
      assert.equal(o[0], '-ss');
      assert.equal(o[2], '-itsoffset');
      assert.equal(us(o[1]!) - us(o[3]!), us((atMs / 1000).toFixed(6)), `${codec} at ${atMs}`);
      assert.equal(-us(o[3]!), Math.ceil((SEEK_MARGIN_FRAMES * 1000) / 30) * 1000);
    }
  }
  // 24 fps: 16 frames = 667 ms.
  assert.deepEqual(seekOptions({ info: info('h264', { num: 24, den: 1 }), atMs: 2000 }), [
    '-ss',
    '1.333',
    '-itsoffset',
    '-0.667',
  ]);
});

test('near the start the seek goes to 0 and the offset is the whole in-point', () => {
  assert.deepEqual(seekOptions({ info: info('h264'), atMs: 300 }), ['-ss', '0', '-itsoffset', '-0.3']);
  assert.deepEqual(seekOptions({ info: info('h264'), atMs: 0 }), ['-ss', '0']);
  assert.deepEqual(seekOptions({ info: info('h264'), atMs: -5 }), ['-ss', '0']);
});

test('codecs without reordering, stills and audio-only sources keep a plain -ss', () => {
  for (const codec of ['prores', 'mjpeg', 'vp9', 'av1'])
    assert.deepEqual(seekOptions({ info: info(codec), atMs: 2500 }), ['-ss', '2.5'], codec);
  const still = info('h264');
  still.video!.still = true;
  assert.deepEqual(seekOptions({ info: still, atMs: 2500 }), ['-ss', '2.5']);
  const audio: MediaInfo = { ...info('h264'), kind: 'audio' };
  delete audio.video;
  assert.deepEqual(seekOptions({ info: audio, atMs: 2500 }), ['-ss', '2.5']);
});
