/**
 * Writes a mask as raw gray frames (rawvideo) to a file, one frame per source frame time i/fps, boxes
 * interpolated per frame by boxesAtFrame so the mask follows the face between samples and never blinks.
 * A file rather than a pipe: the ffmpeg layer's runner reads inputs from files only.
 *
 * Before the first and after the last sample the faces of that sample are held: samples are taken every
 * interval from t=0, so up to one interval of the clip's end lies past the last sample, and boxesAtFrame
 * (half an interval of grace) would leave the last frames' faces unmasked.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { boxesAtFrame } from './boxes-at-frame.js';
import { drawMaskFrame, type MaskRasterSize } from './mask-raster.js';
import type { RegionName, RegionSummary } from './types.js';

export interface WriteMaskRawOptions {
  summary: RegionSummary;
  include: readonly RegionName[];
  feather: number;
  /** Raster size (maskRasterSize of the video size). */
  size: MaskRasterSize;
  /** Frame rate of the raw stream (the source's), frames at i * den / num seconds. */
  fps: { num: number; den: number };
  frameCount: number;
  path: string;
}

export interface WriteMaskRawResult {
  /** Frames with at least one non-black pixel. */
  framesWithFaces: number;
}

export async function writeMaskRaw(opts: WriteMaskRawOptions): Promise<WriteMaskRawResult> {
  const { width, height } = opts.size;
  const out = createWriteStream(opts.path);
  let framesWithFaces = 0;
  const times = opts.summary.samples.map((s) => s.t_ms);
  const firstMs = times.length > 0 ? Math.min(...times) : 0;
  const lastMs = times.length > 0 ? Math.max(...times) : 0;
  try {
    for (let i = 0; i < opts.frameCount; i++) {
      const tMs = (i * 1000 * opts.fps.den) / opts.fps.num;
      const faces = boxesAtFrame(opts.summary, { tMs: Math.min(lastMs, Math.max(firstMs, tMs)) });
      const data = Buffer.allocUnsafe(width * height);
      drawMaskFrame({ data, width, height, faces, include: opts.include, feather: opts.feather });
      if (faces.length > 0) framesWithFaces++;
      if (!out.write(data)) await once(out, 'drain');
    }
  } finally {
    out.end();
    await once(out, 'close');
  }
  return { framesWithFaces };
}
