// Output formats and overrides (issue 15, points 1 and 7): each format rendered from one small timeline and
// measured with ffprobe/ffmpeg: codec, size, duration, frame count, GIF palette size, poster pixels against
// the same frame of the MP4, sprite tiles; size and NTSC frame rates on top of a profile; extension rules.
import { after, before, test } from 'node:test';
import type { z } from 'zod';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ffmpegPath } from '../../../src/ffmpeg/binaries.js';
import { isCutroomError } from '../../../src/errors.js';
import { compile } from '../../../src/plan/compile.js';
import { OutputOptionsSchema, type OutputOptions } from '../../../src/plan/output/output-options.js';
import { getProfile } from '../../../src/plan/profiles.js';
import { fpsRational, resolveOutput } from '../../../src/plan/output/resolve-output.js';
import type { PlanSource } from '../../../src/plan/types.js';
import { parseTimeline } from '../../../src/timeline/index.js';
import { frameCount, probeJson, sampleColor, solidClip, testsrcClip } from '../../helpers/media.js';
import { realSource, runPlan, tempDir } from '../helpers/plan-fixtures.js';

const tmp = tempDir('output-formats');
after(() => tmp.cleanup());

let sources: Record<string, PlanSource> = {};
before(async () => {
  const red = await solidClip({ color: '#FF0000', durationMs: 500, width: 320, height: 180 });
  const pattern = await testsrcClip({ durationMs: 500, width: 320, height: 180, fps: 30, toneHz: 660 });
  sources = { red: realSource('red', red), pattern: realSource('pattern', pattern) };
});

// 0–500 ms red, 500–1000 ms testsrc2 pattern (picture that differs frame to frame); sound throughout.
const timeline = () =>
  parseTimeline({
    tracks: [
      {
        id: 'v',
        kind: 'video',
        clips: [
          { id: 'r', asset_id: 'red', start_ms: 0, out_ms: 500 },
          { id: 'p', asset_id: 'pattern', start_ms: 500, out_ms: 500 },
        ],
      },
    ],
  });

function render(
  name: string,
  output: z.input<typeof OutputOptionsSchema>,
  extension: string,
): { file: string; meta: Record<string, unknown> } {
  const plan = compile({
    timeline: timeline(),
    sources,
    profile: 'draft_360p',
    work_dir: tmp.dir,
    output: OutputOptionsSchema.parse(output),
    output_extension: extension,
  });
  const file = join(tmp.dir, `${name}.${extension}`);
  runPlan(plan, file);
  return { file, meta: plan.meta };
}

interface Stream {
  codec_type: string;
  codec_name: string;
  width?: number;
  height?: number;
  r_frame_rate?: string;
  duration?: string;
}
async function streams(file: string): Promise<Stream[]> {
  return (await probeJson(file)).streams as unknown as Stream[];
}
async function formatDurationMs(file: string): Promise<number> {
  const j = (await probeJson(file)) as unknown as { format: { duration: string } };
  return Math.round(Number(j.format.duration) * 1000);
}

