/**
 * After clips move, shrink or disappear, a transition whose two clips no longer meet at a cut on the same track
 * is removed (it would fail validation otherwise) and reported, never silently kept half-valid.
 */
import type { Timeline } from '../schema.js';
import { clipTimelineDurationMs } from '../validate.js';
import { isMediaTrack } from './doc-access.js';
import type { MediaLookup } from './types.js';

export function dropBrokenTransitions(
  doc: Timeline,
  media: MediaLookup | undefined,
  trackIndexes?: ReadonlySet<number>,
): { doc: Timeline; removed: string[] } {
  const removed: string[] = [];
  let tracks = doc.tracks;
  doc.tracks.forEach((track, t) => {
    if (!isMediaTrack(track) || track.transitions.length === 0) return;
    if (trackIndexes && !trackIndexes.has(t)) return;
    const byId = new Map(track.clips.map((c) => [c.id, c]));
    const kept = track.transitions.filter((tr) => {
      const from = byId.get(tr.from_clip_id);
      const to = byId.get(tr.to_clip_id);
      const fromLen = from && clipTimelineDurationMs(from, media?.[from.asset_id]?.duration_ms);
      // A length unknown without media cannot be checked here; the validator would not flag it either.
      const ok =
        from !== undefined &&
        to !== undefined &&
        (fromLen === undefined || from.start_ms + fromLen === to.start_ms);
      if (!ok) removed.push(tr.id);
      return ok;
    });
    if (kept.length !== track.transitions.length) {
      if (tracks === doc.tracks) tracks = doc.tracks.slice();
      tracks[t] = { ...track, transitions: kept };
    }
  });
  return { doc: tracks === doc.tracks ? doc : { ...doc, tracks }, removed };
}
