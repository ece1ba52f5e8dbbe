/**
 * One ffmpeg pass that writes the anonymised file: the low-resolution mask is drawn to a raw file in `workDir`,
 * then the source is split, hidden, cut by the (upscaled) mask and overlaid back, audio copied. The service
 * wraps it with caching and artifacts; bench/faces.ts calls it directly.
 */
import { join } from 'node:path';
import { runFfmpeg } from '../../ffmpeg/run.js';
import type { MediaInfo } from '../../timeline/media-info.js';
import type { FrameGeometry } from '../regions/frame-geometry.js';
import { rawMaskInputArgs } from '../regions/mask-filter.js';
import { maskRasterSize } from '../regions/mask-raster.js';
import type { RegionName, RegionSummary } from '../regions/types.js';
import { writeMaskRaw } from '../regions/write-mask-raw.js';
import { ANONYMISE_OUT, anonymiseGraph } from './anonymise-graph.js';
import { effectFilter, type AnonymiseMethod, type AnonymiseStrength } from './effect-filter.js';

/** Encoder settings of the anonymised video; bench/faces.ts compares against a plain re-encode with these. */
export const ANONYMISE_VIDEO_CODEC_ARGS = ['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '18'];

/** Audio codecs an mp4 can carry as they are; anything else (pcm, …) is encoded to AAC. */
const MP4_AUDIO = new Set(['aac', 'mp3', 'ac3', 'eac3', 'opus', 'alac', 'flac']);

export interface RenderAnonymisedInput {
  source: string;
  info: MediaInfo;
  geometry: FrameGeometry;
  summary: RegionSummary;
  method: AnonymiseMethod;
  strength: AnonymiseStrength;
  include: readonly RegionName[];
  feather: number;
  /** Scratch directory for the raw mask. */
  workDir: string;
  /** Output file: .mp4 for video, .png for a still (geometry.still). */
  output: string;
  signal?: AbortSignal;
  context?: Record<string, unknown>;
}

export interface RenderAnonymisedResult {
  /** Effective effect numbers (sigma_px, downscale, block_px) for meta. */
  params: Record<string, number>;
  encoder: string;
}

/** Audio arguments: first audio stream copied when mp4 can hold it, else AAC; none for a still. */
export function anonymiseAudioArgs(info: MediaInfo, still: boolean): string[] {
  const audio = info.audio;
  if (still || !audio) return ['-an'];
  return MP4_AUDIO.has(audio.codec)
    ? ['-map', '0:a:0', '-c:a', 'copy']
    : ['-map', '0:a:0', '-c:a', 'aac', '-b:a', '192k'];
}

function largestFaceHeight(summary: RegionSummary): number {
  let h = 0;
  for (const s of summary.samples) for (const f of s.faces) h = Math.max(h, f.box.h);
  return h;
}

export async function renderAnonymised(p: RenderAnonymisedInput): Promise<RenderAnonymisedResult> {
  const { geometry, summary } = p;
  const size = maskRasterSize({ width: summary.width, height: summary.height });
  const rawPath = join(p.workDir, 'mask.gray');
  await writeMaskRaw({
    summary,
    include: p.include,
    feather: p.feather,
    size,
    fps: geometry.fps,
    frameCount: geometry.frameCount,
    path: rawPath,
  });
  const effect = effectFilter({
    method: p.method,
    strength: p.strength,
    width: geometry.width,
    height: geometry.height,
    faceHeightPx: largestFaceHeight(summary) * geometry.height,
  });
  const graph = anonymiseGraph({
    effect: effect.chain,
    width: geometry.width,
    height: geometry.height,
    outPixFmt: geometry.still ? 'rgb24' : 'yuv420p',
  });
  await runFfmpeg({
    args: [
      '-i',
      p.source,
      ...rawMaskInputArgs({ path: rawPath, ...size, fps: geometry.fps }),
      '-filter_complex',
      graph,
      '-map',
      `[${ANONYMISE_OUT}]`,
      ...anonymiseAudioArgs(p.info, geometry.still),
      ...(geometry.still
        ? ['-frames:v', '1', '-c:v', 'png', '-f', 'image2']
        : [...ANONYMISE_VIDEO_CODEC_ARGS, '-pix_fmt', 'yuv420p', '-movflags', '+faststart', '-f', 'mp4']),
    ],
    output: p.output,
    durationMs: p.info.duration_ms,
    stage: 'encode',
    context: { engine: 'anonymise', ...(p.context ?? {}) },
    ...(p.signal ? { signal: p.signal } : {}),
  });
  return { params: effect.params, encoder: geometry.still ? 'png' : ANONYMISE_VIDEO_CODEC_ARGS.join(' ') };
}
