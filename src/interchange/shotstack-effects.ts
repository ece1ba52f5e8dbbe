/**
 * Shotstack clip `effect` names (zoomIn, slideLeft, … with Slow/Fast variants) and editly's `zoomDirection` are
 * Ken Burns motions; they map onto the timeline's `motion` presets (docs/TIMELINE.md). An effect cutroom does not
 * know is a warning, never silently dropped.
 */
import type { Warning } from '../errors.js';

/** Shotstack effect base name -> cutroom motion preset id (GET /video/presets motion_presets). */
const SHOTSTACK_MOTION_PRESETS: Record<string, string> = {
  zoomIn: 'ken_burns_in',
  zoomOut: 'ken_burns_out',
  slideLeft: 'pan_left',
  slideRight: 'pan_right',
  slideUp: 'pan_up',
  slideDown: 'pan_down',
};

export const SHOTSTACK_MOTION_EFFECTS = Object.keys(SHOTSTACK_MOTION_PRESETS);

export interface MotionMapping {
  /** Fields to merge into the cutroom clip. */
  clip: Record<string, unknown>;
  warnings: Warning[];
}

/** Shotstack's Slow/Fast variants travel half / twice the distance of the plain effect over the clip. */
const SPEED_INTENSITY: Record<string, number> = { Slow: 0.5, Fast: 2 };

export function mapShotstackEffect({ effect, path }: { effect: string; path: string }): MotionMapping {
  const m = /^(.*?)(Slow|Fast)?$/.exec(effect)!;
  const preset = SHOTSTACK_MOTION_PRESETS[m[1]!];
  if (preset === undefined) {
    return {
      clip: {},
      warnings: [{ code: 'INTERCHANGE_UNMAPPED', message: `effect "${effect}" is not a Shotstack effect cutroom knows`, path }],
    };
  }
  const intensity = m[2] !== undefined ? SPEED_INTENSITY[m[2]]! : undefined;
  return { clip: { motion: intensity === undefined ? preset : { preset, intensity } }, warnings: [] };
}

/** editly's zoomDirection -> motion preset; its zoomAmount (default 0.1 = 110 %) scales intensity (1 = 115 %). */
const EDITLY_ZOOM_PRESETS: Record<string, string> = {
  in: 'ken_burns_in',
  out: 'ken_burns_out',
  left: 'pan_left',
  right: 'pan_right',
};

export function mapEditlyZoom({
  direction,
  amount,
  path,
}: {
  direction: unknown;
  amount: unknown;
  path: string;
}): MotionMapping {
  const preset = typeof direction === 'string' ? EDITLY_ZOOM_PRESETS[direction] : undefined;
  if (preset === undefined) {
    return {
      clip: {},
      warnings: [{ code: 'INTERCHANGE_UNMAPPED', message: `zoomDirection "${String(direction)}" is not known`, path }],
    };
  }
  const zoom = typeof amount === 'number' && Number.isFinite(amount) ? amount : 0.1;
  const intensity = Math.round(Math.min(3, Math.max(0, zoom / 0.15)) * 1000) / 1000;
  return { clip: { motion: { preset, intensity } }, warnings: [] };
}
