/**
 * The value keyframes give at a time, computed in the planner (same easing curves as keyframeExpr). Used where a
 * per-frame value is sent to a filter as a command instead of evaluated as an expression (e.g. per-pixel
 * filters, where an expression would be evaluated for every pixel).
 */
import type { Keyframe } from '../../timeline/index.js';

export function keyframeValueAt(keyframes: Keyframe[], tMs: number): number {
  const sorted = [...keyframes].sort((a, b) => a.t_ms - b.t_ms);
  const first = sorted[0]!;
  if (tMs <= first.t_ms) return first.value;
  for (let i = 0; i + 1 < sorted.length; i++) {
    const a = sorted[i]!;
    const b = sorted[i + 1]!;
    if (tMs >= b.t_ms) continue;
    const p = (tMs - a.t_ms) / (b.t_ms - a.t_ms);
    const eased =
      a.easing === 'linear'
        ? p
        : a.easing === 'ease_in'
          ? p * p
          : a.easing === 'ease_out'
            ? 1 - (1 - p) * (1 - p)
            : a.easing === 'ease_in_out'
              ? 0.5 - 0.5 * Math.cos(Math.PI * p)
              : 0;
    return a.value + (b.value - a.value) * eased;
  }
  return sorted[sorted.length - 1]!.value;
}
