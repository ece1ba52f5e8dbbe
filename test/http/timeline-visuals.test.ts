// Filmstrip (thumbnail sprite + index) and waveform peaks over HTTP, on real media: a generated testsrc2 clip, a
// sine with a silent second half, and a real clip from opencv-doc. The sprite is checked with ffprobe (size),
// by its pixels (the last tile is not padding, a tile shows the frame of its time) and the peaks by value.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RequestContext } from '../../src/context.js';
import { probeJson, testsrcClip } from '../helpers/media.js';
import { auth, startTestServer, type TestServer } from './helpers.js';

const REAL_CLIP = '/usr/share/doc/opencv-doc/examples/data/Megamind.avi';

let server: TestServer;
let dir: string;
let clipId: string;
let toneId: string;
let silentVideoId: string;
let realId: string | undefined;
let clipPath: string;
const ctx: RequestContext = { tenantId: 'ta', env: 'dev', requestId: 'req_visuals' };

function ffmpegRaw(args: string[]): Buffer {
  const r = spawnSync('ffmpeg', ['-v', 'error', ...args, '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'], {
    maxBuffer: 64 << 20,
  });
  assert.equal(r.status, 0, String(r.stderr));
  return r.stdout;
}

function meanAbsDiff(a: Buffer, b: Buffer): number {
  assert.equal(a.length, b.length);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
  return sum / a.length;
}

before(async () => {
  server = await startTestServer();
  dir = mkdtempSync(join(tmpdir(), 'cutroom-visuals-'));
  clipPath = await testsrcClip({ durationMs: 3000, width: 320, height: 240, fps: 25 });
  // 1 s of a 440 Hz sine at amplitude 0.6, then 1 s of digital silence.
  const tone = join(dir, 'tone-then-silence.wav');
  const g = spawnSync('ffmpeg', [
    ...['-v', 'error', '-f', 'lavfi', '-i', 'aevalsrc=0.6*sin(2*PI*440*t)*lt(t\\,1):s=48000:d=2'],
    ...['-c:a', 'pcm_s16le', tone],
  ]);
  assert.equal(g.status, 0, String(g.stderr));
  const silent = await testsrcClip({ durationMs: 1000, width: 160, height: 120, fps: 25, toneHz: null });
  const reg = async (path: string) =>
    (await server.services.assets.registerAsset(ctx, { source: { path } })).asset.id;
  clipId = await reg(clipPath);
  toneId = await reg(tone);
  silentVideoId = await reg(silent);
  if (existsSync(REAL_CLIP)) realId = await reg(REAL_CLIP);
});

