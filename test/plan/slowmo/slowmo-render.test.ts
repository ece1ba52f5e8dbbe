// Real renders of a 1 s clip at speed 0.5 with each slow-motion quality: timing, audio, interpolated frames,
// and no morphing across a hard cut.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasFilter, inputUrl, readFrames, readPcm, runFfmpeg } from '../../../src/ffmpeg/index.js';
import { atempoChain } from '../../../src/plan/clip-audio.js';
import { slowmoFilter } from '../../../src/plan/slowmo/index.js';
import type { SlowmoQuality } from '../../../src/plan/slowmo/index.js';
import { durationMs, frameCount, testsrcClip, TEST_MEDIA_DIR } from '../../helpers/media.js';

const W = 320;
const H = 180;
const FPS = 30;
const SPEED = 0.5;
const hasMinterpolate = await hasFilter('minterpolate');

/** The clip chain as src/plan/clip-video.ts builds it: setpts for speed, the slow-motion filter, then fps. */
async function renderSlowed(o: {
  source: string;
  quality: SlowmoQuality | undefined;
  output: string;
  audio: boolean;
  filterOverride?: string;
}): Promise<void> {
  const s = slowmoFilter({
    quality: o.quality,
    speed: SPEED,
    fps: { num: FPS, den: 1 },
    width: W,
    height: H,
    clipPath: 'tracks[0].clips[0]',
    clipId: 'c',
    hasMinterpolate,
  });
  const slow = o.filterOverride ?? s.filter;
  const video = ['setpts=(PTS-STARTPTS)/0.5', ...(slow ? [slow] : []), `fps=${FPS}/1`].join(',');
  const graph = o.audio
    ? `[0:v]${video}[v];[0:a]${['asetpts=PTS-STARTPTS', ...atempoChain(SPEED)].join(',')}[a]`
    : `[0:v]${video}[v]`;
  await runFfmpeg({
    args: [
      '-i',
      inputUrl(o.source),
      '-filter_complex',
      graph,
      '-map',
      '[v]',
      ...(o.audio ? ['-map', '[a]', '-c:a', 'aac', '-b:a', '64k'] : []),
      ...['-c:v', 'libx264', '-preset', 'ultrafast', '-qp', '0', '-pix_fmt', 'yuv444p', '-threads', '1'],
    ],
    output: o.output,
    stage: 'encode',
  });
}

async function frames(path: string, w: number, h: number): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for await (const f of readFrames({ path, width: w, height: h, pixFmt: 'rgb24' })) out.push(f.data);
  return out;
}

function mad(a: Buffer, b: Buffer): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
  return sum / a.length;
}

const QUALITIES: Array<SlowmoQuality | undefined> = ['high', 'medium', 'fast', undefined];