function rawFrame(file: string, args: string[] = []): Buffer {
  const r = spawnSync(
    ffmpegPath(),
    ['-v', 'error', '-i', file, ...args, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'],
    {
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  if (r.status !== 0) throw new Error(r.stderr.toString());
  return r.stdout;
}

test('webm with VP9 and Opus, at a custom width (height from the profile aspect)', async () => {
  const { file, meta } = render('vp9', { width: 320 }, 'webm');
  const s = await streams(file);
  const v = s.find((x) => x.codec_type === 'video')!;
  assert.equal(v.codec_name, 'vp9');
  assert.deepEqual([v.width, v.height], [320, 180]);
  assert.equal(s.find((x) => x.codec_type === 'audio')?.codec_name, 'opus');
  assert.equal(await frameCount(file, { decode: true }), 30);
  assert.equal(meta.output_format, 'webm');
});

test('webm with AV1 (libsvtav1)', async () => {
  const { file } = render('av1', { format: 'webm', video_codec: 'av1', width: 320 }, 'webm');
  const v = (await streams(file)).find((x) => x.codec_type === 'video')!;
  assert.equal(v.codec_name, 'av1');
  assert.equal(await frameCount(file, { decode: true }), 30);
});

test('gif: fps and width capped, palette no larger than asked, loops', async () => {
  const { file } = render('anim', { gif: { max_fps: 10, max_width: 160, colors: 16 } }, 'gif');
  const v = (await streams(file))[0]!;
  assert.equal(v.codec_name, 'gif');
  assert.deepEqual([v.width, v.height], [160, 90]);
  assert.equal(await frameCount(file, { decode: true }), 10); // 1 s at 10 fps
  // Every decoded frame uses at most 16 distinct colours.
  const r = spawnSync(
    ffmpegPath(),
    ['-v', 'error', '-i', file, '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'],
    {
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  const px = r.stdout;
  const colours = new Set<number>();
  for (let i = 0; i < px.length; i += 3) colours.add((px[i]! << 16) | (px[i + 1]! << 8) | px[i + 2]!);
  assert.ok(colours.size <= 16 && colours.size >= 4, `${colours.size} colours`);
});

for (const [ext, codec] of [
  ['mp3', 'mp3'],
  ['wav', 'pcm_s16le'],
  ['m4a', 'aac'],
] as const) {
  test(`audio-only ${ext}: ${codec}, no picture, the timeline's length`, async () => {
    const { file } = render(`sound`, {}, ext);
    const s = await streams(file);
    assert.deepEqual(
      s.map((x) => x.codec_type),
      ['audio'],
    );
    assert.equal(s[0]!.codec_name, codec);
    // mp3 frames are 1152 samples (24 ms at 48 kHz) plus the encoder delay.
    assert.ok(Math.abs((await formatDurationMs(file)) - 1000) <= (ext === 'mp3' ? 60 : 5));
  });
}

test('poster: the same frame as the MP4 at that time (png), and a jpg', async () => {
  const mp4 = render('full', {}, 'mp4').file;
  const png = render('poster', { poster_ms: 700 }, 'png');
  const v = (await streams(png.file))[0]!;
  assert.equal(v.codec_name, 'png');
  assert.deepEqual([v.width, v.height], [640, 360]);
  // Frame 21 of the MP4 (700 ms at 30 fps) decoded, against the poster: same picture up to H.264 loss.
  const poster = rawFrame(png.file);
  const frame = rawFrame(mp4, ['-vf', 'select=eq(n\\,21)']);
  const other = rawFrame(mp4, ['-vf', 'select=eq(n\\,27)']);
  const diff = (a: Buffer, b: Buffer) => {
    let sum = 0;
    for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
    return sum / a.length;
  };
  assert.equal(poster.length, frame.length);
  assert.ok(diff(poster, frame) < 4, `poster vs frame 21: ${diff(poster, frame)}`);
  assert.ok(diff(poster, other) > diff(poster, frame) * 2, 'a different frame differs more');
  const jpg = render('poster-jpg', { poster_ms: 100 }, 'jpg');
  assert.equal((await streams(jpg.file))[0]!.codec_name, 'mjpeg');
  const c = await sampleColor({ file: jpg.file, tMs: 0, x: 320, y: 180 });
  assert.ok(c.r > 200 && c.g < 60 && c.b < 60, 'red at 100 ms');
});

test('thumbnail sprite: one tile per interval in a grid', async () => {
  const { file, meta } = render(
    'sprite',
    { format: 'sprite', sprite: { interval_ms: 250, columns: 2, tile_width: 80 } },
    'jpg',
  );
  const v = (await streams(file))[0]!;
  assert.deepEqual([v.width, v.height], [160, 92]); // 4 tiles of 80x46 (even) in 2x2
  assert.deepEqual(meta.sprite, { count: 4, columns: 2, rows: 2, every_frames: 8 });
  const tl = await sampleColor({ file, tMs: 0, x: 38, y: 20 });
  assert.ok(tl.r > 200 && tl.g < 60, 'first tile (0 ms) is red');
  const br = await sampleColor({ file, tMs: 0, x: 118, y: 66 });
  assert.ok(!(br.r > 200 && br.g < 60 && br.b < 60), 'last tile (750 ms) is the pattern, not red');
});

test('any even size and NTSC frame rates on top of a profile', async () => {
  const { file, meta } = render('ntsc', { width: 426, height: 240, fps: 29.97 }, 'mp4');
  const v = (await streams(file)).find((x) => x.codec_type === 'video')!;
  assert.deepEqual([v.width, v.height], [426, 240]);
  assert.equal(v.r_frame_rate, '30000/1001');
  assert.equal(await frameCount(file), 30); // 1000 ms at 29.97 = 29.97 -> 30 frames
  assert.deepEqual(meta.fps, { num: 30000, den: 1001 });
  const film = render('film', { fps: 23.976 }, 'mp4');
  assert.equal(await frameCount(film.file), 24);
  assert.deepEqual(fpsRational(59.94), { num: 60000, den: 1001 });
  assert.deepEqual(fpsRational(12.5), { num: 25, den: 2 });
  assert.deepEqual(fpsRational(120), { num: 120, den: 1 });
});

test('bad sizes and rates are validation errors with their path', () => {
  for (const bad of [{ width: 641 }, { height: 5000 }, { fps: 0.5 }, { fps: 121 }, { gif: { colors: 1 } }]) {
    const r = OutputOptionsSchema.safeParse(bad);
    assert.equal(r.success, false, JSON.stringify(bad));
    assert.equal(String(r.error!.issues[0]!.path[0]), Object.keys(bad)[0]);
  }
});

test('the extension decides the container; one that is no supported format, or differs, is a coded error', () => {
  const profile = getProfile('draft_360p');
  assert.equal(resolveOutput({ profile, extension: 'webm' }).muxer, 'webm');
  assert.equal(resolveOutput({ profile, extension: 'mov' }).muxer, 'mov');
  assert.equal(resolveOutput({ profile, extension: 'm4a' }).kind, 'audio');
  for (const [extension, options] of [
    ['mkv', {}],
    ['mp4', { format: 'webm' }],
    ['gif', { format: 'png' }],
    ['txt', {}],
  ] as const) {
    assert.throws(
      () => resolveOutput({ profile, extension, options: options as OutputOptions }),
      (err) => isCutroomError(err, 'OUTPUT_FORMAT_MISMATCH') && Array.isArray(err.details.valid),
      extension,
    );
  }
  assert.throws(
    () => resolveOutput({ profile, extension: 'mp4', options: { video_codec: 'av1' } }),
    (err) => isCutroomError(err, 'INVALID_PARAM'),
  );
});
