/**
 * Every clip's `motion` preset must exist: one UNKNOWN_MOTION_PRESET error listing each path and the valid ids
 * (and aliases), instead of a silently still picture.
 */
import { cutroomError } from '../../errors.js';
import type { Track } from '../../timeline/index.js';
import { MOTION_PRESETS, motionPreset } from '../filters/motion-presets.js';

export function checkMotionPresets(tracks: Track[]): void {
  const issues: Array<{ path: string; message: string }> = [];
  tracks.forEach((track, ti) => {
    if (track.kind !== 'video' && track.kind !== 'overlay') return;
    track.clips.forEach((clip, ci) => {
      const m = clip.motion;
      if (m === undefined || (typeof m !== 'string' && 'from' in m)) return;
      const id = typeof m === 'string' ? m : m.preset;
      if (motionPreset(id) === undefined)
        issues.push({
          path: `tracks[${ti}].clips[${ci}].motion${typeof m === 'string' ? '' : '.preset'}`,
          message: `unknown motion preset "${id}"`,
        });
    });
  });
  if (issues.length === 0) return;
  const valid = MOTION_PRESETS.flatMap((p) => [p.id, ...(p.aliases ?? [])]);
  throw cutroomError(
    'UNKNOWN_MOTION_PRESET',
    `${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}; valid: ${valid.join(', ')}`,
    { issues, valid },
  );
}
