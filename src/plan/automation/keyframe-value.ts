/**
 * The value keyframes give at a time, computed in the planner (same easing curves as keyframeExpr). Used where a
 * per-frame value is sent to a filter as a command instead of evaluated as an expression (e.g. per-pixel
 * filters, where an expression would be evaluated for every pixel). The curve itself lives with the timeline's
 * edit operations (which split automation at a cut); this only sorts the keyframes first.
 */
import { keyframeValueAt as valueAtSorted, type Keyframe } from '../../timeline/index.js';

export function keyframeValueAt(keyframes: Keyframe[], tMs: number): number {
  return valueAtSorted(
    [...keyframes].sort((a, b) => a.t_ms - b.t_ms),
    tMs,
  );
}
