// readFrames / readPcm: counts, sizes, colours, timestamps, early stop and abort really end ffmpeg.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isCutroomError } from '../../src/errors.js';
import { readFrames, readPcm } from '../../src/ffmpeg/index.js';
import {
  audioOnly,
  noAudioClip,
  rotatedClip,
  solidClip,
  testsrcClip,
  textRenamedMp4,
  vfrClip,
} from '../helpers/media.js';
import { childPids, procAvailable, waitNoChildren } from '../helpers/process-tree.js';

function meanRgb(data: Buffer): { r: number; g: number; b: number } {
  let r = 0;
  let g = 0;
  let b = 0;
  for (let i = 0; i < data.length; i += 3) {
    r += data[i]!;
    g += data[i + 1]!;
    b += data[i + 2]!;
  }
  const n = data.length / 3;
  return { r: r / n, g: g / n, b: b / n };
}

test('every frame of a solid red clip: count, size, colour, timestamps', async () => {
  const file = await solidClip({ color: '#FF0000', durationMs: 1000, fps: 30 });
  const frames = [];
  for await (const f of readFrames({ path: file, width: 40, height: 30, pixFmt: 'rgb24' })) frames.push(f);
  assert.equal(frames.length, 30);
  frames.forEach((f, i) => {
    assert.equal(f.index, i);
    assert.equal(f.data.length, 40 * 30 * 3);
    assert.equal(f.ptsMs, Math.round((i * 1000) / 30));
  });
  const c = meanRgb(frames[15]!.data);
  assert.ok(c.r > 240 && c.g < 12 && c.b < 12, JSON.stringify(c));
  // Frames are independent buffers (not one reused buffer overwritten under the consumer).
  const before = frames[0]!.data[0];
  frames[1]!.data[0] = 7;
  assert.equal(frames[0]!.data[0], before);
});

test('gray frames are width*height bytes; sizes not dividing the chunk size still come out whole', async () => {
  const file = await testsrcClip({ durationMs: 1000, fps: 30 });
  let count = 0;
  for await (const f of readFrames({ path: file, width: 97, height: 61, pixFmt: 'gray' })) {
    assert.equal(f.data.length, 97 * 61);
    count += 1;
  }
  assert.equal(count, 30);
});

test('sampling with fps, startMs and durationMs gives source timestamps on the grid', async () => {
  const file = await testsrcClip({ durationMs: 2000, fps: 30 });
  const pts: number[] = [];
  for await (const f of readFrames({
    path: file,
    width: 32,
    height: 24,
    pixFmt: 'gray',
    fps: 5,
    startMs: 500,
    durationMs: 1000,
  })) {
    pts.push(f.ptsMs);
  }
  assert.deepEqual(pts, [500, 700, 900, 1100, 1300]);
});

test('VFR source without fps: real frame times, no duplicated frames', async () => {
  const pts: number[] = [];
  for await (const f of readFrames({ path: await vfrClip(), width: 16, height: 16, pixFmt: 'gray' }))
    pts.push(f.ptsMs);
  assert.equal(pts.length, 39);
  assert.equal(pts[29], 967);
  assert.equal(pts[30], 1000);
  assert.equal(pts[31], 1100);
  assert.equal(pts.at(-1), 1800);
});

test('rotated source comes out in display orientation', async () => {
  const file = await rotatedClip({ rotation: 90 });
  for await (const f of readFrames({ path: file, width: 24, height: 32, pixFmt: 'gray' })) {
    // White (left half of the coded frame) is now the top half.
    const top = f.data[2 * 24 + 12]!;
    const bottom = f.data[29 * 24 + 12]!;
    assert.ok(top > 230 && bottom < 25, `top ${top} bottom ${bottom}`);
    break;
  }
});

test('breaking out early kills ffmpeg', { skip: !procAvailable() && 'needs /proc' }, async () => {
  const file = await testsrcClip({ durationMs: 10_000, fps: 30 });
  let seen = 0;
  for await (const f of readFrames({ path: file, width: 320, height: 240, pixFmt: 'rgb24' })) {
    seen = f.index + 1;
    if (seen === 3) {
      // Still running here (pipe backpressure holds it), so the check below can fail.
      assert.ok(childPids('ffmpeg').length >= 1, 'ffmpeg should be running mid-read');
      break;
    }
  }
  assert.equal(seen, 3);
  assert.deepEqual(await waitNoChildren('ffmpeg', 5000), []);
});

test('abort signal stops the read and ffmpeg', { skip: !procAvailable() && 'needs /proc' }, async () => {
  const file = await testsrcClip({ durationMs: 10_000, fps: 30 });
  const ac = new AbortController();
  let seen = 0;
  await assert.rejects(async () => {
    for await (const f of readFrames({
      path: file,
      width: 320,
      height: 240,
      pixFmt: 'rgb24',
      signal: ac.signal,
    })) {
      seen = f.index + 1;
      if (seen === 2) ac.abort(new Error('user stopped'));
    }
  }, /user stopped/);
  assert.equal(seen, 2, 'no frame is yielded after the abort');
  assert.deepEqual(await waitNoChildren('ffmpeg', 5000), []);
});

test('unreadable input -> DECODE_FAILED with the stderr tail', async () => {
  await assert.rejects(
    async () => {
      for await (const _ of readFrames({
        path: await textRenamedMp4(),
        width: 16,
        height: 16,
        pixFmt: 'gray',
      })) {
        // no frames expected
      }
    },
    (err: unknown) =>
      isCutroomError(err, 'DECODE_FAILED') && /Invalid data found/.test(String(err.details.stderr_tail)),
  );
});

test('bad sizes are rejected before spawning', async () => {
  await assert.rejects(
    async () => {
      for await (const _ of readFrames({ path: 'x.mp4', width: 0, height: 10, pixFmt: 'gray' })) {
        // unreachable
      }
    },
    (err: unknown) => isCutroomError(err, 'INVALID_PARAM'),
  );
});

test('readPcm of a 1 kHz sine: length and RMS = 0.707 * amplitude', async () => {
  const file = await audioOnly({ toneHz: 1000, amplitude: 0.5, durationMs: 1000, sampleRate: 48000 });
  const pcm = await readPcm({ path: file, sampleRate: 16000 });
  assert.equal(pcm.length, 16000);
  let sum = 0;
  for (const x of pcm) sum += x * x;
  const rms = Math.sqrt(sum / pcm.length);
  assert.ok(Math.abs(rms - 0.5 * Math.SQRT1_2) < 0.01, `rms ${rms}`);
  const stereoWindow = await readPcm({
    path: file,
    sampleRate: 8000,
    channels: 2,
    startMs: 250,
    durationMs: 500,
  });
  assert.equal(stereoWindow.length, 8000 * 2 * 0.5);
});

test('readPcm of a file without audio -> DECODE_FAILED no_audio_stream', async () => {
  await assert.rejects(
    readPcm({ path: await noAudioClip(), sampleRate: 16000 }),
    (err: unknown) => isCutroomError(err, 'DECODE_FAILED') && err.details.reason === 'no_audio_stream',
  );
});
