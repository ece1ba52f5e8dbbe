/**
 * Delete clips/layers. `deleteItems` lifts them (leaves a gap); `rippleDelete` also closes the gap.
 *
 * Ripple scope `track`: later items of the same track move left by the deleted length.
 * Ripple scope `all` (sync ripple): the deleted time span is cut out of every track, so tracks stay in sync:
 * later items of every track and later markers move left; a marker inside the span goes to its start. It is
 * refused (EDIT_NOT_APPLICABLE, reason `gap_not_empty`) when an item of another track that is not deleted lies
 * inside the span — cutting it would change that item — and refused with TRACK_LOCKED when a locked track would
 * move. Deleted spans that overlap across tracks are merged, so deleting a picture clip together with its sound
 * clip removes their time once.
 */
import { cutroomError } from '../../errors.js';
import type { Marker, Timeline, Track } from '../schema.js';
import { assertUnlocked, isMediaTrack, requireItem } from './doc-access.js';
import { dropBrokenTransitions } from './drop-broken-transitions.js';
import { extentOf } from './move-items.js';
import type { MediaLookup } from './types.js';

export interface DeleteItemsArgs {
  item_ids: readonly string[];
  media?: MediaLookup;
}

export interface RippleDeleteArgs extends DeleteItemsArgs {
  scope: 'track' | 'all';
}

export interface DeleteResult {
  doc: Timeline;
  deleted: string[];
  removed_transitions: string[];
}

function withoutItems(track: Track, ids: ReadonlySet<string>, removed: string[]): Track {
  if (isMediaTrack(track)) {
    const gone = track.transitions.filter((tr) => ids.has(tr.from_clip_id) || ids.has(tr.to_clip_id));
    removed.push(...gone.map((tr) => tr.id));
    return {
      ...track,
      clips: track.clips.filter((c) => !ids.has(c.id)),
      transitions: track.transitions.filter((tr) => !gone.includes(tr)),
    };
  }
  return { ...track, items: (track.items as Array<{ id: string }>).filter((i) => !ids.has(i.id)) } as Track;
}

export function deleteItems(doc: Timeline, args: DeleteItemsArgs): DeleteResult {
  const ids = new Set(args.item_ids);
  const locs = [...ids].map((id) => requireItem(doc, id));
  for (const l of locs) assertUnlocked(l.track);
  const removed: string[] = [];
  const touched = new Set(locs.map((l) => l.trackIndex));
  const tracks = doc.tracks.map((t, i) => (touched.has(i) ? withoutItems(t, ids, removed) : t));
  return { doc: { ...doc, tracks }, deleted: [...ids].sort(), removed_transitions: removed };
}

type Span = { start: number; end: number };

function mergeSpans(spans: Span[]): Span[] {
  const sorted = spans.filter((s) => s.end > s.start).sort((a, b) => a.start - b.start || a.end - b.end);
  const out: Span[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else out.push({ ...s });
  }
  return out;
}

/** How far an item starting at `t` moves left: the total length of the spans that end at or before it. */
function shiftFor(t: number, spans: readonly Span[]): number {
  let shift = 0;
  for (const s of spans) if (s.end <= t) shift += s.end - s.start;
  return shift;
}

export function rippleDelete(doc: Timeline, args: RippleDeleteArgs): DeleteResult {
  const ids = new Set(args.item_ids);
  const locs = [...ids].map((id) => requireItem(doc, id));
  for (const l of locs) assertUnlocked(l.track);
  const perTrack = new Map<number, Span[]>();
  for (const l of locs) {
    const { start, end } = extentOf(l.track, l.itemIndex, args.media);
    perTrack.set(l.trackIndex, [...(perTrack.get(l.trackIndex) ?? []), { start, end }]);
  }
  const allSpans = mergeSpans([...perTrack.values()].flat());

  const removed: string[] = [];
  const tracks = doc.tracks.map((track, t) => {
    const spans = args.scope === 'all' ? allSpans : perTrack.has(t) ? mergeSpans(perTrack.get(t)!) : [];
    const kept = perTrack.has(t) ? withoutItems(track, ids, removed) : track;
    if (spans.length === 0) return kept;
    return rippleTrack(kept, spans, args.scope === 'all', args.media);
  });
  let out: Timeline = { ...doc, tracks };
  if (args.scope === 'all' && doc.markers)
    out = { ...out, markers: doc.markers.map((m) => rippleMarker(m, allSpans)) };
  const dropped = dropBrokenTransitions(out, args.media);
  return {
    doc: dropped.doc,
    deleted: [...ids].sort(),
    removed_transitions: [...removed, ...dropped.removed],
  };
}

function rippleTrack(
  track: Track,
  spans: readonly Span[],
  strict: boolean,
  media: MediaLookup | undefined,
): Track {
  const items: Array<{ id: string; start_ms: number }> = isMediaTrack(track)
    ? track.clips
    : (track.items as Array<{ id: string; start_ms: number }>);
  let changed = false;
  const next = items.map((item, index) => {
    const { start, end } = extentOf(track, index, media);
    if (strict && track.kind !== 'caption') {
      const inside = spans.find((s) => start < s.end && Math.max(end, start + 1) > s.start);
      if (inside)
        throw cutroomError(
          'EDIT_NOT_APPLICABLE',
          `"${item.id}" on track "${track.id}" lies inside the deleted span ${inside.start}..${inside.end} ms; a ripple across all tracks would cut it`,
          { reason: 'gap_not_empty', item_id: item.id, track_id: track.id, span: inside },
        );
    }
    const shift = shiftFor(start, spans);
    if (shift === 0) return item;
    changed = true;
    return { ...item, start_ms: item.start_ms - shift };
  });
  if (!changed) return track;
  assertUnlocked(track);
  return (isMediaTrack(track) ? { ...track, clips: next } : { ...track, items: next }) as Track;
}

function rippleMarker(m: Marker, spans: readonly Span[]): Marker {
  const inside = spans.find((s) => m.time_ms > s.start && m.time_ms < s.end);
  const time = inside ? inside.start - shiftFor(inside.start, spans) : m.time_ms - shiftFor(m.time_ms, spans);
  return time === m.time_ms ? m : { ...m, time_ms: time };
}
