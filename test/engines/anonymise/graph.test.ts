// Exact filter strings of the anonymise pass (pure builders), reviewed like code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { anonymiseGraph } from '../../../src/engines/anonymise/anonymise-graph.js';
import { effectFilter } from '../../../src/engines/anonymise/effect-filter.js';
import { rawMaskInputArgs } from '../../../src/engines/regions/mask-filter.js';
import { frameGeometry } from '../../../src/engines/regions/frame-geometry.js';
import type { MediaInfo } from '../../../src/timeline/media-info.js';

test('effect chains scale with the face and never print float noise', () => {
  const base = { width: 1920, height: 1080, faceHeightPx: 300 };
  assert.deepEqual(effectFilter({ ...base, method: 'blur', strength: 'medium' }), {
    chain: 'scale=138:78:flags=area,gblur=sigma=3,scale=1920:1080:flags=bilinear',
    params: { sigma_px: 42, downscale: 14 },
  });
  assert.deepEqual(effectFilter({ ...base, method: 'pixelate', strength: 'strong' }), {
    chain: 'scale=32:18:flags=area,scale=1920:1080:flags=neighbor',
    params: { block_px: 60 },
  });
  assert.deepEqual(effectFilter({ ...base, method: 'box', strength: 'light' }), {
    chain: 'lutyuv=y=16:u=128:v=128',
    params: {},
  });
  // A tiny face: blur at full size (no downscale), pixel blocks at least 4 px.
  assert.equal(
    effectFilter({ width: 320, height: 240, faceHeightPx: 20, method: 'blur', strength: 'light' }).chain,
    'gblur=sigma=2',
  );
  assert.deepEqual(
    effectFilter({ width: 320, height: 240, faceHeightPx: 20, method: 'pixelate', strength: 'light' }).params,
    { block_px: 4 },
  );
});

test('anonymise graph: split, hide, alphamerge the upscaled mask, overlay back', () => {
  assert.equal(
    anonymiseGraph({ effect: 'lutyuv=y=16:u=128:v=128', width: 1920, height: 1080, outPixFmt: 'yuv420p' }),
    '[0:v:0]format=yuv420p,split=2[base][fx];[fx]lutyuv=y=16:u=128:v=128[hidden];' +
      '[1:v]scale=1920:1080:flags=bilinear,format=gray[mask];[hidden][mask]alphamerge=shortest=1[cut];' +
      '[base][cut]overlay=format=yuv420:eof_action=pass:shortest=1,format=yuv420p[vout]',
  );
  assert.deepEqual(
    rawMaskInputArgs({ path: '/w/m.gray', width: 320, height: 180, fps: { num: 30000, den: 1001 } }),
    [
      '-f',
      'rawvideo',
      '-pix_fmt',
      'gray',
      '-video_size',
      '320x180',
      '-framerate',
      '30000/1001',
      '-i',
      '/w/m.gray',
    ],
  );
});

test('frame geometry: rotation swaps the decoded size; one mask frame past the end; stills get one', () => {
  const video = {
    index: 0,
    codec: 'h264',
    width: 1920,
    height: 1080,
    display_width: 1080,
    display_height: 1920,
    fps: { num: 30, den: 1 },
    avg_fps: { num: 30, den: 1 },
    vfr: false,
    rotation: 90 as const,
    sar: { num: 1, den: 1 },
    pix_fmt: 'yuv420p',
    duration_ms: 2000,
    start_ms: 0,
    still: false,
  };
  const info: MediaInfo = {
    kind: 'video',
    format_name: 'mp4',
    duration_ms: 2000,
    size_bytes: 1,
    stream_count: 1,
    video,
  };
  assert.deepEqual(frameGeometry(info), {
    width: 1080,
    height: 1920,
    fps: { num: 30, den: 1 },
    frameCount: 61,
    still: false,
  });
  assert.equal(frameGeometry({ ...info, kind: 'image', video: { ...video, still: true } })!.frameCount, 1);
  assert.equal(frameGeometry({ ...info, video: undefined }), null);
});
