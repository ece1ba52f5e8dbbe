/**
 * Copy and paste. `copyItems` returns a clipboard (plain JSON, so it can go through the system clipboard);
 * `pasteItems` inserts it at a time with fresh ids derived from the originals (`{id}_2`, …, deterministic), and
 * the transitions between copied clips come along with their ids remapped.
 * Paste goes to the items' original tracks, or — when all came from one track — to `track_id` if given; it is
 * refused whole when it would overlap (EDIT_OVERLAP) or the target is locked or incompatible.
 */
import { cutroomError } from '../../errors.js';
import type { CaptionLayer, MediaClip, TextLayer, Timeline, Track, Transition } from '../schema.js';
import {
  assertUnlocked,
  collectIds,
  freshId,
  isMediaTrack,
  requireItem,
  requireTrack,
} from './doc-access.js';
import { extentOf } from './move-items.js';
import { assertNoOverlap } from './overlap.js';
import type { MediaLookup } from './types.js';

export interface ClipboardEntry {
  track_id: string;
  track_kind: Track['kind'];
  /** Start relative to the earliest copied item. */
  offset_ms: number;
  item: MediaClip | TextLayer | CaptionLayer;
}

export interface Clipboard {
  entries: ClipboardEntry[];
  transitions: Array<Transition & { track_id: string }>;
}

export function copyItems(
  doc: Timeline,
  args: { item_ids: readonly string[]; media?: MediaLookup },
): Clipboard {
  const ids = [...new Set(args.item_ids)].sort();
  const locs = ids.map((id) => requireItem(doc, id));
  const starts = locs.map((l) => extentOf(l.track, l.itemIndex, args.media).start);
  const base = Math.min(...starts);
  const entries = locs.map((l, k): ClipboardEntry => {
    const item = isMediaTrack(l.track) ? l.track.clips[l.itemIndex]! : l.track.items[l.itemIndex]!;
    return {
      track_id: l.track.id,
      track_kind: l.track.kind,
      offset_ms: starts[k]! - base,
      item: structuredClone(item),
    };
  });
  const idSet = new Set(ids);
  const transitions: Clipboard['transitions'] = [];
  for (const track of doc.tracks) {
    if (!isMediaTrack(track)) continue;
    for (const tr of track.transitions)
      if (idSet.has(tr.from_clip_id) && idSet.has(tr.to_clip_id))
        transitions.push({ ...tr, track_id: track.id });
  }
  return { entries, transitions };
}

export interface PasteResult {
  doc: Timeline;
  /** Old id -> new id, for every pasted item and transition. */
  id_map: Record<string, string>;
  pasted: string[];
}

export function pasteItems(
  doc: Timeline,
  args: { clipboard: Clipboard; at_ms: number; track_id?: string; media?: MediaLookup },
): PasteResult {
  const { entries } = args.clipboard;
  if (entries.length === 0) return { doc, id_map: {}, pasted: [] };
  const singleTrack = new Set(entries.map((e) => e.track_id)).size === 1;
  if (args.track_id !== undefined && !singleTrack)
    throw cutroomError(
      'EDIT_NOT_APPLICABLE',
      'items copied from several tracks paste back onto their own tracks',
      {
        reason: 'multi_track_selection',
      },
    );
  const taken = collectIds(doc);
  const idMap: Record<string, string> = {};
  for (const e of entries) idMap[e.item.id] = freshId(e.item.id, taken);
  for (const tr of args.clipboard.transitions) idMap[tr.id] = freshId(tr.id, taken);

  const tracks = doc.tracks.slice();
  const touched = new Set<number>();
  for (const e of entries) {
    const { track, trackIndex } = requireTrack({ ...doc, tracks }, args.track_id ?? e.track_id);
    assertUnlocked(track);
    const compatible = isMediaTrack(track)
      ? e.track_kind !== 'text' && e.track_kind !== 'caption'
      : track.kind === e.track_kind;
    if (!compatible)
      throw cutroomError(
        'EDIT_NOT_APPLICABLE',
        `a ${e.track_kind} item cannot be pasted on ${track.kind} track "${track.id}"`,
        {
          reason: 'incompatible_track',
          track_id: track.id,
        },
      );
    const item = { ...structuredClone(e.item), id: idMap[e.item.id]!, start_ms: args.at_ms + e.offset_ms };
    tracks[trackIndex] = (
      isMediaTrack(track)
        ? { ...track, clips: [...track.clips, item as MediaClip] }
        : { ...track, items: [...track.items, item] }
    ) as Track;
    touched.add(trackIndex);
  }
  for (const tr of args.clipboard.transitions) {
    const { track, trackIndex } = requireTrack({ ...doc, tracks }, args.track_id ?? tr.track_id);
    if (!isMediaTrack(track)) continue;
    const { track_id: _omit, ...rest } = tr;
    void _omit;
    const next: Transition = {
      ...rest,
      id: idMap[tr.id]!,
      from_clip_id: idMap[tr.from_clip_id]!,
      to_clip_id: idMap[tr.to_clip_id]!,
    };
    tracks[trackIndex] = { ...track, transitions: [...track.transitions, next] };
  }
  const pastedIds = new Set(entries.map((e) => idMap[e.item.id]!));
  for (const t of touched) {
    const track = tracks[t]!;
    if (isMediaTrack(track)) assertNoOverlap(track, args.media, pastedIds);
  }
  return { doc: { ...doc, tracks }, id_map: idMap, pasted: [...pastedIds].sort() };
}
