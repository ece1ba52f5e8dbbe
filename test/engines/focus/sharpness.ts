/**
 * Sharpness of reframed output against plain crops of the same source frames, measured as the variance of the
 * Laplacian (4-neighbour kernel) of the grey picture. Source: a real photo (opencv-doc aloeL.jpg, 1282×1110),
 * its centre 1280×720 held for 2 s — a landscape source wider than the 1080 px vertical canvas, the case where
 * fitting first (1280 → 1080 wide) and enlarging again softens the picture.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { ffmpegPath } from '../../../src/ffmpeg/binaries.js';
import { readFrames } from '../../../src/ffmpeg/frames.js';
import { TEST_MEDIA_DIR } from '../../helpers/media.js';

export const ALOE = '/usr/share/doc/opencv-doc/examples/data/aloeL.jpg';
export const SOURCE = { width: 1280, height: 720 };

function run(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpegPath(), ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y', ...args], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(err))));
  });
}

export async function aloeClip(): Promise<string> {
  const args = [
    '-loop',
    '1',
    '-i',
    ALOE,
    '-vf',
    `crop=${SOURCE.width}:${SOURCE.height},fps=25,format=yuv420p`,
    '-t',
    '2',
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-crf',
    '10',
    '-g',
    '25',
    '-threads',
    '1',
  ];
  const key = createHash('sha256').update(JSON.stringify(args)).digest('hex').slice(0, 16);
  mkdirSync(TEST_MEDIA_DIR, { recursive: true });
  const out = join(TEST_MEDIA_DIR, `focus-aloe-1280x720-${key}.mp4`);
  if (existsSync(out)) return out;
  const tmp = `${out}.${process.pid}.tmp.mp4`;
  await run([...args, tmp]);
  renameSync(tmp, out);
  return out;
}

/** Variance of the 4-neighbour Laplacian over the inner pixels of a grey frame. */
export function laplacianVariance(data: Uint8Array, width: number, height: number): number {
  let sum = 0;
  let sq = 0;
  let n = 0;
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      const l = data[i - 1]! + data[i + 1]! + data[i - width]! + data[i + width]! - 4 * data[i]!;
      sum += l;
      sq += l * l;
      n++;
    }
  }
  const mean = sum / n;
  return sq / n - mean * mean;
}

/** Laplacian variance of a file's frames sampled at `fps`, decoded at their own size. */
export async function frameSharpness(opts: {
  path: string;
  width: number;
  height: number;
  fps: number;
}): Promise<number[]> {
  const out: number[] = [];
  for await (const f of readFrames({
    path: opts.path,
    width: opts.width,
    height: opts.height,
    pixFmt: 'gray',
    fps: opts.fps,
  })) {
    out.push(laplacianVariance(f.data, opts.width, opts.height));
  }
  return out;
}

/**
 * A plain crop-then-scale of the source to 1080×1920 by ffmpeg alone, encoded like the vertical profile
 * (libx264 CRF 20 medium, 30 fps): `x` is the crop's left edge in source pixels, an ffmpeg expression of t.
 */
export async function plainCrop(source: string, x: string, out: string): Promise<void> {
  const w = 406;
  await run([
    '-i',
    source,
    '-vf',
    `fps=30,crop=${w}:${SOURCE.height}:x='${x}':y=0,scale=1080:1920,setsar=1,format=yuv420p`,
    '-c:v',
    'libx264',
    '-crf',
    '20',
    '-preset',
    'medium',
    '-threads',
    '1',
    out,
  ]);
}