for (const quality of QUALITIES) {
  test(
    `speed 0.5, quality ${quality ?? 'none (frame repeat)'}: 2 s of video and audio, 60 frames`,
    {
      skip: quality !== 'fast' && quality !== undefined && !hasMinterpolate ? 'no minterpolate' : false,
    },
    async () => {
      const source = await testsrcClip({ durationMs: 1000, width: W, height: H, fps: FPS });
      const dir = await mkdtemp(join(tmpdir(), 'cutroom-slowmo-'));
      try {
        const out = join(dir, 'slow.mp4');
        await renderSlowed({ source, quality, output: out, audio: true });
        const frameMs = 1000 / FPS;
        assert.ok(Math.abs((await frameCount(out, { decode: true })) - 60) <= 1, 'frame count 60 ±1');
        const v = await durationMs(out, 'video');
        const a = await durationMs(out, 'audio');
        assert.ok(Math.abs(v - 2000) <= frameMs, `video ${v} ms`);
        assert.ok(Math.abs(a - 2000) <= frameMs, `audio ${a} ms`);
        assert.ok(Math.abs(a - v) <= frameMs, `audio ${a} ms vs video ${v} ms`);
        // Pitch kept: the source's 440 Hz tone is still 440 Hz (rising zero crossings over the middle second).
        const pcm = await readPcm({ path: out, sampleRate: 48000, startMs: 500, durationMs: 1000 });
        let rising = 0;
        for (let i = 1; i < pcm.length; i++) if (pcm[i - 1]! < 0 && pcm[i]! >= 0) rising++;
        assert.ok(Math.abs(rising - 440) <= 5, `${rising} Hz`);

        // testsrc2 moves every frame: an in-between output frame is new (interpolated or blended) unless the
        // frames are repeated, in which case it equals its predecessor.
        const f = await frames(out, W, H);
        const between = [11, 21, 31].map((k) => mad(f[k]!, f[k - 1]!));
        if (quality === undefined)
          assert.ok(Math.max(...between) < 0.5, `repeated frames (${between.join(', ')})`);
        else assert.ok(Math.min(...between) > 0.5, `new in-between frames (${between.join(', ')})`);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  );
}

/** Red for 0.5 s, then a hard cut to blue for 0.5 s (a noisy texture so motion search has something to match). */
async function cutClip(): Promise<string> {
  const out = join(TEST_MEDIA_DIR, 'slowmo-cut-red-blue-160x90-v1.mp4');
  const { existsSync, mkdirSync, renameSync } = await import('node:fs');
  if (existsSync(out)) return out;
  mkdirSync(TEST_MEDIA_DIR, { recursive: true });
  const tmp = join(TEST_MEDIA_DIR, `.tmp-${process.pid}-cut.mp4`);
  await runFfmpeg({
    args: [
      '-f',
      'lavfi',
      '-i',
      'color=c=0xD01010:s=160x90:r=30:d=0.5,noise=alls=12:allf=t[r];color=c=0x1010D0:s=160x90:r=30:d=0.5,noise=alls=12:allf=t[b];[r][b]concat=n=2:v=1:a=0',
      ...['-c:v', 'libx264', '-preset', 'ultrafast', '-qp', '0', '-pix_fmt', 'yuv444p', '-threads', '1'],
    ],
    output: tmp,
    stage: 'encode',
  });
  renameSync(tmp, out);
  return out;
}

function purpleFrames(f: Buffer[]): number[] {
  const bad: number[] = [];
  f.forEach((data, i) => {
    let r = 0;
    let b = 0;
    for (let p = 0; p < data.length; p += 3) {
      r += data[p]!;
      b += data[p + 2]!;
    }
    const n = data.length / 3;
    // A blend of the two shots: both red and blue well above the 0x10 of the other shot.
    if (r / n > 60 && b / n > 60) bad.push(i);
  });
  return bad;
}

test('a hard cut inside a slowed clip is not morphed: no purple frame with any quality', async () => {
  const source = await cutClip();
  const dir = await mkdtemp(join(tmpdir(), 'cutroom-slowmo-'));
  try {
    for (const quality of ['high', 'medium', 'fast'] as const) {
      if (quality !== 'fast' && !hasMinterpolate) continue;
      const out = join(dir, `${quality}.mp4`);
      await renderSlowed({ source, quality, output: out, audio: false });
      const f = await frames(out, 160, 90);
      assert.ok(Math.abs(f.length - 60) <= 1, `${quality}: ${f.length} frames`);
      assert.deepEqual(purpleFrames(f), [], `${quality}: blended frames at the cut`);
    }
    // Control: without scene-change detection, minterpolate does morph the cut, and the check sees it.
    if (hasMinterpolate) {
      const out = join(dir, 'noscd.mp4');
      await renderSlowed({
        source,
        quality: 'high',
        output: out,
        audio: false,
        filterOverride: 'minterpolate=fps=30/1:mi_mode=mci:mc_mode=aobmc:me_mode=bidir:vsbmc=1:scd=none',
      });
      assert.notDeepEqual(purpleFrames(await frames(out, 160, 90)), []);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
