/**
 * Whether a clip's own sound is off: `muted: true`, or its alias `keep_source_audio: false` (Shotstack/editly
 * users look for the latter on video clips). One rule for the planner, ducking and the Studio.
 *
 * No I/O: part of the timeline model.
 */
import type { MediaClip } from './schema.js';

export function isClipMuted(clip: Pick<MediaClip, 'muted' | 'keep_source_audio'>): boolean {
  return clip.muted || clip.keep_source_audio === false;
}
