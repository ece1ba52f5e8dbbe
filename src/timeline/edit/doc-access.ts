/**
 * Finding things in a timeline document and replacing them without mutation. All ops go through these so that
 * "not found" and "locked" are reported the same way everywhere.
 */
import { cutroomError } from '../../errors.js';
import type { Timeline, Track } from '../schema.js';
import { clipTimelineDurationMs } from '../validate.js';
import type { MediaClip, MediaLookup, MediaTrack } from './types.js';

export function isMediaTrack(track: Track): track is MediaTrack {
  return track.kind === 'video' || track.kind === 'overlay' || track.kind === 'audio';
}

export interface ClipLocation {
  trackIndex: number;
  clipIndex: number;
  track: MediaTrack;
  clip: MediaClip;
}

export interface ItemLocation {
  trackIndex: number;
  itemIndex: number;
  track: Track;
  /** `clip` for media clips, `text` / `caption` for layers. */
  kind: 'clip' | 'text' | 'caption';
}

export function findItem(doc: Timeline, itemId: string): ItemLocation | undefined {
  for (let t = 0; t < doc.tracks.length; t++) {
    const track = doc.tracks[t]!;
    if (isMediaTrack(track)) {
      const c = track.clips.findIndex((clip) => clip.id === itemId);
      if (c >= 0) return { trackIndex: t, itemIndex: c, track, kind: 'clip' };
    } else {
      const i = (track.items as Array<{ id: string }>).findIndex((item) => item.id === itemId);
      if (i >= 0) return { trackIndex: t, itemIndex: i, track, kind: track.kind };
    }
  }
  return undefined;
}

export function requireItem(doc: Timeline, itemId: string): ItemLocation {
  const loc = findItem(doc, itemId);
  if (!loc)
    throw cutroomError('EDIT_TARGET_NOT_FOUND', `no clip or layer "${itemId}" in the timeline`, {
      id: itemId,
    });
  return loc;
}

export function requireClip(doc: Timeline, clipId: string): ClipLocation {
  const loc = findItem(doc, clipId);
  if (!loc || loc.kind !== 'clip')
    throw cutroomError('EDIT_TARGET_NOT_FOUND', `no media clip "${clipId}" in the timeline`, { id: clipId });
  const track = loc.track as MediaTrack;
  return { trackIndex: loc.trackIndex, clipIndex: loc.itemIndex, track, clip: track.clips[loc.itemIndex]! };
}

export function requireTrack(doc: Timeline, trackId: string): { track: Track; trackIndex: number } {
  const trackIndex = doc.tracks.findIndex((t) => t.id === trackId);
  if (trackIndex < 0)
    throw cutroomError('EDIT_TARGET_NOT_FOUND', `no track "${trackId}" in the timeline`, { id: trackId });
  return { track: doc.tracks[trackIndex]!, trackIndex };
}

export function assertUnlocked(track: Track): void {
  if (track.locked)
    throw cutroomError('TRACK_LOCKED', `track "${track.id}" is locked`, { track_id: track.id });
}

export function notApplicable(reason: string, message: string, details: Record<string, unknown> = {}): never {
  throw cutroomError('EDIT_NOT_APPLICABLE', message, { reason, ...details });
}

/** Length of a clip on the timeline, from its own fields or the media info; a coded error when unknowable. */
export function clipLengthMs(clip: MediaClip, media: MediaLookup | undefined): number {
  const length = clipTimelineDurationMs(clip, media?.[clip.asset_id]?.duration_ms);
  if (length === undefined)
    notApplicable(
      'length_unknown',
      `the length of clip "${clip.id}" is unknown: it has no out_ms or duration_ms and no media info for asset "${clip.asset_id}"`,
      { clip_id: clip.id, asset_id: clip.asset_id },
    );
  return length;
}

export function replaceTrack(doc: Timeline, trackIndex: number, track: Track): Timeline {
  const tracks = doc.tracks.slice();
  tracks[trackIndex] = track;
  return { ...doc, tracks };
}

export function replaceClip(
  doc: Timeline,
  loc: { trackIndex: number; clipIndex: number },
  clip: MediaClip,
): Timeline {
  const track = doc.tracks[loc.trackIndex] as MediaTrack;
  const clips = track.clips.slice();
  clips[loc.clipIndex] = clip;
  return replaceTrack(doc, loc.trackIndex, { ...track, clips });
}

/** Every id used anywhere in the document: tracks, clips, layers, transitions, filters, markers. */
export function collectIds(doc: Timeline): Set<string> {
  const ids = new Set<string>();
  for (const track of doc.tracks) {
    ids.add(track.id);
    if (isMediaTrack(track)) {
      for (const clip of track.clips) {
        ids.add(clip.id);
        for (const f of clip.filters) if (f.id !== undefined) ids.add(f.id);
      }
      for (const tr of track.transitions) ids.add(tr.id);
    } else {
      for (const item of track.items) ids.add(item.id);
    }
  }
  for (const m of doc.markers ?? []) ids.add(m.id);
  return ids;
}

/**
 * A new id derived from `base` that is not in `taken` (and is then added to it): `base` itself when free, else
 * `base_2`, `base_3`, … Pure
 * and deterministic, so replaying the same edits gives the same ids.
 */
export function freshId(base: string, taken: Set<string>): string {
  const free = base.slice(0, 120);
  if (!taken.has(free)) {
    taken.add(free);
    return free;
  }
  const stem = base.replace(/_\d+$/, '').slice(0, 100);
  let n = 2;
  let candidate = `${stem}_${n}`;
  while (taken.has(candidate)) candidate = `${stem}_${++n}`;
  taken.add(candidate);
  return candidate;
}
