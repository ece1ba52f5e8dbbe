// Image sequences (issue 15.1): png_sequence / jpg_sequence render every frame into one stored .zip. Measured:
// the entries (count = duration × fps exactly, numbered from 0), each frame's codec and size with ffprobe, the
// pixels of frame 21 against the same frame of the MP4 render and against the PNG poster at that time, the
// same bytes on a second render; .zip without a sequence format is refused.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RequestContext } from '../../src/context.js';
import { ffmpegPath } from '../../src/ffmpeg/binaries.js';
import { createServices, type Services } from '../../src/media/services.js';
import { OutputOptionsSchema } from '../../src/plan/output/output-options.js';
import { resolveOutput } from '../../src/plan/output/resolve-output.js';
import { getProfile } from '../../src/plan/profiles.js';
import { renderToFile } from '../../src/render/render-to-file.js';
import { parseTimeline, type Timeline } from '../../src/timeline/index.js';
import { probeJson, solidClip, testsrcClip } from '../helpers/media.js';

let dir: string;
let services: Services;
const ctx: RequestContext = { tenantId: 'local', env: 'dev', requestId: 'req_seq' };
let timeline: Timeline;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cutroom-seq-'));
  services = await createServices({ dataDir: join(dir, 'data') });
  await services.tenants.createTenant({ id: 'local', envs: ['dev'] });
  const red = await solidClip({ color: '#FF0000', durationMs: 500, width: 320, height: 180 });
  const pattern = await testsrcClip({ durationMs: 500, width: 320, height: 180, fps: 30, toneHz: 660 });
  const ids: string[] = [];
  for (const path of [red, pattern])
    ids.push((await services.assets.registerAsset(ctx, { source: { path } })).asset.id);
  // 0–500 ms red, 500–1000 ms the testsrc2 pattern (a picture that changes every frame).
  timeline = parseTimeline({
    tracks: [
      {
        id: 'v',
        kind: 'video',
        clips: [
          { id: 'r', asset_id: ids[0]!, start_ms: 0, out_ms: 500 },
          { id: 'p', asset_id: ids[1]!, start_ms: 500, out_ms: 500 },
        ],
      },
    ],
  });
});

after(async () => {
  await services.close();
  await rm(dir, { recursive: true, force: true });
});

function unzip(zip: string, into: string): void {
  const r = spawnSync('unzip', ['-q', '-o', zip, '-d', into]);
  assert.equal(r.status, 0, r.stderr.toString());
}

/** unzip -t checks every entry's CRC and the directory. */
function zipTest(zip: string): string {
  const r = spawnSync('unzip', ['-t', zip]);
  assert.equal(r.status, 0, r.stdout.toString() + r.stderr.toString());
  return r.stdout.toString();
}

