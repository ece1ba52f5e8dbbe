/**
 * Generator clips name no uploaded asset: their asset_id must start with `generator:` (and a clip with such an
 * id must have a generator), they live on video/overlay tracks, and they need duration_ms (a drawn picture has no
 * length of its own). One TIMELINE_INVALID listing every path.
 */
import { cutroomError } from '../../errors.js';
import { GENERATOR_ASSET_PREFIX, type Track } from '../../timeline/index.js';

export function checkGeneratorClips(tracks: Track[]): void {
  const issues: Array<{ path: string; message: string }> = [];
  tracks.forEach((track, ti) => {
    if (track.kind !== 'video' && track.kind !== 'overlay' && track.kind !== 'audio') return;
    track.clips.forEach((clip, ci) => {
      const path = `tracks[${ti}].clips[${ci}]`;
      const reserved = clip.asset_id.startsWith(GENERATOR_ASSET_PREFIX);
      if (clip.generator === undefined) {
        if (reserved)
          issues.push({
            path: `${path}.generator`,
            message: `asset_id "${clip.asset_id}" needs a generator`,
          });
        return;
      }
      if (!reserved)
        issues.push({
          path: `${path}.asset_id`,
          message: `a generator clip's asset_id must start with "${GENERATOR_ASSET_PREFIX}"`,
        });
      if (track.kind === 'audio')
        issues.push({
          path: `${path}.generator`,
          message: 'generators draw pictures: not on an audio track',
        });
      if (clip.duration_ms === undefined)
        issues.push({ path: `${path}.duration_ms`, message: 'is required for a generator clip' });
    });
  });
  if (issues.length > 0)
    throw cutroomError(
      'TIMELINE_INVALID',
      `generator clips: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
      { issues },
    );
}
