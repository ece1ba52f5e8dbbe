/**
 * Trim a media clip or a text layer by dragging one edge to a timeline time. The other edge stays where it is.
 *
 * The edge is clamped (never an error for an over-long drag, as in every NLE): not before timeline 0, not into
 * the neighbouring clip on the same track, not past the source's first or last frame when the source duration is
 * known (`media`), and never shorter than 1 ms. `clamped_by` says which limit applied.
 * Stills and freeze frames (clips with `duration_ms`) have no source limit: only their length changes.
 * Keyframes stay where they were on the timeline (shifted when the start moves); a transition whose cut the trim
 * opens is removed; one that would reach past the clip's new length is shortened (see split-at.ts).
 */
import type { TextLayer, Timeline, Transition } from '../schema.js';
import { clipTimelineDurationMs } from '../validate.js';
import {
  assertUnlocked,
  clipLengthMs,
  replaceClip,
  replaceTrack,
  requireItem,
  notApplicable,
} from './doc-access.js';
import { dropBrokenTransitions } from './drop-broken-transitions.js';
import { sliceAutomation } from './slice-automation.js';
import type { TransitionAdjustment } from './split-at.js';
import type { MediaClip, MediaLookup, MediaTrack } from './types.js';

export interface TrimEdgeArgs {
  item_id: string;
  edge: 'start' | 'end';
  /** Where the edge should go on the timeline. */
  to_ms: number;
  media?: MediaLookup;
}

export type TrimLimit = 'timeline_start' | 'neighbour' | 'source' | 'min_length';

export interface TrimEdgeResult {
  doc: Timeline;
  /** Where the edge ended up. */
  edge_ms: number;
  clamped_by?: TrimLimit;
  adjusted_transitions: TransitionAdjustment[];
  removed_transitions: string[];
}

interface Bound {
  at: number;
  by: TrimLimit;
}

function clampTo(value: number, lower: Bound[], upper: Bound[]): { at: number; by?: TrimLimit } {
  let at = value;
  let by: TrimLimit | undefined;
  for (const b of lower) {
    if (at < b.at) {
      at = b.at;
      by = b.by;
    }
  }
  for (const b of upper) {
    if (at > b.at) {
      at = b.at;
      by = b.by;
    }
  }
  return by === undefined ? { at } : { at, by };
}

