/**
 * Real shaky footage for stabilisation tests, not made by us: excerpts of diver.mov (Debian pd-extendedview)
 * and cockatoo.mp4 (Debian python3-imageio), downscaled and re-encoded once into .cache/test-media.
 */
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { readFrames, runFfmpeg } from '../../../src/ffmpeg/index.js';
import { TEST_MEDIA_DIR } from '../../helpers/media.js';

export const DIVER = '/usr/share/doc/pd-extendedview/media/diver.mov';
export const skipNoDiver = existsSync(DIVER) ? false : 'pd-extendedview (diver.mov) is not installed';

export const COCKATOO = '/usr/lib/python3/dist-packages/imageio/resources/images/cockatoo.mp4';
export const skipNoCockatoo = existsSync(COCKATOO)
  ? false
  : 'python3-imageio (cockatoo.mp4) is not installed';

const inflight = new Map<string, Promise<string>>();

/** 4 s of a source from `startS`, 320x240 H.264 (GOP 5) + AAC when it has audio: small, real camera shake. */
function excerpt(o: { source: string; startS: number; name: string }): Promise<string> {
  const out = join(TEST_MEDIA_DIR, `${o.name}-${o.startS}s-4s-320x240-v1.mp4`);
  const existing = inflight.get(out);
  if (existing) return existing;
  const p = (async () => {
    if (existsSync(out)) return out;
    mkdirSync(TEST_MEDIA_DIR, { recursive: true });
    const tmp = join(TEST_MEDIA_DIR, `.tmp-${process.pid}-${o.name}.mp4`);
    try {
      await runFfmpeg({
        args: [
          ...['-ss', String(o.startS), '-t', '4', '-i', o.source],
          ...['-vf', 'scale=320:240,setsar=1', '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '16'],
          ...['-g', '5', '-bf', '0', '-pix_fmt', 'yuv420p', '-threads', '1'],
          ...['-c:a', 'aac', '-b:a', '64k', '-ar', '48000', '-ac', '1'],
        ],
        output: tmp,
        stage: 'encode',
      });
      renameSync(tmp, out);
    } finally {
      rmSync(tmp, { force: true });
    }
    return out;
  })();
  inflight.set(out, p);
  return p;
}

/** diver.mov from 2 s: hand-held underwater, 25 fps (every third frame repeated), bubbles. */
export function diverExcerpt(): Promise<string> {
  return excerpt({ source: DIVER, startS: 2, name: 'diver' });
}

/** cockatoo.mp4 from 0 s: a hand-held phone shot of a bird, 20 fps. */
export function cockatooExcerpt(): Promise<string> {
  return excerpt({ source: COCKATOO, startS: 0, name: 'cockatoo' });
}

/** Every decoded frame of a file as raw RGB, in order. */
export async function allFrames(path: string, width: number, height: number): Promise<Buffer[]> {
  const frames: Buffer[] = [];
  for await (const f of readFrames({ path, width, height, pixFmt: 'rgb24' })) frames.push(f.data);
  return frames;
}

/** Mean absolute difference of two equal-size frames, 0..255. */
export function meanAbsDiff(a: Buffer, b: Buffer): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
  return sum / a.length;
}
