/**
 * A media clip resolved against its probe and snapped to the frame grid: where it sits on the timeline (in
 * output frames) and which source times feed it.
 */
import type { Warning } from '../errors.js';
import type { MediaClip } from '../timeline/index.js';
import { frameAt, type FrameGrid } from './frame-grid.js';
import type { PlanSource } from './types.js';

export interface ClipRef {
  clip: MediaClip;
  /** `tracks[1].clips[3]`. */
  path: string;
  source: PlanSource;
  /** First and end (exclusive) output frame on the timeline. */
  startF: number;
  endF: number;
  /** Source in and out points after clamping to the source, ms. */
  inMs: number;
  outMs: number;
  /** Length of the source's usable media (video stream if any), ms; Infinity for stills. */
  sourceDurationMs: number;
  /** Duration of one source frame (for seeking margins), ms. */
  sourceFrameMs: number;
  still: boolean;
  freeze: boolean;
  reverse: boolean;
  hasVideo: boolean;
  hasAudio: boolean;
}

/** Longest clip that may be reversed: `reverse` buffers every frame of its segment in memory. */
export const MAX_REVERSE_MS = 30_000;

/** Resolve a clip, or undefined (with a warning) when it cannot be placed. */
export function resolveClip(options: {
  clip: MediaClip;
  path: string;
  source: PlanSource;
  grid: FrameGrid;
  warnings: Warning[];
}): ClipRef | undefined {
  const { clip, path, source, grid, warnings } = options;
  const info = source.info;
  const video = info.video;
  const still = info.kind === 'image' || video?.still === true;
  const sourceDurationMs = still
    ? Infinity
    : (video?.duration_ms ?? info.audio?.duration_ms ?? info.duration_ms);
  const fps = video?.avg_fps && video.avg_fps.num > 0 ? video.avg_fps : video?.fps;
  const sourceFrameMs = fps && fps.num > 0 ? (1000 * fps.den) / fps.num : 40;

  let inMs = clip.in_ms;
  if (!still && inMs >= sourceDurationMs) {
    warnings.push({
      code: 'CLIP_OUT_OF_SOURCE',
      message: `in_ms ${inMs} is at or beyond the end of the source (${sourceDurationMs} ms); the clip is left out`,
      path: `${path}.in_ms`,
    });
    return undefined;
  }
  let outMs = clip.out_ms ?? (still ? inMs + (clip.duration_ms ?? 0) : sourceDurationMs);
  if (!still && outMs > sourceDurationMs) {
    warnings.push({
      code: 'CLIP_OUT_CLAMPED',
      message: `out_ms ${outMs} is beyond the end of the source (${sourceDurationMs} ms); clamped`,
      path: `${path}.out_ms`,
    });
    outMs = sourceDurationMs;
  }
  if (still) inMs = 0;

  let durationMs: number;
  if (clip.duration_ms !== undefined) durationMs = clip.duration_ms;
  else if (clip.freeze_at_ms !== undefined) durationMs = 0;
  else if (still) {
    if (clip.out_ms === undefined) {
      warnings.push({
        code: 'STILL_DURATION_DEFAULTED',
        message: 'an image clip needs duration_ms (or out_ms); 5000 ms used',
        path: `${path}.duration_ms`,
      });
      durationMs = 5000;
    } else durationMs = clip.out_ms - clip.in_ms;
  } else durationMs = (outMs - inMs) / clip.speed;

  const startF = frameAt(grid, clip.start_ms);
  const endF = frameAt(grid, clip.start_ms + durationMs);
  if (endF <= startF) {
    warnings.push({ code: 'CLIP_TOO_SHORT', message: 'the clip is shorter than one frame; left out', path });
    return undefined;
  }

  let reverse = clip.reverse && !still && clip.freeze_at_ms === undefined;
  if (reverse && outMs - inMs > MAX_REVERSE_MS) {
    warnings.push({
      code: 'REVERSE_TOO_LONG',
      message: `reverse is limited to ${MAX_REVERSE_MS} ms of source (it buffers every frame); this clip plays forwards`,
      path: `${path}.reverse`,
    });
    reverse = false;
  }
  return {
    clip,
    path,
    source,
    startF,
    endF,
    inMs,
    outMs,
    sourceDurationMs,
    sourceFrameMs,
    still,
    freeze: clip.freeze_at_ms !== undefined && !still,
    reverse,
    hasVideo: video !== undefined,
    hasAudio: info.audio !== undefined && !still,
  };
}
