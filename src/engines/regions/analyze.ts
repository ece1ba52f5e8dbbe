/**
 * Face regions of one video or image: sample frames every `intervalMs` (ffmpeg's fps filter picks them and
 * scales them down for the detector), detect faces, track them across samples, derive sub-regions.
 * Cost is dominated by the detector (~15–35 ms per sampled frame on one CPU core), not by decoding.
 */
import { cutroomError, type Warning } from '../../errors.js';
import { readFrames } from '../../ffmpeg/frames.js';
import type { MediaInfo } from '../../timeline/media-info.js';
import type { FaceDetectorBackend } from './backend.js';
import { round6 } from './box-math.js';
import { REGIONS_STUB_BACKEND } from './select-backend.js';
import { faceRegions } from './sub-regions.js';
import { trackFaces, type TrackInputSample } from './track.js';
import type { RegionName, RegionSummary, SummaryFace } from './types.js';
import { REGION_NAMES } from './types.js';

/** Detector input width: BlazeFace sees 256 px anyway, 640 keeps small faces while decoding stays cheap. */
const DETECT_WIDTH = 640;
export const MIN_INTERVAL_MS = 40;
export const MAX_INTERVAL_MS = 10_000;

export interface AnalyzeFacesOptions {
  path: string;
  info: MediaInfo;
  intervalMs?: number;
  minConfidence?: number;
  includeRegions?: readonly RegionName[];
  backend: FaceDetectorBackend;
  signal?: AbortSignal;
}

export interface AnalyzeFacesResult {
  summary: RegionSummary;
  warnings: Warning[];
}

export function validateRegionParams(p: {
  intervalMs: number;
  minConfidence: number;
  includeRegions: readonly string[];
}): void {
  const issues: { path: string; message: string }[] = [];
  if (!Number.isInteger(p.intervalMs) || p.intervalMs < MIN_INTERVAL_MS || p.intervalMs > MAX_INTERVAL_MS) {
    issues.push({
      path: 'interval_ms',
      message: `interval_ms must be an integer in [${MIN_INTERVAL_MS}, ${MAX_INTERVAL_MS}], got ${p.intervalMs}`,
    });
  }
  if (!(p.minConfidence >= 0 && p.minConfidence <= 1)) {
    issues.push({
      path: 'min_confidence',
      message: `min_confidence must be in [0, 1], got ${p.minConfidence}`,
    });
  }
  p.includeRegions.forEach((r, i) => {
    if (!(REGION_NAMES as readonly string[]).includes(r)) {
      issues.push({
        path: `include_regions[${i}]`,
        message: `include_regions[${i}] must be one of ${REGION_NAMES.join(', ')}, got "${r}"`,
      });
    }
  });
  if (issues.length > 0) {
    throw cutroomError('INVALID_PARAM', issues.map((i) => i.message).join('; '), { issues });
  }
}

/** Detector frame size: display orientation, at most DETECT_WIDTH wide, even dimensions (yuv scalers). */
export function detectorSize(displayWidth: number, displayHeight: number): { width: number; height: number } {
  const width = Math.min(DETECT_WIDTH, displayWidth);
  const height = Math.max(2, Math.round((displayHeight * width) / displayWidth / 2) * 2);
  return { width: Math.max(2, Math.round(width / 2) * 2), height };
}

export async function analyzeFaces(opts: AnalyzeFacesOptions): Promise<AnalyzeFacesResult> {
  const intervalMs = opts.intervalMs ?? 200;
  const minConfidence = opts.minConfidence ?? opts.backend.minConfidence;
  const requested = opts.includeRegions ?? [];
  validateRegionParams({ intervalMs, minConfidence, includeRegions: requested });
  const include = REGION_NAMES.filter((r) => r === 'face' || requested.includes(r));
  const video = opts.info.video;
  if (!video) {
    throw cutroomError(
      'UNSUPPORTED_MEDIA',
      'face regions need a video stream or an image; this file has none',
      {
        path: opts.path,
      },
    );
  }
  const { width, height } = detectorSize(video.display_width, video.display_height);
  const still = opts.info.kind === 'image' || video.still;

  const samples: TrackInputSample[] = [];
  const frames = readFrames({
    path: opts.path,
    width,
    height,
    pixFmt: 'rgb24',
    ...(still ? {} : { fps: 1000 / intervalMs }),
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  for await (const frame of frames) {
    const detections = await opts.backend.detect({ data: frame.data, width, height }, { minConfidence });
    samples.push({ t_ms: still ? 0 : frame.ptsMs, detections });
    if (still) break;
  }
  opts.signal?.throwIfAborted();

  const tracked = trackFaces({ samples });
  const summary: RegionSummary = {
    frame_sample_interval_ms: intervalMs,
    width: video.display_width,
    height: video.display_height,
    fps: round6(video.fps.den > 0 ? video.fps.num / video.fps.den : 0),
    samples: tracked.samples.map((s) => ({
      t_ms: s.t_ms,
      faces: s.faces.map((f): SummaryFace => {
        const face: SummaryFace = {
          track_id: f.track_id,
          box: f.box,
          score: f.score,
          keypoints: f.keypoints,
          regions: faceRegions({
            box: f.box,
            keypoints: f.keypoints,
            width: video.display_width,
            height: video.display_height,
            include,
          }),
        };
        if (f.held) face.held = true;
        return face;
      }),
    })),
    tracks: tracked.tracks,
    ...(opts.backend.stub ? { stub: true as const } : {}),
  };
  const warnings: Warning[] = [];
  if (opts.backend.stub) {
    warnings.push({
      code: REGIONS_STUB_BACKEND,
      message: `face regions come from the stub backend (${opts.backend.model}); they are placeholders, not detections`,
    });
  }
  return { summary, warnings };
}
