// Clips and chunks that start on a leading picture of an open-GOP keyframe (the B frames shown just before an
// x264 --open-gop I frame but decoded after it) start on the right source frame. A plain `-ss` landed on that
// keyframe, whose leading pictures cannot be decoded from there, and the output started on the keyframe
// (source frame 30 for a clip at frame 29); src/plan/seek-options.ts seeks a margin earlier.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RequestContext } from '../../src/context.js';
import { ffmpegPath, ffprobePath } from '../../src/ffmpeg/binaries.js';
import { renderToFile } from '../../src/render/index.js';
import { parseTimeline, type TimelineInput } from '../../src/timeline/index.js';
import { makeServices, type TestServices } from '../media/setup.js';

let services: TestServices;
let ctx: RequestContext;
let dir: string;
let source: { id: string; path: string };

const W = 640;
const H = 360;

function run(bin: string, args: string[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(Buffer.concat(out)) : reject(new Error(`${bin} ${args.join(' ')}: ${err}`)),
    );
  });
}

/** Every frame of a file decoded from its start, as 8-bit luma planes, in display order (index = frame number). */
async function lumaFrames(file: string, frames?: number): Promise<Buffer[]> {
  const raw = await run(ffmpegPath(), [
    ...['-v', 'error', '-i', file, '-map', '0:v:0'],
    ...(frames !== undefined ? ['-frames:v', String(frames)] : []),
    ...['-f', 'rawvideo', '-pix_fmt', 'gray', '-'],
  ]);
  const size = W * H;
  const out: Buffer[] = [];
  for (let o = 0; o + size <= raw.length; o += size) out.push(raw.subarray(o, o + size));
  return out;
}

function mse(a: Buffer, b: Buffer): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - b[i]!) ** 2;
  return s / a.length;
}

/** The source frame an output frame shows: the nearest in pixels, and how much nearer it is than the runner-up. */
function matchFrame(frame: Buffer, src: Buffer[]): { frame: number; ratio: number } {
  const d = src.map((s) => mse(frame, s));
  const order = d.map((_, i) => i).sort((x, y) => d[x]! - d[y]!);
  return { frame: order[0]!, ratio: d[order[1]!]! / Math.max(1e-9, d[order[0]!]!) };
}

/** Source keyframes and, for each, its leading pictures (shown before it, decoded after it), as frame numbers. */
async function leadingPictures(file: string): Promise<Map<number, number[]>> {
  const csv = (
    await run(ffprobePath(), [
      ...['-v', 'error', '-select_streams', 'v:0', '-show_packets'],
      ...['-show_entries', 'packet=pts,flags', '-of', 'csv=p=0', file],
    ])
  )
    .toString()
    .trim()
    .split('\n')
    .map((l) => l.split(','));
  const pts = csv.map((c) => Number(c[0]));
  const tick = Math.min(
    ...pts
      .slice(1)
      .map((p, i) => Math.abs(p - pts[i]!))
      .filter((d) => d > 0),
  );
  const first = Math.min(...pts);
  const result = new Map<number, number[]>();
  csv.forEach((c, j) => {
    if (!c[1]!.includes('K')) return;
    const lead = pts.slice(j + 1, j + 20).filter((p) => p < pts[j]!);
    result.set(
      (pts[j]! - first) / tick,
      lead.map((p) => (p - first) / tick),
    );
  });
  return result;
}

