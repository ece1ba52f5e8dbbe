/**
 * Transitions of a single clip, in from nothing and out to nothing (Shotstack's `transition.in/out`, editly's
 * per-layer transitions), as opposed to the track's transitions between two clips. "Nothing" is what is under
 * the clip: the tracks below, or the sequence background on the bottom track.
 *
 * - `fade`: opacity 0 -> 1 (in) / 1 -> 0 (out), linear;
 * - `slide_left|right|up|down`: the picture moves in that direction, from off the canvas (in) / off it (out);
 * - `zoom`: the picture grows from its centre (in) / shrinks into it (out);
 * - `wipe_left|right|up|down`: an edge moving in that direction reveals (in) / hides (out) the picture.
 * Slides and zooms ease in and out; fades and wipes are linear.
 *
 * No I/O: part of the timeline model.
 */
import { z } from 'zod';

export const CLIP_TRANSITION_TYPES = [
  'fade',
  'slide_left',
  'slide_right',
  'slide_up',
  'slide_down',
  'zoom',
  'wipe_left',
  'wipe_right',
  'wipe_up',
  'wipe_down',
] as const;

export const ClipTransitionSchema = z.object({
  type: z.enum(CLIP_TRANSITION_TYPES),
  duration_ms: z.int().min(1).max(10_000).default(500),
});
export type ClipTransition = z.infer<typeof ClipTransitionSchema>;
