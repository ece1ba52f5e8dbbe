/**
 * A clip's `motion` (preset id, preset with intensity/easing, or from/to rectangles) -> the curves a zoom-pan
 * needs, as keyframes on clip time. Presets come from the same catalog GET /video/presets lists
 * (filters/motion-presets.ts), so every listed preset renders: their transform keyframes (scale, and the
 * position of the picture's centre on the canvas) describe the same view as a crop window of size 1/scale.
 */
import type { Easing, Keyframe, Motion } from '../../timeline/index.js';
import { motionPreset, motionPresetAutomation } from '../filters/motion-presets.js';

export type ResolvedMotion =
  | {
      /** Preset: zoom factor, and where the picture's centre sits on the canvas (0.5 = centred). */
      kind: 'centre';
      zoom: Keyframe[];
      centreX: Keyframe[];
      centreY: Keyframe[];
      maxZoom: number;
    }
  | {
      /** Rectangles: window width (the zoom is its reciprocal) and top-left corner, fractions of the picture. */
      kind: 'window';
      width: Keyframe[];
      x: Keyframe[];
      y: Keyframe[];
      maxZoom: number;
    };

/** zoompan refuses zoom factors outside [1, 10]. */
export const MAX_MOTION_ZOOM = 10;

function withEasing(keyframes: Keyframe[], easing: Easing | undefined): Keyframe[] {
  if (easing === undefined) return keyframes;
  return keyframes.map((k, i) => (i + 1 < keyframes.length ? { ...k, easing } : k));
}

function round(v: number): number {
  return Math.round(v * 1e6) / 1e6;
}

/** Undefined when `motion` names no preset (the caller reports UNKNOWN_MOTION_PRESET). */
export function resolveMotion(options: { motion: Motion; durationMs: number }): ResolvedMotion | undefined {
  const { motion } = options;
  const d = Math.max(1, Math.round(options.durationMs));
  if (typeof motion !== 'string' && 'from' in motion) {
    const { from, to, easing } = motion;
    const curve = (a: number, b: number): Keyframe[] => [
      { t_ms: 0, value: a, easing },
      { t_ms: d, value: b, easing: 'linear' },
    ];
    return {
      kind: 'window',
      width: curve(from.w, to.w),
      x: curve(from.x, to.x),
      y: curve(from.y, to.y),
      maxZoom: Math.min(MAX_MOTION_ZOOM, 1 / Math.min(from.w, to.w)),
    };
  }
  const id = typeof motion === 'string' ? motion : motion.preset;
  const preset = motionPreset(id);
  if (preset === undefined) return undefined;
  const intensity = typeof motion === 'string' ? 1 : motion.intensity;
  const easing = typeof motion === 'string' ? undefined : motion.easing;
  const automation = motionPresetAutomation({ id: preset.id, durationMs: d });
  const curve = (param: string, rest: number): Keyframe[] => {
    const keys = automation.find((a) => a.param === param)?.keyframes ?? [
      { t_ms: 0, value: rest, easing: 'linear' as const },
    ];
    // Intensity scales the distance from the resting value (scale 1, centre 0.5).
    const scaled = keys.map((k) => ({ ...k, value: round(rest + (k.value - rest) * intensity) }));
    // A shake's jitter keeps its own easing: replacing it would change its character, not its speed.
    return preset.jitter && param !== 'scale' ? scaled : withEasing(scaled, easing);
  };
  const zoom = curve('scale', 1).map((k) => ({
    ...k,
    value: Math.min(MAX_MOTION_ZOOM, Math.max(1, k.value)),
  }));
  return {
    kind: 'centre',
    zoom,
    centreX: curve('position_x', 0.5),
    centreY: curve('position_y', 0.5),
    maxZoom: Math.max(...zoom.map((k) => k.value)),
  };
}
