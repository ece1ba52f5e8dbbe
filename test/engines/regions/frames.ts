/** Test helpers: decode a whole (small) video to gray or RGB frames and measure pixels and regions. */
import { readFrames } from '../../../src/ffmpeg/frames.js';

export interface DecodedFrame {
  ptsMs: number;
  data: Buffer;
}

export async function decodeAll(p: {
  path: string;
  width: number;
  height: number;
  pixFmt: 'gray' | 'rgb24';
}): Promise<DecodedFrame[]> {
  const out: DecodedFrame[] = [];
  for await (const f of readFrames({ path: p.path, width: p.width, height: p.height, pixFmt: p.pixFmt }))
    out.push({ ptsMs: f.ptsMs, data: Buffer.from(f.data) });
  return out;
}

/** Mean of a gray image's square of side 2r+1 around (x, y), clipped to the frame. */
export function meanAt(p: {
  data: Buffer;
  width: number;
  height: number;
  x: number;
  y: number;
  r?: number;
}): number {
  const r = p.r ?? 1;
  let sum = 0;
  let n = 0;
  for (let y = Math.max(0, Math.round(p.y) - r); y <= Math.min(p.height - 1, Math.round(p.y) + r); y++)
    for (let x = Math.max(0, Math.round(p.x) - r); x <= Math.min(p.width - 1, Math.round(p.x) + r); x++) {
      sum += p.data[y * p.width + x]!;
      n++;
    }
  return sum / n;
}

export interface Rect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** Variance of the 4-neighbour Laplacian of a gray image in a rectangle: high for detail, ~0 when blurred. */
export function laplacianVariance(data: Buffer, width: number, rect: Rect): number {
  const vals: number[] = [];
  for (let y = rect.y0 + 1; y < rect.y1 - 1; y++)
    for (let x = rect.x0 + 1; x < rect.x1 - 1; x++) {
      const c = data[y * width + x]!;
      vals.push(
        4 * c -
          data[y * width + x - 1]! -
          data[y * width + x + 1]! -
          data[(y - 1) * width + x]! -
          data[(y + 1) * width + x]!,
      );
    }
  const mean = vals.reduce((a, b) => a + b, 0) / vals.length;
  return vals.reduce((a, b) => a + (b - mean) ** 2, 0) / vals.length;
}

/** Standard deviation of gray values in a rectangle (0 for a flat colour). */
export function stdDev(data: Buffer, width: number, rect: Rect): number {
  let sum = 0;
  let sq = 0;
  let n = 0;
  for (let y = rect.y0; y < rect.y1; y++)
    for (let x = rect.x0; x < rect.x1; x++) {
      const v = data[y * width + x]!;
      sum += v;
      sq += v * v;
      n++;
    }
  const mean = sum / n;
  return Math.sqrt(Math.max(0, sq / n - mean * mean));
}

/** PSNR (dB) between two gray images over a rectangle; Infinity when identical. */
export function psnr(a: Buffer, b: Buffer, width: number, rect: Rect): number {
  let se = 0;
  let n = 0;
  for (let y = rect.y0; y < rect.y1; y++)
    for (let x = rect.x0; x < rect.x1; x++) {
      const d = a[y * width + x]! - b[y * width + x]!;
      se += d * d;
      n++;
    }
  return se === 0 ? Infinity : 10 * Math.log10((255 * 255) / (se / n));
}
