/**
 * Hard cuts of a timeline: the times where a clip on a visible main video track starts (other than at 0) without
 * a transition into it. planChunks prefers these as chunk boundaries; a boundary inside a transition or an overlay
 * would still render correctly (the planner renders any range), it is just not a natural seam.
 */
import type { Timeline } from '../timeline/index.js';

export function timelineCutTimes(timeline: Timeline): number[] {
  const cuts = new Set<number>();
  for (const track of timeline.tracks) {
    if (track.kind !== 'video' || track.hidden) continue;
    const faded = new Set(track.transitions.map((t) => t.to_clip_id));
    for (const clip of track.clips) if (clip.start_ms > 0 && !faded.has(clip.id)) cuts.add(clip.start_ms);
  }
  return [...cuts].sort((a, b) => a - b);
}
