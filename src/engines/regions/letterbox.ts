/**
 * Fits an RGB frame into the detector's square input without distorting it: scale to fit, centre, pad the
 * rest with black. The returned transform maps model coordinates back to the frame.
 */
import type { Point, RgbFrame } from './types.js';

export interface Letterbox {
  /** NHWC float32 tensor data, size×size×3, values mapped to [rangeMin, rangeMax]. */
  tensor: Float32Array;
  size: number;
  /** Size of the scaled frame inside the square, and its offset (pixels of the model input). */
  scaledWidth: number;
  scaledHeight: number;
  padX: number;
  padY: number;
}

export interface LetterboxOptions {
  frame: RgbFrame;
  size: number;
  rangeMin: number;
  rangeMax: number;
}

/**
 * Area-averaging resample: each model pixel averages the frame pixels it covers (weighted by overlap), so a
 * 1920-wide frame shrunk to 256 does not alias the way point or bilinear sampling would. Pure arithmetic in a
 * fixed order, so the same frame always gives the same tensor.
 */
export function letterbox(opts: LetterboxOptions): Letterbox {
  const { frame, size, rangeMin, rangeMax } = opts;
  const { width, height, data } = frame;
  if (data.length < width * height * 3) {
    throw new RangeError(
      `RGB frame of ${width}x${height} needs ${width * height * 3} bytes, got ${data.length}`,
    );
  }
  const scale = Math.min(size / width, size / height);
  const scaledWidth = Math.max(1, Math.round(width * scale));
  const scaledHeight = Math.max(1, Math.round(height * scale));
  const padX = Math.floor((size - scaledWidth) / 2);
  const padY = Math.floor((size - scaledHeight) / 2);
  const tensor = new Float32Array(size * size * 3).fill(rangeMin);
  const k = (rangeMax - rangeMin) / 255;

  const xs = spans(width, scaledWidth);
  const ys = spans(height, scaledHeight);
  const acc = new Float64Array(3);
  for (let oy = 0; oy < scaledHeight; oy++) {
    const ry = ys[oy]!;
    for (let ox = 0; ox < scaledWidth; ox++) {
      const rx = xs[ox]!;
      acc[0] = 0;
      acc[1] = 0;
      acc[2] = 0;
      let total = 0;
      for (let j = 0; j < ry.index.length; j++) {
        const wy = ry.weight[j]!;
        const row = ry.index[j]! * width;
        for (let i = 0; i < rx.index.length; i++) {
          const w = wy * rx.weight[i]!;
          const p = (row + rx.index[i]!) * 3;
          acc[0] += w * data[p]!;
          acc[1] += w * data[p + 1]!;
          acc[2] += w * data[p + 2]!;
          total += w;
        }
      }
      const q = ((oy + padY) * size + (ox + padX)) * 3;
      tensor[q] = rangeMin + (acc[0] / total) * k;
      tensor[q + 1] = rangeMin + (acc[1] / total) * k;
      tensor[q + 2] = rangeMin + (acc[2] / total) * k;
    }
  }
  return { tensor, size, scaledWidth, scaledHeight, padX, padY };
}

interface Span {
  index: number[];
  weight: number[];
}

/** For each output pixel, the source pixels it covers and how much of each (1-D area resampling). */
function spans(srcLen: number, dstLen: number): Span[] {
  const ratio = srcLen / dstLen;
  const out: Span[] = [];
  for (let o = 0; o < dstLen; o++) {
    if (ratio <= 1) {
      // Upscaling: linear interpolation between the two nearest source pixels.
      const c = Math.min(Math.max((o + 0.5) * ratio - 0.5, 0), srcLen - 1);
      const i0 = Math.floor(c);
      const i1 = Math.min(i0 + 1, srcLen - 1);
      const f = c - i0;
      out.push(i1 === i0 || f === 0 ? { index: [i0], weight: [1] } : { index: [i0, i1], weight: [1 - f, f] });
      continue;
    }
    const start = o * ratio;
    const end = (o + 1) * ratio;
    const index: number[] = [];
    const weight: number[] = [];
    for (let i = Math.floor(start); i < Math.min(Math.ceil(end), srcLen); i++) {
      const w = Math.min(end, i + 1) - Math.max(start, i);
      if (w > 0) {
        index.push(i);
        weight.push(w);
      }
    }
    out.push({ index, weight });
  }
  return out;
}

/** Model-input fraction (0..1 of the square) → frame fraction (0..1 of the frame). */
export function unletterboxPoint(lb: Letterbox, p: Point): Point {
  return {
    x: (p.x * lb.size - lb.padX) / lb.scaledWidth,
    y: (p.y * lb.size - lb.padY) / lb.scaledHeight,
  };
}
