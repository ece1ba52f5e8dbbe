/**
 * Cutting keyframe automation when a clip is split or its start is trimmed. Keyframe times are relative to the
 * clip's start, so the part kept after a cut is shifted; a keyframe is added at each new boundary with the value
 * the curve had there, so the picture and sound do not jump at the cut. (The easing of a segment that is cut in
 * two keeps its name on both halves; the value at the cut is exact, the curve shape either side is close to but
 * not identical to the uncut one.)
 */
import type { Automation, Keyframe } from '../schema.js';

/** The value sorted keyframes give at a time (the easing curves of keyframeExpr); the planner uses it too. */
export function keyframeValueAt(keyframes: readonly Keyframe[], tMs: number): number {
  const first = keyframes[0]!;
  if (tMs <= first.t_ms) return first.value;
  for (let i = 0; i + 1 < keyframes.length; i++) {
    const a = keyframes[i]!;
    const b = keyframes[i + 1]!;
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
  return keyframes[keyframes.length - 1]!.value;
}

/** Easing in force at a time: that of the last keyframe at or before it. */
function easingAt(keyframes: readonly Keyframe[], tMs: number): Keyframe['easing'] {
  let easing = keyframes[0]!.easing;
  for (const k of keyframes) if (k.t_ms <= tMs) easing = k.easing;
  return easing;
}

/** Keep the automation of the window [fromMs, toMs) of a clip, re-based so fromMs becomes 0. */
export function sliceAutomation(
  automation: readonly Automation[],
  fromMs: number,
  toMs: number,
): Automation[] {
  return automation.map((a) => {
    const kfs = a.keyframes;
    const inside = kfs
      .filter((k) => k.t_ms > fromMs && k.t_ms < toMs)
      .map((k) => ({ ...k, t_ms: k.t_ms - fromMs }));
    const head: Keyframe = { t_ms: 0, value: keyframeValueAt(kfs, fromMs), easing: easingAt(kfs, fromMs) };
    const out: Keyframe[] = [head, ...inside];
    // A closing keyframe only when the curve still changes after the last one kept, so a flat tail stays flat.
    const last = kfs[kfs.length - 1]!;
    if (Number.isFinite(toMs) && last.t_ms >= toMs && toMs - fromMs > out[out.length - 1]!.t_ms) {
      out.push({ t_ms: toMs - fromMs, value: keyframeValueAt(kfs, toMs), easing: easingAt(kfs, toMs) });
    }
    return { ...a, keyframes: out };
  });
}
