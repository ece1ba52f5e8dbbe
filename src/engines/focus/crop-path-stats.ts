/**
 * How the crop window of a focus plan moves, sampled once per output frame the way the renderer interpolates
 * the keyframes: the largest speed and acceleration of its centre within a shot (source pixels per s and per
 * s²), and whether any shot change is crossed by a pan rather than a jump. Pure; for reports and tests.
 */
import type { Keyframe } from '../../timeline/index.js';
import { keyframeValueAt } from '../../timeline/index.js';
import type { FocusPlan } from './plan-focus.js';

export interface CropPathStats {
  /** Largest |velocity| and |acceleration| of the crop centre inside a shot, source px/s and px/s². */
  max_speed_px_s: number;
  max_acceleration_px_s2: number;
  /** Root mean square acceleration inside shots, px/s² (jitter shows here first). */
  rms_acceleration_px_s2: number;
  /** Shot changes crossed by an interpolated keyframe segment that moves the window: should be 0. */
  pans_across_cuts: number;
}

export function cropPathStats(plan: FocusPlan, fps = 30): CropPathStats {
  const axis = (key: 'center_x' | 'center_y', size: number): Keyframe[] =>
    plan.keyframes.map((k) => ({ t_ms: k.t_ms, value: k[key] * size, easing: k.easing }));
  const kx = axis('center_x', plan.source.width);
  const ky = axis('center_y', plan.source.height);
  const at = (t: number) => ({ x: keyframeValueAt(kx, t), y: keyframeValueAt(ky, t) });
  const dt = 1000 / fps;
  const s = dt / 1000;
  let maxV = 0;
  let maxA = 0;
  let sumA2 = 0;
  let nA = 0;
  for (const shot of plan.shots) {
    const p: Array<{ x: number; y: number }> = [];
    // Frames strictly inside the shot (the one at a cut belongs to the next shot).
    for (let t = shot.start_ms; t < shot.end_ms - dt / 2; t += dt) p.push(at(t));
    for (let i = 1; i < p.length; i++) {
      const v = Math.hypot(p[i]!.x - p[i - 1]!.x, p[i]!.y - p[i - 1]!.y) / s;
      maxV = Math.max(maxV, v);
      if (i + 1 < p.length) {
        const ax = (p[i + 1]!.x - 2 * p[i]!.x + p[i - 1]!.x) / (s * s);
        const ay = (p[i + 1]!.y - 2 * p[i]!.y + p[i - 1]!.y) / (s * s);
        const a = Math.hypot(ax, ay);
        maxA = Math.max(maxA, a);
        sumA2 += a * a;
        nA++;
      }
    }
  }
  // A pan across a cut: one interpolated (non-hold) keyframe segment that starts before a shot change and ends
  // after it, with the window moving.
  let pans = 0;
  for (const shot of plan.shots.slice(1)) {
    const cut = shot.start_ms;
    const ks = plan.keyframes;
    for (let i = 0; i + 1 < ks.length; i++) {
      const a = ks[i]!;
      const b = ks[i + 1]!;
      if (a.t_ms < cut && b.t_ms > cut && a.easing !== 'hold') {
        if (a.center_x !== b.center_x || a.center_y !== b.center_y) pans++;
      }
    }
  }
  const r = (x: number) => Math.round(x * 10) / 10;
  return {
    max_speed_px_s: r(maxV),
    max_acceleration_px_s2: r(maxA),
    rms_acceleration_px_s2: r(nA > 0 ? Math.sqrt(sumA2 / nA) : 0),
    pans_across_cuts: pans,
  };
}