function rawFrame(file: string, args: string[] = []): Buffer {
  const r = spawnSync(
    ffmpegPath(),
    ['-v', 'error', '-i', file, ...args, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  if (r.status !== 0) throw new Error(r.stderr.toString());
  return r.stdout;
}

const meanDiff = (a: Buffer, b: Buffer) => {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
  return sum / a.length;
};

interface Stream {
  codec_name: string;
  width: number;
  height: number;
}

test('png_sequence: one PNG per frame in a zip, numbered from 0; frame 21 is the MP4 frame 21 and the poster', async () => {
  const zip = join(dir, 'frames.zip');
  const result = await renderToFile({
    services,
    ctx,
    timeline,
    profile: 'draft_360p',
    output: zip,
    outputOptions: OutputOptionsSchema.parse({ format: 'png_sequence' }),
  });
  const meta = result.plan.meta;
  assert.equal(meta.output_format, 'png_sequence');
  // 1000 ms at 30 fps: exactly 30 frames.
  const expected = (meta.duration_ms * meta.fps.num) / (meta.fps.den * 1000);
  assert.equal(expected, 30);
  assert.equal(meta.frame_count, 30);
  assert.match(zipTest(zip), /No errors detected/);

  const out = join(dir, 'png');
  unzip(zip, out);
  const names = (await readdir(out)).sort();
  assert.deepEqual(
    names,
    Array.from({ length: 30 }, (_, i) => `frame_${String(i).padStart(6, '0')}.png`),
  );
  for (const name of [names[0]!, names[29]!]) {
    const s = (await probeJson(join(out, name))).streams as unknown as Stream[];
    assert.equal(s.length, 1);
    assert.equal(s[0]!.codec_name, 'png');
    assert.deepEqual([s[0]!.width, s[0]!.height], [640, 360]);
  }

  // The same frame of an MP4 render of the same timeline, up to H.264 loss; another frame differs more.
  const mp4 = join(dir, 'full.mp4');
  await renderToFile({ services, ctx, timeline, profile: 'draft_360p', output: mp4 });
  const f21 = rawFrame(join(out, 'frame_000021.png'));
  const mp4f21 = rawFrame(mp4, ['-vf', 'select=eq(n\\,21)']);
  const mp4f27 = rawFrame(mp4, ['-vf', 'select=eq(n\\,27)']);
  assert.equal(f21.length, 640 * 360 * 3);
  assert.equal(f21.length, mp4f21.length);
  assert.ok(meanDiff(f21, mp4f21) < 4, `frame 21 vs MP4 frame 21: ${meanDiff(f21, mp4f21)}`);
  assert.ok(meanDiff(f21, mp4f27) > meanDiff(f21, mp4f21) * 2, 'a different frame differs more');
  // Both lossless: the PNG poster at 700 ms (frame 21) is the very same picture, byte for byte.
  const poster = join(dir, 'poster.png');
  await renderToFile({
    services,
    ctx,
    timeline,
    profile: 'draft_360p',
    output: poster,
    outputOptions: OutputOptionsSchema.parse({ poster_ms: 700 }),
  });
  assert.ok(rawFrame(poster).equals(f21), 'poster at 700 ms = frame_000021.png');
  // Frame 0 is the red clip.
  const f0 = rawFrame(join(out, 'frame_000000.png'));
  const mid = (320 + 180 * 640) * 3;
  assert.ok(f0[mid]! > 200 && f0[mid + 1]! < 60 && f0[mid + 2]! < 60, 'frame 0 is red');

  // Same input, same bytes.
  const again = join(dir, 'frames-again.zip');
  await renderToFile({
    services,
    ctx,
    timeline,
    profile: 'draft_360p',
    output: again,
    outputOptions: OutputOptionsSchema.parse({ format: 'png_sequence' }),
  });
  const sha = async (p: string) =>
    createHash('sha256')
      .update(await readFile(p))
      .digest('hex');
  assert.equal(await sha(again), await sha(zip));
  // Nothing else is left next to the output (no partial file, no frames outside the zip).
  assert.deepEqual(
    (await readdir(dir)).filter((f) => f.startsWith('.partial')),
    [],
  );
});

test('jpg_sequence at a custom size and rate: frame count is duration × fps, JPEG frames', async () => {
  const zip = join(dir, 'small.zip');
  const result = await renderToFile({
    services,
    ctx,
    timeline,
    profile: 'draft_360p',
    output: zip,
    outputOptions: OutputOptionsSchema.parse({ format: 'jpg_sequence', width: 320, fps: 12 }),
  });
  assert.equal(result.plan.meta.frame_count, 12);
  const out = join(dir, 'jpg');
  unzip(zip, out);
  const names = (await readdir(out)).sort();
  assert.equal(names.length, 12);
  assert.equal(names[11], 'frame_000011.jpg');
  const s = (await probeJson(join(out, names[5]!))).streams as unknown as Stream[];
  assert.equal(s[0]!.codec_name, 'mjpeg');
  assert.deepEqual([s[0]!.width, s[0]!.height], [320, 180]);
});

test('.zip needs a sequence format, and a sequence format needs .zip', () => {
  const profile = getProfile('draft_360p');
  assert.throws(() => resolveOutput({ profile, extension: 'zip' }), { code: 'OUTPUT_FORMAT_MISMATCH' });
  assert.throws(() => resolveOutput({ profile, options: { format: 'png_sequence' }, extension: 'png' }), {
    code: 'OUTPUT_FORMAT_MISMATCH',
  });
  assert.equal(
    resolveOutput({ profile, options: { format: 'jpg_sequence' }, extension: 'zip' }).kind,
    'sequence',
  );
  // As render jobs (over HTTP too): test/http/render-sequence-jobs.test.ts.
});
