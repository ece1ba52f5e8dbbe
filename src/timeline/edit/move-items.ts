/**
 * Move one or more clips/layers in time by `delta_ms`, optionally onto another track, with snapping.
 *
 * Snapping: the moved block's start and end are each tried against the candidates (`snapPoints`: cuts of other
 * items, 0, the playhead, markers); the closer hit within `snap.tolerance_ms` wins and shifts the whole block.
 * The block never moves before 0 (the delta is clamped). The result may not overlap (EDIT_OVERLAP); it is then
 * refused whole — a drag the UI previews and drops where it is legal.
 * Track change: only when every moved item is on one track, and only to a compatible track: media clips between
 * video/overlay/audio tracks (an audio-only asset never on a picture track, a still never on an audio track, when
 * `media` says so), text layers between text tracks, caption layers between caption tracks. Transitions of clips
 * that leave their track are removed; on the same track, those whose cut opens are removed.
 */
import { cutroomError } from '../../errors.js';
import type { Timeline, Track } from '../schema.js';
import { clipTimelineDurationMs } from '../validate.js';
import { assertUnlocked, isMediaTrack, notApplicable, requireItem, requireTrack } from './doc-access.js';
import { dropBrokenTransitions } from './drop-broken-transitions.js';
import { assertNoOverlap } from './overlap.js';
import { snap, snapPoints } from './snap.js';
import type { MediaLookup, MediaTrack } from './types.js';

export interface MoveItemsArgs {
  item_ids: readonly string[];
  delta_ms: number;
  to_track_id?: string;
  snap?: { tolerance_ms: number; playhead_ms?: number; markers?: boolean; points?: readonly number[] };
  media?: MediaLookup;
}

export interface MoveItemsResult {
  doc: Timeline;
  /** The delta applied after snapping and clamping. */
  delta_ms: number;
  snapped_to?: number;
  removed_transitions: string[];
}

