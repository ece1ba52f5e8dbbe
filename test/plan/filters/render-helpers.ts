/**
 * Tiny real-ffmpeg renders for filter and text tests: a lavfi source through a graph, raw RGB frames back.
 * spawnSync with argument arrays (no shell). Frames are small (160x90 / 320x180) to keep the suite fast.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { ffmpegPath } from '../../../src/ffmpeg/binaries.js';

export interface RenderResult {
  code: number | null;
  stderr: string;
  /** Raw frames in the requested pixel format. */
  frames: Buffer[];
}

export interface RenderOptions {
  /** lavfi source, e.g. `testsrc2=s=160x90:d=0.5:r=10`. */
  source: string;
  /** Chain applied between [0:v] and the output (may contain `;` + internal labels). */
  chain: string;
  width: number;
  height: number;
  /** Extra filters after the chain (e.g. a format conversion). */
  tail?: string;
  /** Output pixel format: rgb24 (default) or rgba (to read the alpha a chroma key made). */
  pixFmt?: 'rgb24' | 'rgba';
}

export function renderFrames(opts: RenderOptions): RenderResult {
  const body = opts.chain === '' ? 'null' : opts.chain;
  const graph = `[0:v]${body}${opts.tail ? `,${opts.tail}` : ''}[out]`;
  const r = spawnSync(
    ffmpegPath(),
    [
      '-hide_banner',
      '-nostdin',
      '-loglevel',
      'error',
      '-threads',
      '1',
      '-f',
      'lavfi',
      '-i',
      opts.source,
      '-filter_complex',
      graph,
      '-map',
      '[out]',
      '-f',
      'rawvideo',
      '-pix_fmt',
      opts.pixFmt ?? 'rgb24',
      'pipe:1',
    ],
    { maxBuffer: 1 << 28 },
  );
  const frameBytes = opts.width * opts.height * (opts.pixFmt === 'rgba' ? 4 : 3);
  const frames: Buffer[] = [];
  for (let o = 0; o + frameBytes <= r.stdout.length; o += frameBytes)
    frames.push(r.stdout.subarray(o, o + frameBytes));
  return { code: r.status, stderr: r.stderr.toString('utf8'), frames };
}

export interface Rgb {
  r: number;
  g: number;
  b: number;
}

/** Mean colour of a rectangle of an rgb24 frame. */
export function meanRgb(
  frame: Buffer,
  width: number,
  rect: { x: number; y: number; w: number; h: number },
): Rgb {
  const sum = { r: 0, g: 0, b: 0 };
  for (let y = rect.y; y < rect.y + rect.h; y++) {
    for (let x = rect.x; x < rect.x + rect.w; x++) {
      const i = (y * width + x) * 3;
      sum.r += frame[i]!;
      sum.g += frame[i + 1]!;
      sum.b += frame[i + 2]!;
    }
  }
  const n = rect.w * rect.h;
  return { r: sum.r / n, g: sum.g / n, b: sum.b / n };
}

/** Variance of the luma-ish mean of R, G, B over the whole frame. */
export function variance(frame: Buffer): number {
  const n = frame.length / 3;
  let mean = 0;
  for (let i = 0; i < frame.length; i += 3) mean += (frame[i]! + frame[i + 1]! + frame[i + 2]!) / 3;
  mean /= n;
  let v = 0;
  for (let i = 0; i < frame.length; i += 3)
    v += ((frame[i]! + frame[i + 1]! + frame[i + 2]!) / 3 - mean) ** 2;
  return v / n;
}

/** Bounding box of pixels differing from `bg` by more than `tolerance` on any channel; null when none. */
export function diffBox(
  frame: Buffer,
  width: number,
  height: number,
  bg: Rgb,
  tolerance = 40,
): { x0: number; y0: number; x1: number; y1: number; count: number } | null {
  let x0 = Infinity,
    y0 = Infinity,
    x1 = -Infinity,
    y1 = -Infinity,
    count = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      if (
        Math.abs(frame[i]! - bg.r) > tolerance ||
        Math.abs(frame[i + 1]! - bg.g) > tolerance ||
        Math.abs(frame[i + 2]! - bg.b) > tolerance
      ) {
        count++;
        if (x < x0) x0 = x;
        if (y < y0) y0 = y;
        if (x > x1) x1 = x;
        if (y > y1) y1 = y;
      }
    }
  }
  return count === 0 ? null : { x0, y0, x1, y1, count };
}

/** A font file for drawtext tests: DejaVu Sans (Debian's fonts-dejavu-core), else fc-match's answer. */
export function testFontFile(): string {
  const dejavu = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';
  if (existsSync(dejavu)) return dejavu;
  const r = spawnSync('fc-match', ['-f', '%{file}', 'sans'], { encoding: 'utf8' });
  if (r.status !== 0 || r.stdout === '')
    throw new Error('no font found for drawtext tests (install fonts-dejavu-core)');
  return r.stdout;
}