before(async () => {
  services = await makeServices();
  ctx = await services.tenant('dev', 'open_gop_seek');
  dir = await mkdtemp(join(tmpdir(), 'cutroom-open-gop-'));
  // The open-GOP source of test/render/smart-render.test.ts: x264 --open-gop, -bf 3, 1 s GOPs at 30 fps.
  const path = join(dir, 'open-gop.mp4');
  await run(ffmpegPath(), [
    ...['-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=s=${W}x${H}:r=30:d=4`],
    ...['-f', 'lavfi', '-i', 'sine=f=330:sample_rate=48000:d=4'],
    ...['-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-threads', '2'],
    ...['-x264-params', 'keyint=30:min-keyint=30:scenecut=0:open-gop=1', '-bf', '3'],
    ...['-c:a', 'aac', '-b:a', '96k', '-shortest', path],
  ]);
  source = { id: (await services.assets.registerAsset(ctx, { source: { path } })).asset.id, path };
});

after(async () => {
  await services.dispose();
  await rm(dir, { recursive: true, force: true });
});

test('the source has the quirk: keyframe 30 is an open-GOP I frame with leading pictures 28 and 29', async () => {
  const lead = await leadingPictures(source.path);
  assert.deepEqual(lead.get(30), [28, 29]);
});

test('a clip starting at each frame 26-32 around an open-GOP keyframe starts on that source frame', async () => {
  const starts = [26, 27, 28, 29, 30, 31, 32];
  // One clip per start frame, 9 frames long, one per second of the timeline: output frame 30·i is clip i's first.
  // in_ms = floor(n · 1000 / 30) is at or just before source frame n, so the accurate seek keeps n first.
  const timeline: TimelineInput = {
    tracks: [
      {
        id: 'v',
        kind: 'video',
        clips: starts.map((n, i) => {
          const inMs = Math.floor((n * 1000) / 30);
          return { id: `c${n}`, asset_id: source.id, start_ms: i * 1000, in_ms: inMs, out_ms: inMs + 300 };
        }),
      },
    ],
  };
  const out = join(dir, 'clips.mp4');
  await renderToFile({
    services,
    ctx,
    timeline: parseTimeline(timeline),
    profile: 'draft_360p',
    output: out,
  });
  const [rendered, src] = await Promise.all([lumaFrames(out), lumaFrames(source.path, 40)]);
  assert.equal(rendered.length, (starts.length - 1) * 30 + 9, 'frame count unchanged by the seek margin');
  for (const [i, n] of starts.entries()) {
    for (const k of [0, 1]) {
      const m = matchFrame(rendered[30 * i + k]!, src);
      assert.equal(
        m.frame,
        n + k,
        `clip at source frame ${n}: output frame ${k} shows source frame ${m.frame}`,
      );
      assert.ok(m.ratio > 4, `clip at ${n}, frame ${k}: a clear match (${m.ratio.toFixed(1)}x nearer)`);
    }
  }
});

test('a chunk (range render) starting on a leading picture starts on that frame', async () => {
  // One clip from source frame 0; chunks of a render job are range compiles like this one (create-render-job-
  // handler.ts), so their first input seeks into the clip exactly like a clip's in-point.
  const timeline = parseTimeline({
    tracks: [
      {
        id: 'v',
        kind: 'video',
        clips: [{ id: 'c', asset_id: source.id, start_ms: 0, in_ms: 0, out_ms: 2000 }],
      },
    ],
  });
  const src = await lumaFrames(source.path, 40);
  for (const n of [28, 29, 30]) {
    const out = join(dir, `range-${n}.mp4`);
    // Chunk ms ranges are round(frame · 1000 / fps) (src/jobs/chunking.ts).
    const result = await renderToFile({
      services,
      ctx,
      timeline,
      profile: 'draft_360p',
      output: out,
      range: { start_ms: Math.round((n * 1000) / 30), duration_ms: 200 },
      streams: 'video',
    });
    const rendered = await lumaFrames(out);
    assert.equal(rendered.length, 6);
    for (const k of [0, 1]) {
      const m = matchFrame(rendered[k]!, src);
      assert.equal(m.frame, n + k, `range from frame ${n}: output frame ${k} shows source frame ${m.frame}`);
    }
    assert.ok(
      result.plan.inputs.some((i) => i.options.includes('-itsoffset')),
      'the range input seeks with the open-GOP margin',
    );
  }
});