after(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const get = (url: string, headers: Record<string, string> = {}, key = server.keyA) =>
  server.app.inject({ method: 'GET', url, headers: { ...auth(key, 'dev'), ...headers } });

test('filmstrip: index and sprite agree with ffprobe; tiles show the frames of their times; cached', async () => {
  const res = await get(`/media-v2/assets/${clipId}/filmstrip?height=60&frames=12`);
  assert.equal(res.statusCode, 200, res.body);
  const index = res.json();
  assert.equal(index.count, 12);
  assert.equal(index.tiles.length, 12);
  assert.equal(index.tile_height, 60);
  assert.equal(index.tile_width, 80); // 320x240 is 4:3
  assert.deepEqual([index.columns, index.rows, index.width, index.height], [10, 2, 800, 120]);
  assert.deepEqual(index.tiles[11], { index: 11, time_ms: 2750, x: 80, y: 60, width: 80, height: 60 });
  assert.equal(index.cached, false);
  assert.ok(res.headers.etag);

  const img = await get(index.image_url);
  assert.equal(img.statusCode, 200);
  assert.equal(img.headers['content-type'], 'image/jpeg');
  const sprite = join(dir, 'sprite.jpg');
  writeFileSync(sprite, img.rawPayload);
  const probe = await probeJson(sprite);
  const stream = probe.streams[0] as { width: number; height: number; codec_name: string };
  assert.equal(stream.codec_name, 'mjpeg');
  assert.deepEqual([stream.width, stream.height], [index.width, index.height]);

  // The last tile is a real frame, not the black padding of the unused cells after it.
  const last = index.tiles[11];
  const tilePx = (t: { x: number; y: number }) =>
    ffmpegRaw(['-i', sprite, '-vf', `crop=80:60:${t.x}:${t.y}`]);
  const padding = ffmpegRaw(['-i', sprite, '-vf', 'crop=80:60:720:60']);
  assert.ok(Math.max(...padding) < 30, 'unused cell is black');
  assert.ok(meanAbsDiff(tilePx(last), padding) > 40, 'last tile has picture');
  // Each sampled tile looks most like the source frame at its own time among the frames of every tile's time.
  const frameAt = (ms: number) =>
    ffmpegRaw([
      '-i',
      clipPath,
      '-ss',
      String(ms / 1000),
      '-frames:v',
      '1',
      '-vf',
      'scale=80:60:flags=bicubic,setsar=1',
    ]);
  const frames = index.tiles.map((t: { time_ms: number }) => frameAt(t.time_ms));
  for (const k of [1, 5, 10]) {
    const tile = tilePx(index.tiles[k]);
    const diffs = frames.map((f: Buffer) => meanAbsDiff(tile, f));
    assert.equal(
      diffs.indexOf(Math.min(...diffs)),
      k,
      `tile ${k}: ${diffs.map((d: number) => d.toFixed(1)).join(' ')}`,
    );
  }

  const again = await get(`/media-v2/assets/${clipId}/filmstrip?height=60&frames=12`);
  assert.equal(again.json().cached, true);
  assert.equal(again.json().artifact_id, index.artifact_id);
  const revalidate = await get(`/media-v2/assets/${clipId}/filmstrip?height=60&frames=12`, {
    'if-none-match': String(res.headers.etag),
  });
  assert.equal(revalidate.statusCode, 304);
  const range = await get(index.image_url, { range: 'bytes=0-99' });
  assert.equal(range.statusCode, 206);
  assert.equal(range.rawPayload.length, 100);
  assert.deepEqual([...range.rawPayload.subarray(0, 2)], [0xff, 0xd8]);
  assert.equal(range.headers['content-range'], `bytes 0-99/${img.rawPayload.length}`);
  const imgEtag = await get(index.image_url, { 'if-none-match': String(img.headers.etag) });
  assert.equal(imgEtag.statusCode, 304);
  // Another height is another artifact.
  const other72 = await get(`/media-v2/assets/${clipId}/filmstrip?frames=12`);
  assert.equal(other72.json().tile_height, 72);
  assert.notEqual(other72.json().artifact_id, index.artifact_id);
});

test(
  'filmstrip of a real clip (opencv-doc Megamind.avi): sprite size and tile count',
  { skip: !existsSync(REAL_CLIP) },
  async () => {
    const res = await get(`/media-v2/assets/${realId}/filmstrip?height=48&frames=8`);
    assert.equal(res.statusCode, 200, res.body);
    const index = res.json();
    const asset = await server.services.assets.getAsset(ctx, realId!);
    const v = asset.media_info.video!;
    const expectedWidth = 2 * Math.round((v.display_width * 48) / v.display_height / 2);
    assert.deepEqual([index.count, index.columns, index.rows, index.tile_width], [8, 8, 1, expectedWidth]);
    assert.equal(index.tiles[7].time_ms, Math.round((7 * asset.media_info.duration_ms) / 8));
    const img = await get(index.image_url);
    const sprite = join(dir, 'megamind.jpg');
    writeFileSync(sprite, img.rawPayload);
    const stream = (await probeJson(sprite)).streams[0] as { width: number; height: number };
    assert.deepEqual([stream.width, stream.height], [8 * expectedWidth, 48]);
  },
);

test('waveform: a sine of amplitude 0.6 peaks at 0.6 of full scale, the silent second is ~0', async () => {
  const res = await get(`/media-v2/assets/${toneId}/waveform?level=0`);
  assert.equal(res.statusCode, 200, res.body);
  const w = res.json();
  assert.equal(w.sample_rate, 16000);
  assert.equal(w.samples_per_bucket, 64);
  assert.equal(w.bucket_ms, 4);
  assert.ok(Math.abs(w.audio_duration_ms - 2000) <= 5, String(w.audio_duration_ms));
  assert.equal(w.length, Math.ceil((w.audio_duration_ms * 16) / 64));
  assert.equal(w.data.length, 2 * w.length);
  const expected = Math.round(127 * 0.6);
  // Buckets of 4 ms hold at least one full 440 Hz period (2.3 ms), so each reaches the amplitude.
  for (let b = 5; b < 240; b++) {
    assert.ok(Math.abs(w.data[2 * b + 1] - expected) <= 2, `bucket ${b} max ${w.data[2 * b + 1]}`);
    assert.ok(Math.abs(w.data[2 * b] + expected) <= 2, `bucket ${b} min ${w.data[2 * b]}`);
  }
  for (let b = 265; b < w.length; b++) {
    assert.ok(Math.abs(w.data[2 * b]) <= 1 && Math.abs(w.data[2 * b + 1]) <= 1, `bucket ${b} not silent`);
  }
  // Coarser levels merge buckets: level 4 (1.024 s) has 2 buckets, the first at full amplitude, and a window.
  const coarse = (await get(`/media-v2/assets/${toneId}/waveform?level=4`)).json();
  assert.equal(coarse.length, 2);
  assert.ok(Math.abs(coarse.data[1] - expected) <= 2);
  assert.deepEqual(
    coarse.levels.map((l: { samples_per_bucket: number }) => l.samples_per_bucket),
    [64, 256, 1024, 4096, 16384],
  );
  const windowed = (
    await get(`/media-v2/assets/${toneId}/waveform?level=2&start_ms=1280&end_ms=1920`)
  ).json();
  assert.deepEqual([windowed.first_bucket, windowed.length], [20, 10]);
  assert.ok(windowed.data.every((v: number) => Math.abs(v) <= 1));
  const bad = await get(`/media-v2/assets/${toneId}/waveform?start_ms=50&end_ms=10`);
  assert.equal(bad.statusCode, 400);
  assert.equal(bad.json().error.code, 'INVALID_PARAM');
});

test('another tenant gets 404 for filmstrip, sprite and waveform; missing streams and bad input are coded', async () => {
  for (const url of [
    `/media-v2/assets/${clipId}/filmstrip`,
    `/media-v2/assets/${clipId}/filmstrip/image`,
    `/media-v2/assets/${toneId}/waveform`,
  ]) {
    const res = await get(url, {}, server.keyB);
    assert.equal(res.statusCode, 404, url);
    assert.equal(res.json().error.code, 'ASSET_NOT_FOUND');
  }
  const noVideo = await get(`/media-v2/assets/${toneId}/filmstrip`);
  assert.equal(noVideo.statusCode, 422);
  assert.equal(noVideo.json().error.code, 'MEDIA_STREAM_MISSING');
  const noAudio = await get(`/media-v2/assets/${silentVideoId}/waveform`);
  assert.equal(noAudio.statusCode, 422);
  assert.equal(noAudio.json().error.code, 'MEDIA_STREAM_MISSING');
  const tooSmall = await get(`/media-v2/assets/${clipId}/filmstrip?height=4`);
  assert.equal(tooSmall.statusCode, 400);
  assert.equal(tooSmall.json().error.code, 'VALIDATION_FAILED');
  const traversal = await get(`/media-v2/assets/${encodeURIComponent('../../etc/passwd')}/waveform`);
  assert.ok([400, 404].includes(traversal.statusCode), String(traversal.statusCode));
  const noKey = await server.app.inject({ method: 'GET', url: `/media-v2/assets/${clipId}/filmstrip` });
  assert.equal(noKey.statusCode, 401);
});

test('the routes are in /openapi.json', async () => {
  const doc = (await get('/openapi.json')).json();
  assert.ok(doc.paths['/media-v2/assets/{id}/filmstrip'].get);
  assert.ok(doc.paths['/media-v2/assets/{id}/filmstrip/image'].get);
  assert.ok(doc.paths['/media-v2/assets/{id}/waveform'].get);
});
