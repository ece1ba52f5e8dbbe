/** Small pure helpers on boxes (0..1 fractions, top-left + size). */
import type { Box } from './types.js';

export function iou(a: Box, b: Box): number {
  const x0 = Math.max(a.x, b.x);
  const y0 = Math.max(a.y, b.y);
  const x1 = Math.min(a.x + a.w, b.x + b.w);
  const y1 = Math.min(a.y + a.h, b.y + b.h);
  const inner = Math.max(0, x1 - x0) * Math.max(0, y1 - y0);
  const union = a.w * a.h + b.w * b.h - inner;
  return union > 0 ? inner / union : 0;
}

/** Clips a box to the frame [0,1]²; a box entirely outside becomes zero-sized at the nearest edge. */
export function clipBox(b: Box): Box {
  const x0 = clamp01(b.x);
  const y0 = clamp01(b.y);
  const x1 = clamp01(b.x + b.w);
  const y1 = clamp01(b.y + b.h);
  return { x: x0, y: y0, w: Math.max(0, x1 - x0), h: Math.max(0, y1 - y0) };
}

export function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}

/**
 * Rounds to 6 decimals (a millionth of the frame, far below a pixel). Keeps JSON short and byte-stable:
 * float noise from a different summation order cannot change the stored artifact.
 */
export function round6(v: number): number {
  return Math.round(v * 1e6) / 1e6 + 0;
}

export function roundBox(b: Box): Box {
  return { x: round6(b.x), y: round6(b.y), w: round6(b.w), h: round6(b.h) };
}

export function lerp(a: number, b: number, t: number): number {
  return a + (b - a) * t;
}

export function lerpBox(a: Box, b: Box, t: number): Box {
  return { x: lerp(a.x, b.x, t), y: lerp(a.y, b.y, t), w: lerp(a.w, b.w, t), h: lerp(a.h, b.h, t) };
}
