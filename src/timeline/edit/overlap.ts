/** Overlap check of one media track after an edit, reported as EDIT_OVERLAP naming both clips. */
import { cutroomError } from '../../errors.js';
import { clipTimelineDurationMs } from '../validate.js';
import type { MediaLookup, MediaTrack } from './types.js';

export function assertNoOverlap(
  track: MediaTrack,
  media: MediaLookup | undefined,
  movedIds?: ReadonlySet<string>,
): void {
  const spans = track.clips
    .map((clip, index) => ({
      clip,
      index,
      end: clip.start_ms + (clipTimelineDurationMs(clip, media?.[clip.asset_id]?.duration_ms) ?? 0),
    }))
    .sort((a, b) => a.clip.start_ms - b.clip.start_ms || a.index - b.index);
  for (let i = 1; i < spans.length; i++) {
    const prev = spans[i - 1]!;
    const cur = spans[i]!;
    if (cur.clip.start_ms < prev.end) {
      // Name the clip the user moved first, so the message reads "X would overlap Y".
      const [moved, other] =
        movedIds?.has(prev.clip.id) && !movedIds.has(cur.clip.id) ? [prev, cur] : [cur, prev];
      throw cutroomError(
        'EDIT_OVERLAP',
        `clip "${moved.clip.id}" would overlap clip "${other.clip.id}" on track "${track.id}"`,
        { clip_id: moved.clip.id, overlaps: other.clip.id, track_id: track.id },
      );
    }
  }
}
