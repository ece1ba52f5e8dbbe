/**
 * Visual meta and shot list of one video: a single ffmpeg pipe of tiny frames (ffmpeg decodes and downscales;
 * every frame, no sampling, so cuts are frame-exact), per-frame features in JS, then pure detection and
 * aggregation. Cost beyond decoding is a fraction of a millisecond per frame.
 */
import { cutroomError, type Warning } from '../../errors.js';
import { readFrames } from '../../ffmpeg/frames.js';
import type { MediaInfo } from '../../timeline/media-info.js';
import { aggregateSamples } from './aggregate-samples.js';
import { buildShotList } from './build-shot-list.js';
import { detectShotBoundaries, type ShotDetectionOptions } from './detect-shot-boundaries.js';
import { createFrameFeatureExtractor } from './frame-feature-extractor.js';
import type { FaceSummary, FrameFeatures, ShotList, VisualMeta } from './types.js';

export const VISUAL_META_MODEL = 'cutroom-adaptive-v2';
/** Bump whenever features, thresholds or output shape change: it is part of every cache key. */
export const VISUAL_META_BACKEND_VERSION = 'cutroom-visual-meta-5';

/** Width of the analysis frames; height follows the display aspect ratio. */
export const ANALYSIS_WIDTH = 64;

export interface AnalyzeVisualMetaInput {
  path: string;
  info: MediaInfo;
  /** frame_sample_interval_ms of the samples (40..60000). */
  intervalMs: number;
  faceSummary?: FaceSummary;
  shotOptions?: ShotDetectionOptions;
  signal?: AbortSignal;
}

export interface AnalyzeVisualMetaResult {
  visualMeta: VisualMeta;
  shotList: ShotList;
  warnings: Warning[];
}

export function analysisSize(info: MediaInfo): { width: number; height: number } {
  const v = info.video!;
  const aspect = v.display_width > 0 && v.display_height > 0 ? v.display_height / v.display_width : 9 / 16;
  const height = Math.min(128, Math.max(16, 2 * Math.round((ANALYSIS_WIDTH * aspect) / 2)));
  return { width: ANALYSIS_WIDTH, height };
}

export function checkIntervalMs(intervalMs: number): void {
  if (!Number.isInteger(intervalMs) || intervalMs < 40 || intervalMs > 60000)
    throw cutroomError(
      'INVALID_PARAM',
      `frame_sample_interval_ms must be an integer 40..60000, got ${intervalMs}`,
      {
        path: 'frame_sample_interval_ms',
        value: intervalMs,
      },
    );
}

export async function analyzeVisualMeta({
  path,
  info,
  intervalMs,
  faceSummary,
  shotOptions,
  signal,
}: AnalyzeVisualMetaInput): Promise<AnalyzeVisualMetaResult> {
  checkIntervalMs(intervalMs);
  const video = info.video;
  if (video === undefined || video.still)
    throw cutroomError('UNSUPPORTED_MEDIA', `${info.kind} has no moving video stream to analyse`, {
      kind: info.kind,
    });
  const warnings: Warning[] = [];
  const rate = video.avg_fps.den > 0 && video.avg_fps.num > 0 ? video.avg_fps : video.fps;
  const fps = rate.den > 0 && rate.num > 0 ? rate.num / rate.den : 25;
  if (video.vfr)
    warnings.push({
      code: 'VISUAL_META_VFR',
      message:
        'variable frame rate source: frame numbers count decoded frames; times are exact presentation times',
      path: 'video',
    });
  const { width, height } = analysisSize(info);
  const extractor = createFrameFeatureExtractor({ width, height });
  const frames: FrameFeatures[] = [];
  for await (const frame of readFrames({
    path,
    width,
    height,
    pixFmt: 'rgb24',
    // Area averaging: the cheapest downscale to a tiny analysis frame, and it does not alias fine detail.
    scaleFlags: 'area',
    ...(signal ? { signal } : {}),
  }))
    frames.push(extractor.push(frame));
  if (frames.length === 0)
    warnings.push({
      code: 'VISUAL_META_NO_FRAMES',
      message: 'no video frame could be decoded',
      path: 'video',
    });

  const minSceneLenFrames = Math.max(3, Math.round(fps * 0.4));
  const detection = detectShotBoundaries({ frames, options: { minSceneLenFrames, ...shotOptions } });
  const shotList = buildShotList({
    detection,
    ptsMs: frames.map((f) => f.pts_ms),
    lastFrameDurationMs: 1000 / fps,
  });
  const visualMeta: VisualMeta = {
    frame_sample_interval_ms: intervalMs,
    analysis_width: width,
    analysis_height: height,
    frame_count: frames.length,
    fps: Math.round(fps * 1000) / 1000,
    samples: aggregateSamples({ frames, intervalMs, fps, ...(faceSummary ? { faceSummary } : {}) }),
  };
  return { visualMeta, shotList, warnings };
}
