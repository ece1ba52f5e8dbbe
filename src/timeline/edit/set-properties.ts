/**
 * Set properties of a clip or layer (inspector edits: volume, opacity, speed, transform, crop, fit, filters,
 * stabilise, text style…) and track flags (mute / hide / lock). The patched item is re-parsed with its schema
 * (VALIDATION_FAILED with the full document path of each bad field) and the document re-checked (an edit such as
 * a slower speed that makes a clip overlap its neighbour is EDIT_OVERLAP; any other inconsistency
 * TIMELINE_INVALID). Ids cannot be changed this way.
 */
import {
  CaptionLayerSchema,
  MediaClipSchema,
  TextLayerSchema,
  TrackSchema,
  type Timeline,
  type Track,
} from '../schema.js';
import {
  assertUnlocked,
  isMediaTrack,
  notApplicable,
  replaceTrack,
  requireItem,
  requireTrack,
} from './doc-access.js';
import { dropBrokenTransitions } from './drop-broken-transitions.js';
import { assertNoOverlap } from './overlap.js';
import { assertConsistent, mergePatch, parsePart } from './parse-part.js';
import type { MediaLookup } from './types.js';

export interface SetItemPropertiesArgs {
  item_id: string;
  /** Fields to change; nested objects merge one level deep; `null` removes an optional field. */
  props: Record<string, unknown>;
  media?: MediaLookup;
}

export function setItemProperties(
  doc: Timeline,
  args: SetItemPropertiesArgs,
): { doc: Timeline; removed_transitions: string[] } {
  const loc = requireItem(doc, args.item_id);
  assertUnlocked(loc.track);
  if ('id' in args.props) notApplicable('id_immutable', 'an item id cannot be changed');
  const track = loc.track;
  let next: Track;
  if (isMediaTrack(track)) {
    const current = track.clips[loc.itemIndex]!;
    const clip = parsePart(MediaClipSchema, mergePatch(current, args.props), [
      'tracks',
      loc.trackIndex,
      'clips',
      loc.itemIndex,
    ]);
    const clips = track.clips.slice();
    clips[loc.itemIndex] = clip;
    next = { ...track, clips };
    assertNoOverlap(next, args.media, new Set([clip.id]));
  } else if (track.kind === 'text') {
    const layer = parsePart(TextLayerSchema, mergePatch(track.items[loc.itemIndex]!, args.props), [
      'tracks',
      loc.trackIndex,
      'items',
      loc.itemIndex,
    ]);
    const items = track.items.slice();
    items[loc.itemIndex] = layer;
    next = { ...track, items };
  } else {
    const layer = parsePart(CaptionLayerSchema, mergePatch(track.items[loc.itemIndex]!, args.props), [
      'tracks',
      loc.trackIndex,
      'items',
      loc.itemIndex,
    ]);
    const items = track.items.slice();
    items[loc.itemIndex] = layer;
    next = { ...track, items };
  }
  const dropped = dropBrokenTransitions(
    replaceTrack(doc, loc.trackIndex, next),
    args.media,
    new Set([loc.trackIndex]),
  );
  return { doc: assertConsistent(dropped.doc), removed_transitions: dropped.removed };
}

export interface SetTrackFlagsArgs {
  track_id: string;
  muted?: boolean;
  hidden?: boolean;
  locked?: boolean;
  volume?: number;
  name?: string;
}

/**
 * Mute (video, overlay, audio), hide (video, overlay, text, caption), lock (any), volume (video, overlay, audio),
 * name. Allowed on a locked track, so it can be unlocked; a flag a kind does not have is EDIT_NOT_APPLICABLE.
 */
export function setTrackFlags(doc: Timeline, args: SetTrackFlagsArgs): { doc: Timeline } {
  const { track, trackIndex } = requireTrack(doc, args.track_id);
  const patch: Record<string, unknown> = {};
  if (args.muted !== undefined) {
    if (!isMediaTrack(track))
      notApplicable('flag_not_supported', `a ${track.kind} track has no sound to mute`);
    patch.muted = args.muted;
  }
  if (args.hidden !== undefined) {
    if (track.kind === 'audio') notApplicable('flag_not_supported', 'an audio track has no picture to hide');
    patch.hidden = args.hidden;
  }
  if (args.volume !== undefined) {
    if (!isMediaTrack(track)) notApplicable('flag_not_supported', `a ${track.kind} track has no volume`);
    patch.volume = args.volume;
  }
  if (args.locked !== undefined) patch.locked = args.locked;
  if (args.name !== undefined) patch.name = args.name;
  const next = { ...track, ...patch } as Track;
  // Checks the flag values (volume range, name length) with the track's own schema; the clips are unchanged.
  parsePart(TrackSchema, next, ['tracks', trackIndex]);
  return { doc: replaceTrack(doc, trackIndex, next) };
}
