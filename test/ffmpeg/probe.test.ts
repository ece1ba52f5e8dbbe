// probeMedia on every generated fixture and every kind of bad input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isCutroomError } from '../../src/errors.js';
import { probeMedia, runFfmpeg } from '../../src/ffmpeg/index.js';
import {
  audioOnly,
  emptyFile,
  noAudioClip,
  oneFrameClip,
  pngImage,
  rotatedClip,
  sarClip,
  solidClip,
  testsrcClip,
  timecodeClip,
  textRenamedMp4,
  truncatedMp4,
  vfrClip,
} from '../helpers/media.js';

async function rejectsWith(promise: Promise<unknown>, code: string): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    assert.ok(isCutroomError(err), `expected a CutroomError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    return err;
  }
  assert.fail(`expected ${code}, but it resolved`);
}

test('CFR clip with audio: size, fps, duration, streams', async () => {
  const file = await solidClip({
    color: '#FF0000',
    durationMs: 2000,
    fps: 25,
    toneHz: 440,
    sampleRate: 44100,
  });
  const info = await probeMedia({ path: file });
  assert.equal(info.kind, 'video');
  assert.equal(info.duration_ms, 2000);
  assert.equal(info.stream_count, 2);
  assert.ok(info.size_bytes > 0);
  const v = info.video!;
  assert.deepEqual([v.width, v.height, v.display_width, v.display_height], [320, 240, 320, 240]);
  assert.deepEqual(v.fps, { num: 25, den: 1 });
  assert.deepEqual(v.avg_fps, { num: 25, den: 1 });
  assert.equal(v.vfr, false);
  assert.equal(v.rotation, 0);
  assert.deepEqual(v.sar, { num: 1, den: 1 });
  assert.equal(v.pix_fmt, 'yuv420p');
  assert.equal(v.codec, 'h264');
  assert.equal(v.frame_count, 50);
  assert.equal(v.still, false);
  const a = info.audio!;
  assert.equal(a.codec, 'aac');
  assert.equal(a.sample_rate, 44100);
  assert.equal(a.channels, 1);
  assert.equal(a.channel_layout, 'mono');
});

test('moving testsrc at 30 fps is CFR (packet intervals regular)', async () => {
  const info = await probeMedia({ path: await testsrcClip({ durationMs: 1000, fps: 30 }) });
  assert.equal(info.video!.vfr, false);
  assert.deepEqual(info.video!.fps, { num: 30, den: 1 });
});

test('VFR clip (30 fps then 10 fps) is flagged vfr with a lower average rate', async () => {
  const info = await probeMedia({ path: await vfrClip() });
  const v = info.video!;
  assert.equal(v.vfr, true);
  assert.deepEqual(v.fps, { num: 30, den: 1 });
  assert.ok(v.avg_fps.num / v.avg_fps.den < 25, `avg ${v.avg_fps.num}/${v.avg_fps.den}`);
});

test('rotated clip: rotation 90 clockwise and swapped display size', async () => {
  const info = await probeMedia({ path: await rotatedClip({ rotation: 90 }) });
  const v = info.video!;
  assert.equal(v.rotation, 90);
  assert.deepEqual([v.width, v.height], [320, 240]);
  assert.deepEqual([v.display_width, v.display_height], [240, 320]);
  const upsideDown = await probeMedia({ path: await rotatedClip({ rotation: 180 }) });
  assert.equal(upsideDown.video!.rotation, 180);
  assert.deepEqual([upsideDown.video!.display_width, upsideDown.video!.display_height], [320, 240]);
});

test('SAR 2:1 clip displays twice as wide', async () => {
  const v = (await probeMedia({ path: await sarClip() })).video!;
  assert.deepEqual(v.sar, { num: 2, den: 1 });
  assert.equal(v.width, 320);
  assert.equal(v.display_width, 640);
  assert.equal(v.display_height, 240);
});

test('no-audio clip has video only', async () => {
  const info = await probeMedia({ path: await noAudioClip() });
  assert.equal(info.kind, 'video');
  assert.equal(info.audio, undefined);
  assert.equal(info.stream_count, 1);
});

test('audio-only files (wav and m4a)', async () => {
  for (const format of ['wav', 'm4a'] as const) {
    const info = await probeMedia({
      path: await audioOnly({ toneHz: 1000, durationMs: 1500, format, sampleRate: 16000 }),
    });
    assert.equal(info.kind, 'audio', format);
    assert.equal(info.video, undefined);
    assert.equal(info.audio!.sample_rate, 16000);
    assert.equal(info.audio!.channels, 1);
    assert.ok(Math.abs(info.duration_ms - 1500) <= 30, `${format} duration ${info.duration_ms}`);
  }
});

test('PNG is an image: still, no duration', async () => {
  const info = await probeMedia({ path: await pngImage({ color: '#0000FF', width: 64, height: 48 }) });
  assert.equal(info.kind, 'image');
  assert.equal(info.duration_ms, 0);
  assert.equal(info.video!.still, true);
  assert.equal(info.video!.vfr, false);
  assert.deepEqual([info.video!.width, info.video!.height], [64, 48]);
});

test('one-frame clip is video with one frame', async () => {
  const info = await probeMedia({ path: await oneFrameClip() });
  assert.equal(info.kind, 'video');
  assert.equal(info.video!.frame_count, 1);
  assert.equal(info.video!.still, false);
  assert.ok(info.video!.duration_ms > 0 && info.video!.duration_ms <= 40);
});

test('container timecode is reported; the tmcd data track is counted but is not the picture', async () => {
  const info = await probeMedia({ path: await timecodeClip({ timecode: '01:00:10:05' }) });
  assert.equal(info.timecode, '01:00:10:05');
  assert.equal(info.stream_count, 2);
  assert.equal(info.kind, 'video');
  assert.equal(info.video!.index, 0);
});

test('bad inputs map to their codes', async () => {
  await rejectsWith(probeMedia({ path: await emptyFile() }), 'EMPTY_UPLOAD');
  await rejectsWith(probeMedia({ path: await textRenamedMp4() }), 'UNSUPPORTED_MEDIA');
  await rejectsWith(probeMedia({ path: await truncatedMp4() }), 'MEDIA_CORRUPT');
  await rejectsWith(probeMedia({ path: join(tmpdir(), 'cutroom-definitely-missing.mp4') }), 'PROBE_FAILED');
});

test('faststart MP4 cut short (index intact, data missing) is MEDIA_CORRUPT', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cutroom-probe-'));
  try {
    // Cutting a normal MP4 loses its trailing moov (covered above); with +faststart the index survives the
    // cut and ffprobe alone reports the file as healthy.
    const src = await testsrcClip({ durationMs: 2000 });
    const faststart = join(dir, 'faststart.mp4');
    await runFfmpeg({
      args: ['-i', src, '-c', 'copy', '-movflags', '+faststart'],
      output: faststart,
      stage: 'mux',
    });
    const whole = await probeMedia({ path: faststart });
    assert.equal(whole.kind, 'video');
    const bytes = readFileSync(faststart);
    const cut = join(dir, 'cut.mp4');
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * 0.7)));
    await rejectsWith(probeMedia({ path: cut }), 'MEDIA_CORRUPT');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a path that looks like a protocol or option is read as a local file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cutroom-probe-'));
  try {
    const odd = join(dir, '-pipe:1 [x];y.mp4');
    writeFileSync(odd, readFileSync(await noAudioClip()));
    const info = await probeMedia({ path: odd });
    assert.equal(info.kind, 'video');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('abort signal rejects the probe', async () => {
  const ac = new AbortController();
  ac.abort(new Error('stop'));
  await assert.rejects(probeMedia({ path: await noAudioClip(), signal: ac.signal }), /stop/);
});