export function moveItems(doc: Timeline, args: MoveItemsArgs): MoveItemsResult {
  if (!Number.isInteger(args.delta_ms))
    notApplicable('not_integer', 'delta_ms must be an integer number of ms');
  if (args.item_ids.length === 0) return { doc, delta_ms: 0, removed_transitions: [] };
  const ids = new Set(args.item_ids);
  const locs = [...ids].map((id) => requireItem(doc, id));
  for (const l of locs) assertUnlocked(l.track);

  // The block's extent on the timeline.
  let blockStart = Infinity;
  let blockEnd = -Infinity;
  for (const l of locs) {
    const { start, end } = extentOf(l.track, l.itemIndex, args.media);
    blockStart = Math.min(blockStart, start);
    blockEnd = Math.max(blockEnd, end);
  }

  let delta = args.delta_ms;
  let snappedTo: number | undefined;
  if (args.snap) {
    const points =
      args.snap.points ??
      snapPoints(doc, {
        exclude_ids: [...ids],
        ...(args.snap.playhead_ms !== undefined ? { playhead_ms: args.snap.playhead_ms } : {}),
        ...(args.media ? { media: args.media } : {}),
        ...(args.snap.markers !== undefined ? { markers: args.snap.markers } : {}),
      });
    const s = snap(blockStart + delta, points, args.snap.tolerance_ms);
    const e = snap(blockEnd + delta, points, args.snap.tolerance_ms);
    const sDist = s.target_ms === undefined ? Infinity : Math.abs(s.target_ms - (blockStart + delta));
    const eDist = e.target_ms === undefined ? Infinity : Math.abs(e.target_ms - (blockEnd + delta));
    if (sDist <= eDist && s.target_ms !== undefined) {
      delta = s.target_ms - blockStart;
      snappedTo = s.target_ms;
    } else if (e.target_ms !== undefined) {
      delta = e.target_ms - blockEnd;
      snappedTo = e.target_ms;
    }
  }
  if (blockStart + delta < 0) {
    delta = -blockStart;
    snappedTo = undefined;
  }

  let target: { track: Track; trackIndex: number } | undefined;
  if (args.to_track_id !== undefined) {
    target = requireTrack(doc, args.to_track_id);
    if (new Set(locs.map((l) => l.trackIndex)).size > 1)
      notApplicable('multi_track_selection', 'items on several tracks cannot move to one track together');
    if (target.trackIndex === locs[0]!.trackIndex) target = undefined;
  }

  const tracks = doc.tracks.slice();
  const touched = new Set<number>();
  const removed: string[] = [];
  for (const trackIndex of new Set(locs.map((l) => l.trackIndex))) {
    touched.add(trackIndex);
    const track = tracks[trackIndex]!;
    if (isMediaTrack(track)) {
      const moved = track.clips
        .filter((c) => ids.has(c.id))
        .map((c) => ({ ...c, start_ms: c.start_ms + delta }));
      if (target) {
        const dest = target.track;
        assertUnlocked(dest);
        if (!isMediaTrack(dest)) incompatible(track, dest);
        for (const c of moved) {
          const kind = args.media?.[c.asset_id]?.kind;
          if (kind === 'audio' && dest.kind !== 'audio')
            notApplicable(
              'incompatible_track',
              `clip "${c.id}" has no picture and cannot go on ${dest.kind} track "${dest.id}"`,
            );
          if (kind === 'image' && dest.kind === 'audio')
            notApplicable(
              'incompatible_track',
              `clip "${c.id}" is a still and cannot go on audio track "${dest.id}"`,
            );
        }
        const leaving = track.transitions.filter((tr) => ids.has(tr.from_clip_id) || ids.has(tr.to_clip_id));
        removed.push(...leaving.map((tr) => tr.id));
        tracks[trackIndex] = {
          ...track,
          clips: track.clips.filter((c) => !ids.has(c.id)),
          transitions: track.transitions.filter((tr) => !leaving.includes(tr)),
        };
        tracks[target.trackIndex] = { ...dest, clips: [...dest.clips, ...moved] };
        touched.add(target.trackIndex);
      } else {
        const byId = new Map(moved.map((c) => [c.id, c]));
        tracks[trackIndex] = { ...track, clips: track.clips.map((c) => byId.get(c.id) ?? c) };
      }
    } else {
      const shift = <T extends { id: string; start_ms: number }>(items: readonly T[]): T[] =>
        items.filter((i) => ids.has(i.id)).map((i) => ({ ...i, start_ms: i.start_ms + delta }));
      const moved = shift(track.items as Array<{ id: string; start_ms: number }>);
      if (target) {
        const dest = target.track;
        assertUnlocked(dest);
        if (dest.kind !== track.kind) incompatible(track, dest);
        tracks[trackIndex] = { ...track, items: track.items.filter((i) => !ids.has(i.id)) } as Track;
        tracks[target.trackIndex] = { ...dest, items: [...(dest as typeof track).items, ...moved] } as Track;
        touched.add(target.trackIndex);
      } else {
        const byId = new Map(moved.map((i) => [i.id, i]));
        tracks[trackIndex] = { ...track, items: track.items.map((i) => byId.get(i.id) ?? i) } as Track;
      }
    }
  }
  let out: Timeline = { ...doc, tracks };
  for (const t of touched) {
    const track = out.tracks[t]!;
    if (isMediaTrack(track)) assertNoOverlap(track, args.media, ids);
  }
  const dropped = dropBrokenTransitions(out, args.media, touched);
  out = dropped.doc;
  removed.push(...dropped.removed);
  const result: MoveItemsResult = { doc: out, delta_ms: delta, removed_transitions: removed };
  if (snappedTo !== undefined) result.snapped_to = snappedTo;
  return result;
}

function incompatible(from: Track, to: Track): never {
  throw cutroomError(
    'EDIT_NOT_APPLICABLE',
    `items of ${from.kind} track "${from.id}" cannot go on ${to.kind} track "${to.id}"`,
    { reason: 'incompatible_track', from_track_id: from.id, to_track_id: to.id },
  );
}

/** Start and end of an item on the timeline; a caption layer counts as a point (its length is its transcript's). */
export function extentOf(
  track: Track,
  index: number,
  media: MediaLookup | undefined,
): { start: number; end: number } {
  if (isMediaTrack(track)) {
    const clip = (track as MediaTrack).clips[index]!;
    const len = clipTimelineDurationMs(clip, media?.[clip.asset_id]?.duration_ms);
    if (len === undefined)
      notApplicable('length_unknown', `the length of clip "${clip.id}" is unknown without media info`, {
        clip_id: clip.id,
      });
    return { start: clip.start_ms, end: clip.start_ms + len };
  }
  if (track.kind === 'text') {
    const layer = track.items[index]!;
    return { start: layer.start_ms, end: layer.start_ms + layer.duration_ms };
  }
  const item = track.items[index]!;
  return { start: item.start_ms, end: item.start_ms };
}