export function trimEdge(doc: Timeline, args: TrimEdgeArgs): TrimEdgeResult {
  if (!Number.isInteger(args.to_ms)) notApplicable('not_integer', `to_ms must be an integer number of ms`);
  const loc = requireItem(doc, args.item_id);
  assertUnlocked(loc.track);
  if (loc.kind === 'caption')
    notApplicable(
      'caption_not_trimmable',
      `caption layer "${args.item_id}" follows its transcript and cannot be trimmed`,
    );
  if (loc.kind === 'text') return trimText(doc, loc.trackIndex, loc.itemIndex, args);

  const track = loc.track as MediaTrack;
  const clip = track.clips[loc.itemIndex]!;
  const media = args.media;
  const sourceDuration = media?.[clip.asset_id]?.duration_ms;
  const length = clipLengthMs(clip, media);
  const start = clip.start_ms;
  const end = start + length;
  const sized = clip.duration_ms !== undefined;

  // Nearest neighbours on this track (clips whose length is unknown without media cannot bound the drag).
  let prevEnd = 0;
  let nextStart = Infinity;
  track.clips.forEach((other, i) => {
    if (i === loc.itemIndex) return;
    const otherLength = clipTimelineDurationMs(other, media?.[other.asset_id]?.duration_ms);
    if (other.start_ms >= end) nextStart = Math.min(nextStart, other.start_ms);
    else if (otherLength !== undefined && other.start_ms + otherLength <= start)
      prevEnd = Math.max(prevEnd, other.start_ms + otherLength);
  });

  let next: MediaClip;
  let edgeMs: number;
  let clampedBy: TrimLimit | undefined;
  if (args.edge === 'start') {
    const lower: Bound[] = [{ at: 0, by: 'timeline_start' }];
    if (prevEnd > 0) lower.push({ at: prevEnd, by: 'neighbour' });
    if (!sized) {
      // Media available before the current first frame: before in_ms, or after out_ms when reversed.
      const headroom = clip.reverse
        ? sourceDuration !== undefined && clip.out_ms !== undefined
          ? (sourceDuration - clip.out_ms) / clip.speed
          : 0
        : clip.in_ms / clip.speed;
      lower.push({ at: Math.ceil(start - headroom), by: 'source' });
    }
    const c = clampTo(args.to_ms, lower, [{ at: end - 1, by: 'min_length' }]);
    clampedBy = c.by;
    const delta = c.at - start;
    next = { ...clip, start_ms: c.at };
    if (sized) next.duration_ms = end - c.at;
    else if (!clip.reverse) next.in_ms = Math.max(0, clip.in_ms + Math.round(delta * clip.speed));
    else next.out_ms = (clip.out_ms ?? sourceDuration!) - Math.round(delta * clip.speed);
    next.automation =
      delta > 0 ? sliceAutomation(clip.automation, delta, Infinity) : shiftAutomation(clip, -delta);
    // Rounding of source times at speed != 1 can move the far edge by a millisecond; keep the far edge fixed.
    const newLength = clipTimelineDurationMs(next, sourceDuration) ?? end - c.at;
    next.start_ms = end - newLength;
    edgeMs = next.start_ms;
  } else {
    const upper: Bound[] = [{ at: start + 24 * 3600 * 1000, by: 'source' }];
    if (nextStart !== Infinity) upper.push({ at: nextStart, by: 'neighbour' });
    if (!sized) {
      const tailroom = clip.reverse
        ? clip.in_ms / clip.speed
        : sourceDuration !== undefined
          ? (sourceDuration - clip.in_ms) / clip.speed
          : Infinity;
      if (tailroom !== Infinity) upper.push({ at: Math.floor(start + tailroom), by: 'source' });
    }
    const c = clampTo(args.to_ms, [{ at: start + 1, by: 'min_length' }], upper);
    clampedBy = c.by;
    const newLength = c.at - start;
    next = { ...clip };
    if (sized) next.duration_ms = newLength;
    else if (!clip.reverse) {
      const out = clip.in_ms + Math.round(newLength * clip.speed);
      next.out_ms = sourceDuration !== undefined ? Math.min(sourceDuration, out) : out;
    } else {
      const out = clip.out_ms ?? sourceDuration!;
      next.in_ms = Math.max(0, out - Math.round(newLength * clip.speed));
      next.out_ms = out;
    }
    if (newLength < length) next.automation = sliceAutomation(clip.automation, 0, newLength);
    edgeMs = start + (clipTimelineDurationMs(next, sourceDuration) ?? newLength);
  }
  const finalLength = clipTimelineDurationMs(next, sourceDuration) ?? 1;
  if (next.audio_fade_in_ms + next.audio_fade_out_ms > finalLength) {
    // Fades longer than the clip are invalid; shrink both in proportion.
    const k = finalLength / (next.audio_fade_in_ms + next.audio_fade_out_ms);
    next.audio_fade_in_ms = Math.floor(next.audio_fade_in_ms * k);
    next.audio_fade_out_ms = Math.floor(next.audio_fade_out_ms * k);
  }

  let out = replaceClip(doc, { trackIndex: loc.trackIndex, clipIndex: loc.itemIndex }, next);
  const dropped = dropBrokenTransitions(out, media, new Set([loc.trackIndex]));
  out = dropped.doc;
  const adjusted: TransitionAdjustment[] = [];
  const t2 = out.tracks[loc.trackIndex] as MediaTrack;
  const transitions = t2.transitions.map((tr): Transition => {
    if (tr.from_clip_id !== clip.id && tr.to_clip_id !== clip.id) return tr;
    if (tr.duration_ms / 2 <= finalLength) return tr;
    const to = Math.max(1, 2 * finalLength);
    adjusted.push({ id: tr.id, from_duration_ms: tr.duration_ms, to_duration_ms: to });
    return { ...tr, duration_ms: to };
  });
  if (adjusted.length > 0) out = replaceTrack(out, loc.trackIndex, { ...t2, transitions });
  const result: TrimEdgeResult = {
    doc: out,
    edge_ms: edgeMs,
    adjusted_transitions: adjusted,
    removed_transitions: dropped.removed,
  };
  if (clampedBy !== undefined) result.clamped_by = clampedBy;
  return result;
}

/** The start moved earlier by `by` ms: keyframes keep their timeline position, so their clip time grows. */
function shiftAutomation(clip: MediaClip, by: number): MediaClip['automation'] {
  if (by === 0) return clip.automation;
  return clip.automation.map((a) => ({
    ...a,
    keyframes: a.keyframes.map((k) => ({ ...k, t_ms: k.t_ms + by })),
  }));
}

function trimText(doc: Timeline, trackIndex: number, itemIndex: number, args: TrimEdgeArgs): TrimEdgeResult {
  const track = doc.tracks[trackIndex] as Extract<Timeline['tracks'][number], { kind: 'text' }>;
  const layer = track.items[itemIndex]!;
  const end = layer.start_ms + layer.duration_ms;
  let next: TextLayer;
  let by: TrimLimit | undefined;
  let edgeMs: number;
  if (args.edge === 'start') {
    const c = clampTo(args.to_ms, [{ at: 0, by: 'timeline_start' }], [{ at: end - 1, by: 'min_length' }]);
    by = c.by;
    next = { ...layer, start_ms: c.at, duration_ms: end - c.at };
    edgeMs = c.at;
  } else {
    const c = clampTo(args.to_ms, [{ at: layer.start_ms + 1, by: 'min_length' }], []);
    by = c.by;
    next = { ...layer, duration_ms: c.at - layer.start_ms };
    edgeMs = c.at;
  }
  const items = track.items.slice();
  items[itemIndex] = next;
  const result: TrimEdgeResult = {
    doc: replaceTrack(doc, trackIndex, { ...track, items }),
    edge_ms: edgeMs,
    adjusted_transitions: [],
    removed_transitions: [],
  };
  if (by !== undefined) result.clamped_by = by;
  return result;
}
