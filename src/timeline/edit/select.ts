/**
 * Multi-selection helpers. A selection is a sorted array of item ids (clips and layers); these functions never
 * touch the document, so the UI keeps the selection beside it (not in it: selecting is not an undoable edit).
 */
import type { Timeline } from '../schema.js';
import { findItem, isMediaTrack } from './doc-access.js';
import { extentOf } from './move-items.js';
import type { MediaLookup } from './types.js';

export type Selection = readonly string[];

function normalise(ids: Iterable<string>): string[] {
  return [...new Set(ids)].sort();
}

/** Click: select only this item. */
export function selectOnly(id: string): string[] {
  return [id];
}

/** Ctrl/Cmd-click: add the item, or remove it when it is already selected. */
export function toggleSelected(selection: Selection, id: string): string[] {
  return selection.includes(id) ? selection.filter((s) => s !== id) : normalise([...selection, id]);
}

/** Shift-click / marquee: add every item intersecting [start_ms, end_ms) on the given tracks (default all). */
export function selectInRange(
  doc: Timeline,
  args: {
    start_ms: number;
    end_ms: number;
    track_ids?: readonly string[];
    media?: MediaLookup;
    add_to?: Selection;
  },
): string[] {
  const out = new Set(args.add_to ?? []);
  for (const track of doc.tracks) {
    if (args.track_ids && !args.track_ids.includes(track.id)) continue;
    const ids: string[] = isMediaTrack(track) ? track.clips.map((c) => c.id) : track.items.map((i) => i.id);
    ids.forEach((id, index) => {
      const { start, end } = extentOf(track, index, args.media);
      if (start < args.end_ms && Math.max(end, start + 1) > args.start_ms) out.add(id);
    });
  }
  return normalise(out);
}

/** Select forward (track select tool): every item starting at or after `from_ms`, optionally on one track. */
export function selectAfter(doc: Timeline, args: { from_ms: number; track_id?: string }): string[] {
  const out: string[] = [];
  for (const track of doc.tracks) {
    if (args.track_id !== undefined && track.id !== args.track_id) continue;
    const items: Array<{ id: string; start_ms: number }> = isMediaTrack(track) ? track.clips : track.items;
    for (const i of items) if (i.start_ms >= args.from_ms) out.push(i.id);
  }
  return normalise(out);
}

/** Drop ids no longer in the document (after undo, delete or another tab's save). */
export function pruneSelection(doc: Timeline, selection: Selection): string[] {
  return normalise(selection.filter((id) => findItem(doc, id) !== undefined));
}

/** The time span the selection covers, or undefined for an empty selection. */
export function selectionBounds(
  doc: Timeline,
  selection: Selection,
  media?: MediaLookup,
): { start_ms: number; end_ms: number } | undefined {
  let start = Infinity;
  let end = -Infinity;
  for (const id of selection) {
    const loc = findItem(doc, id);
    if (!loc) continue;
    const e = extentOf(loc.track, loc.itemIndex, media);
    start = Math.min(start, e.start);
    end = Math.max(end, e.end);
  }
  return start === Infinity ? undefined : { start_ms: start, end_ms: end };
}
