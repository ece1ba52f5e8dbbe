/**
 * The output frame grid. Every time in the plan is snapped to it so cuts land on exact frames and each segment
 * has an exact frame count; audio sample positions are derived from frame numbers, so summing segments never
 * drifts (sample(f) telescopes).
 */
import type { Rational } from '../timeline/index.js';

export interface FrameGrid {
  fps: Rational;
  sampleRate: number;
}

/** Frame index of a timeline time: round(t_ms · fps_num / (1000 · fps_den)). */
export function frameAt(grid: FrameGrid, ms: number): number {
  return Math.round((ms * grid.fps.num) / (1000 * grid.fps.den));
}

/** Timeline time of the start of frame f, in ms (may be fractional, e.g. 33.333… at 30 fps). */
export function msAtFrame(grid: FrameGrid, frame: number): number {
  return (frame * 1000 * grid.fps.den) / grid.fps.num;
}

/** Audio sample index at the start of frame f. */
export function sampleAtFrame(grid: FrameGrid, frame: number): number {
  return Math.round((frame * grid.fps.den * grid.sampleRate) / grid.fps.num);
}

/** Length of one frame in ms. */
export function frameMs(grid: FrameGrid): number {
  return (1000 * grid.fps.den) / grid.fps.num;
}
