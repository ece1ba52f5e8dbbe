/**
 * Snapping for drags: a time within `tolerance_ms` of a candidate (a cut, the playhead, a marker) jumps to it.
 * Pure; `snapPoints` collects the candidates of a document once per drag, `snap` is then a binary search, so a
 * drag update over a 500-clip timeline stays far below a frame.
 */
import type { Timeline } from '../schema.js';
import { clipTimelineDurationMs } from '../validate.js';
import { isMediaTrack } from './doc-access.js';
import type { MediaLookup } from './types.js';

export interface SnapResult {
  time_ms: number;
  /** The candidate snapped to, when one was within tolerance. */
  target_ms?: number;
}

/**
 * Snap `time` to the nearest candidate within `tolerance` (inclusive); the earlier candidate wins a tie.
 * `candidates` must be sorted ascending (as `snapPoints` returns them).
 */
export function snap(time: number, candidates: readonly number[], tolerance: number): SnapResult {
  let lo = 0;
  let hi = candidates.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (candidates[mid]! < time) lo = mid + 1;
    else hi = mid;
  }
  let best: number | undefined;
  for (const i of [lo - 1, lo]) {
    const c = candidates[i];
    if (c === undefined || Math.abs(c - time) > tolerance) continue;
    if (best === undefined || Math.abs(c - time) < Math.abs(best - time)) best = c;
  }
  return best === undefined ? { time_ms: time } : { time_ms: best, target_ms: best };
}

export interface SnapPointsArgs {
  playhead_ms?: number;
  /** Items being dragged: their own edges are not candidates. */
  exclude_ids?: readonly string[];
  media?: MediaLookup;
  /** Include timeline markers (default true). */
  markers?: boolean;
}

/** Every cut (start and end of each clip and layer), 0, the playhead and the markers; sorted, unique. */
export function snapPoints(doc: Timeline, args: SnapPointsArgs = {}): number[] {
  const exclude = new Set(args.exclude_ids ?? []);
  const points = new Set<number>([0]);
  for (const track of doc.tracks) {
    if (isMediaTrack(track)) {
      for (const clip of track.clips) {
        if (exclude.has(clip.id)) continue;
        points.add(clip.start_ms);
        const len = clipTimelineDurationMs(clip, args.media?.[clip.asset_id]?.duration_ms);
        if (len !== undefined) points.add(clip.start_ms + len);
      }
    } else if (track.kind === 'text') {
      for (const layer of track.items) {
        if (exclude.has(layer.id)) continue;
        points.add(layer.start_ms);
        points.add(layer.start_ms + layer.duration_ms);
      }
    } else {
      for (const item of track.items) if (!exclude.has(item.id)) points.add(item.start_ms);
    }
  }
  if (args.playhead_ms !== undefined) points.add(args.playhead_ms);
  if (args.markers !== false) for (const m of doc.markers ?? []) points.add(m.time_ms);
  return [...points].sort((a, b) => a - b);
}
