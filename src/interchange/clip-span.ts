/**
 * The timeline length and source range of a clip as an exporter needs them: foreign formats have no "to the end
 * of the asset" or "default still length", so both are resolved here from the media registry's durations.
 */
import type { Warning } from '../errors.js';
import type { MediaClip } from '../timeline/schema.js';
import { clipTimelineDurationMs } from '../timeline/validate.js';
import type { MediaRef } from './types.js';

/** What the planner uses for an image clip with neither duration_ms nor out_ms (STILL_DURATION_DEFAULTED). */
export const DEFAULT_STILL_MS = 5000;

export interface ClipSpan {
  /** Length on the timeline. */
  duration_ms: number;
  in_ms: number;
  /** Source out point (in + duration × speed), or in_ms + duration for stills and freeze frames. */
  out_ms: number;
}

export function clipSpan({
  clip,
  media,
  path,
  warnings,
}: {
  clip: MediaClip;
  media: MediaRef | undefined;
  path: string;
  warnings: Warning[];
}): ClipSpan {
  const still = media?.kind === 'image' || clip.freeze_at_ms !== undefined;
  let duration = clipTimelineDurationMs(clip, still ? undefined : media?.duration_ms);
  if (duration === undefined) {
    duration = DEFAULT_STILL_MS;
    warnings.push({
      code: 'INTERCHANGE_DURATION_DEFAULTED',
      message: `the length of clip "${clip.id}" is not known (no out_ms, duration_ms or media duration); ${DEFAULT_STILL_MS} ms is written`,
      path,
    });
  }
  if (still) {
    const at = clip.freeze_at_ms ?? clip.in_ms;
    return { duration_ms: duration, in_ms: at, out_ms: at + duration };
  }
  return { duration_ms: duration, in_ms: clip.in_ms, out_ms: clip.in_ms + Math.round(duration * clip.speed) };
}
