/**
 * Shotstack clip `effect` names (zoomIn, slideLeft, … with Slow/Fast variants) are Ken Burns motions. The timeline
 * gets motion fields from the Shotstack-parity work (issue 15); until that lands every effect is reported as a
 * warning. This is the one place to wire them: return clip fields instead of a warning.
 */
import type { Warning } from '../errors.js';

export const SHOTSTACK_MOTION_EFFECTS = [
  'zoomIn',
  'zoomOut',
  'slideLeft',
  'slideRight',
  'slideUp',
  'slideDown',
] as const;

export interface MotionMapping {
  /** Fields to merge into the cutroom clip. */
  clip: Record<string, unknown>;
  warnings: Warning[];
}

export function mapShotstackEffect({ effect, path }: { effect: string; path: string }): MotionMapping {
  const base = effect.replace(/(Slow|Fast)$/, '');
  const known = (SHOTSTACK_MOTION_EFFECTS as readonly string[]).includes(base);
  return {
    clip: {},
    warnings: [
      {
        code: 'INTERCHANGE_UNMAPPED',
        message: known
          ? `effect "${effect}" (Ken Burns motion) is not applied yet: the timeline has no motion field`
          : `effect "${effect}" is not a Shotstack effect cutroom knows`,
        path,
      },
    ],
  };
}
