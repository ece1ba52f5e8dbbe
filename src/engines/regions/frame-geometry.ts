/**
 * Sizes and frame counts of a video as ffmpeg decodes it, for lining a mask up with the source's frames.
 */
import type { MediaInfo } from '../../timeline/media-info.js';

export interface FrameGeometry {
  /** Size of the decoded frames after autorotation (coded size, 90/270 swapped; SAR not applied). */
  width: number;
  height: number;
  fps: { num: number; den: number };
  /** Frames of mask to draw so the whole source is covered (1 for a still image). */
  frameCount: number;
  still: boolean;
}

export function frameGeometry(info: MediaInfo): FrameGeometry | null {
  const v = info.video;
  if (!v) return null;
  const swap = v.rotation === 90 || v.rotation === 270;
  const still = info.kind === 'image' || v.still;
  const fps = v.fps.num > 0 && v.fps.den > 0 ? v.fps : { num: 25, den: 1 };
  const durationMs = Math.max(v.duration_ms, info.duration_ms);
  // One frame beyond the end: a mask that ends a frame early would leave the last frame unmasked.
  const frameCount = still ? 1 : Math.max(1, Math.ceil((durationMs * fps.num) / (1000 * fps.den)) + 1);
  return { width: swap ? v.height : v.width, height: swap ? v.width : v.height, fps, frameCount, still };
}
