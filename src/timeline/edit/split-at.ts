/**
 * Split a media clip or a text layer at a timeline time into two butt-joined pieces (the "razor" / S key).
 *
 * - The left piece keeps the id; the right piece gets `{id}_2` (or the next free suffix), or `new_id`.
 * - Source times are cut so the picture continues seamlessly: `in_ms`/`out_ms` of a normal clip, the far end of a
 *   reversed clip, only `duration_ms` of stills and freeze frames.
 * - Audio fades: the fade-in stays on the left piece, the fade-out on the right one. Keyframes are cut with a
 *   keyframe at the cut carrying the curve's value there (slice-automation.ts).
 * - Captions linked to the clip (`source_clip_id`) are duplicated, the copy linked to the right piece.
 * - Transitions: the incoming one stays on the left piece, the outgoing one moves to the right piece.
 * - Split inside a transition window: a transition is centred on its cut, so it reaches `duration_ms / 2` into
 *   each clip. When the split point falls inside that half-window the transition is shortened to end exactly at
 *   the split point (`duration_ms = 2 × distance from its cut`), stays centred on its cut, and is reported in
 *   `adjusted_transitions`; it is never left overlapping the new cut.
 */
import type { Automation, TextLayer, Timeline, Transition } from '../schema.js';
import { clipTimelineDurationMs } from '../validate.js';
import {
  assertUnlocked,
  clipLengthMs,
  collectIds,
  freshId,
  notApplicable,
  replaceTrack,
  requireItem,
} from './doc-access.js';
import { sliceAutomation } from './slice-automation.js';
import type { EditMediaInfo, MediaClip, MediaLookup, MediaTrack } from './types.js';

export interface SplitAtArgs {
  /** A media clip or a text layer. */
  item_id: string;
  /** Timeline time of the cut; must fall strictly inside the item. */
  at_ms: number;
  /** Id for the right piece; default `{item_id}_2` (next free suffix). */
  new_id?: string;
  media?: MediaLookup;
}

export interface TransitionAdjustment {
  id: string;
  from_duration_ms: number;
  to_duration_ms: number;
}

export interface SplitAtResult {
  doc: Timeline;
  left_id: string;
  right_id: string;
  /** Where the right piece starts (equals at_ms unless speed rounding moved it by a millisecond). */
  cut_ms: number;
  adjusted_transitions: TransitionAdjustment[];
  removed_transitions: string[];
}

export function splitAt(doc: Timeline, args: SplitAtArgs): SplitAtResult {
  const loc = requireItem(doc, args.item_id);
  assertUnlocked(loc.track);
  if (loc.kind === 'caption')
    notApplicable(
      'caption_not_splittable',
      `caption layer "${args.item_id}" follows its transcript and cannot be split`,
    );
  const taken = collectIds(doc);
  if (args.new_id !== undefined && taken.has(args.new_id))
    notApplicable('id_taken', `id "${args.new_id}" is already used in the timeline`, { id: args.new_id });
  const rightId = args.new_id ?? freshId(args.item_id, taken);

  if (loc.kind === 'text') {
    const track = loc.track as Extract<typeof loc.track, { kind: 'text' }>;
    const layer = track.items[loc.itemIndex]!;
    const cut = args.at_ms - layer.start_ms;
    checkInside(args.item_id, args.at_ms, layer.start_ms, layer.duration_ms);
    const left: TextLayer = { ...layer, duration_ms: cut, animation: { ...layer.animation, out: 'none' } };
    const right: TextLayer = {
      ...layer,
      id: rightId,
      start_ms: args.at_ms,
      duration_ms: layer.duration_ms - cut,
      animation: { ...layer.animation, in: 'none' },
    };
    const items = track.items.slice();
    items.splice(loc.itemIndex, 1, left, right);
    return {
      doc: replaceTrack(doc, loc.trackIndex, { ...track, items }),
      left_id: layer.id,
      right_id: rightId,
      cut_ms: args.at_ms,
      adjusted_transitions: [],
      removed_transitions: [],
    };
  }

  const track = loc.track as MediaTrack;
  const clip = track.clips[loc.itemIndex]!;
  const length = clipLengthMs(clip, args.media);
  checkInside(args.item_id, args.at_ms, clip.start_ms, length);
  const { left, right } = splitClip(
    clip,
    args.at_ms - clip.start_ms,
    length,
    rightId,
    args.media?.[clip.asset_id],
  );
  const leftLength =
    clipTimelineDurationMs(left, args.media?.[clip.asset_id]?.duration_ms) ?? args.at_ms - clip.start_ms;
  right.start_ms = clip.start_ms + leftLength;
  const rightLength = length - leftLength;

  const adjusted: TransitionAdjustment[] = [];
  const transitions = track.transitions.map((tr): Transition => {
    if (tr.to_clip_id === clip.id) return shorten(tr, leftLength, adjusted);
    if (tr.from_clip_id === clip.id) return shorten({ ...tr, from_clip_id: rightId }, rightLength, adjusted);
    return tr;
  });
  const clips = track.clips.slice();
  clips.splice(loc.itemIndex, 1, left, right);
  return {
    doc: withLinkedCaptions(
      replaceTrack(doc, loc.trackIndex, { ...track, clips, transitions }),
      clip.id,
      rightId,
      taken,
    ),
    left_id: clip.id,
    right_id: rightId,
    cut_ms: right.start_ms,
    adjusted_transitions: adjusted,
    removed_transitions: [],
  };
}

/**
 * Caption items linked to the split clip (`source_clip_id`) follow its left piece; each gets a copy linked to
 * the right piece, next to it on the same track, so both pieces keep their captions.
 */
function withLinkedCaptions(doc: Timeline, clipId: string, rightId: string, taken: Set<string>): Timeline {
  let out = doc;
  doc.tracks.forEach((track, ti) => {
    if (track.kind !== 'caption' || !track.items.some((i) => i.source_clip_id === clipId)) return;
    assertUnlocked(track);
    const items = track.items.flatMap((item) =>
      item.source_clip_id === clipId
        ? [item, { ...item, id: freshId(item.id, taken), source_clip_id: rightId }]
        : [item],
    );
    out = replaceTrack(out, ti, { ...track, items });
  });
  return out;
}

function checkInside(id: string, at: number, start: number, length: number): void {
  if (!Number.isInteger(at) || at <= start || at >= start + length)
    notApplicable(
      'split_outside',
      `split point ${at} ms is not strictly inside "${id}" (${start}..${start + length} ms)`,
      { id, at_ms: at, start_ms: start, end_ms: start + length },
    );
}

/** A transition reaches half its length into each clip; cap it to the piece it now touches. */
function shorten(tr: Transition, pieceLength: number, adjusted: TransitionAdjustment[]): Transition {
  if (tr.duration_ms / 2 <= pieceLength) return tr;
  const to = Math.max(1, 2 * pieceLength);
  adjusted.push({ id: tr.id, from_duration_ms: tr.duration_ms, to_duration_ms: to });
  return { ...tr, duration_ms: to };
}

function splitClip(
  clip: MediaClip,
  cut: number,
  length: number,
  rightId: string,
  info: EditMediaInfo | undefined,
): { left: MediaClip; right: MediaClip } {
  const fadeIn = Math.min(clip.audio_fade_in_ms, cut);
  const fadeOut = Math.min(clip.audio_fade_out_ms, length - cut);
  const leftAutomation: Automation[] = sliceAutomation(clip.automation, 0, cut);
  const rightAutomation: Automation[] = sliceAutomation(clip.automation, cut, Infinity);
  const left: MediaClip = {
    ...clip,
    audio_fade_in_ms: fadeIn,
    audio_fade_out_ms: 0,
    automation: leftAutomation,
  };
  const right: MediaClip = {
    ...clip,
    id: rightId,
    start_ms: clip.start_ms + cut,
    audio_fade_in_ms: 0,
    audio_fade_out_ms: fadeOut,
    automation: rightAutomation,
  };
  if (clip.duration_ms !== undefined) {
    // Stills, freeze frames and explicitly sized clips: only the length on the timeline is cut.
    left.duration_ms = cut;
    right.duration_ms = length - cut;
    if (clip.freeze_at_ms === undefined && clip.out_ms !== undefined)
      right.in_ms = Math.min(clip.out_ms - 1, clip.in_ms + Math.round(cut * clip.speed));
    return { left, right };
  }
  const sourceCut = Math.round(cut * clip.speed);
  if (!clip.reverse) {
    left.out_ms = clip.in_ms + sourceCut;
    right.in_ms = clip.in_ms + sourceCut;
    return { left, right };
  }
  // Reversed: the timeline's left part shows the end of the source range, played backwards.
  const out = clip.out_ms ?? info!.duration_ms; // clipLengthMs already proved one of them is known
  left.in_ms = out - sourceCut;
  left.out_ms = out;
  right.out_ms = out - sourceCut;
  return { left, right };
}
