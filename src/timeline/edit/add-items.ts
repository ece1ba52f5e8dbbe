/**
 * Add media clips, text layers, caption tracks and tracks. Inputs are parsed with the document's own schemas, so
 * defaults are filled exactly as a hand-written document would get them and bad values come back as
 * VALIDATION_FAILED with their path inside the document.
 */
import type { z } from 'zod';
import {
  CaptionLayerSchema,
  CaptionTrackSchema,
  MediaClipSchema,
  TextLayerSchema,
  TrackSchema,
  type Timeline,
  type Track,
} from '../schema.js';
import {
  assertUnlocked,
  collectIds,
  freshId,
  isMediaTrack,
  notApplicable,
  requireTrack,
} from './doc-access.js';
import { assertNoOverlap } from './overlap.js';
import { parsePart } from './parse-part.js';
import type { MediaLookup } from './types.js';

type WithOptionalId<T> = Omit<T, 'id'> & { id?: string };

export interface AddTrackArgs {
  kind: Track['kind'];
  id?: string;
  name?: string;
  /** Position from the bottom (0); default on top. */
  index?: number;
}

export function addTrack(doc: Timeline, args: AddTrackArgs): { doc: Timeline; track_id: string } {
  const taken = collectIds(doc);
  if (args.id !== undefined && taken.has(args.id))
    notApplicable('id_taken', `id "${args.id}" is already used`, { id: args.id });
  const id = args.id ?? freshId(args.kind, taken);
  const track = parsePart(
    TrackSchema,
    { id, kind: args.kind, ...(args.name !== undefined ? { name: args.name } : {}) },
    ['tracks', doc.tracks.length],
  );
  const tracks = doc.tracks.slice();
  tracks.splice(Math.max(0, Math.min(args.index ?? tracks.length, tracks.length)), 0, track);
  return { doc: { ...doc, tracks }, track_id: id };
}

export function removeTrack(doc: Timeline, args: { track_id: string }): { doc: Timeline } {
  const { track, trackIndex } = requireTrack(doc, args.track_id);
  assertUnlocked(track);
  return { doc: { ...doc, tracks: doc.tracks.filter((_, i) => i !== trackIndex) } };
}

export interface AddClipArgs {
  track_id: string;
  clip: WithOptionalId<z.input<typeof MediaClipSchema>>;
  media?: MediaLookup;
}

/** Drop a media clip on a track (id defaults to the asset id, made unique). Refused when it would overlap. */
export function addClip(doc: Timeline, args: AddClipArgs): { doc: Timeline; clip_id: string } {
  const { track, trackIndex } = requireTrack(doc, args.track_id);
  assertUnlocked(track);
  if (!isMediaTrack(track))
    notApplicable('incompatible_track', `track "${track.id}" is a ${track.kind} track, not a media track`);
  const kind = args.media?.[args.clip.asset_id]?.kind;
  if (kind === 'audio' && track.kind !== 'audio')
    notApplicable(
      'incompatible_track',
      `asset "${args.clip.asset_id}" has no picture and cannot go on ${track.kind} track "${track.id}"`,
    );
  if ((kind === 'image' || kind === 'font') && track.kind === 'audio')
    notApplicable(
      'incompatible_track',
      `asset "${args.clip.asset_id}" has no sound and cannot go on audio track "${track.id}"`,
    );
  const taken = collectIds(doc);
  if (args.clip.id !== undefined && taken.has(args.clip.id))
    notApplicable('id_taken', `id "${args.clip.id}" is already used`, { id: args.clip.id });
  const id = args.clip.id ?? freshId(`clip_${args.clip.asset_id}`, taken);
  const clip = parsePart(MediaClipSchema, { ...args.clip, id }, [
    'tracks',
    trackIndex,
    'clips',
    track.clips.length,
  ]);
  const next = { ...track, clips: [...track.clips, clip] };
  assertNoOverlap(next, args.media, new Set([id]));
  const tracks = doc.tracks.slice();
  tracks[trackIndex] = next;
  return { doc: { ...doc, tracks }, clip_id: id };
}

export interface AddTextLayerArgs {
  layer: WithOptionalId<z.input<typeof TextLayerSchema>>;
  /** A text track; default the topmost text track, or a new one on top when there is none. */
  track_id?: string;
}

export function addTextLayer(
  doc: Timeline,
  args: AddTextLayerArgs,
): { doc: Timeline; layer_id: string; track_id: string } {
  let working = doc;
  let trackId = args.track_id;
  if (trackId === undefined) {
    const existing = [...doc.tracks].reverse().find((t) => t.kind === 'text');
    trackId = existing?.id ?? (working = addTrack(doc, { kind: 'text' }).doc).tracks.at(-1)!.id;
  }
  const { track, trackIndex } = requireTrack(working, trackId);
  assertUnlocked(track);
  if (track.kind !== 'text')
    notApplicable('incompatible_track', `track "${track.id}" is a ${track.kind} track, not a text track`);
  const taken = collectIds(working);
  if (args.layer.id !== undefined && taken.has(args.layer.id))
    notApplicable('id_taken', `id "${args.layer.id}" is already used`, { id: args.layer.id });
  const id = args.layer.id ?? freshId('text', taken);
  const layer = parsePart(TextLayerSchema, { ...args.layer, id }, [
    'tracks',
    trackIndex,
    'items',
    track.items.length,
  ]);
  const tracks = working.tracks.slice();
  tracks[trackIndex] = { ...track, items: [...track.items, layer] };
  return { doc: { ...working, tracks }, layer_id: id, track_id: track.id };
}

export interface AddCaptionTrackArgs {
  caption: WithOptionalId<z.input<typeof CaptionLayerSchema>>;
  track_id?: string;
  name?: string;
}

/** A new caption track on top holding one caption layer (an asr_transcript artifact placed on the timeline). */
export function addCaptionTrack(
  doc: Timeline,
  args: AddCaptionTrackArgs,
): { doc: Timeline; track_id: string; layer_id: string } {
  const taken = collectIds(doc);
  for (const id of [args.track_id, args.caption.id])
    if (id !== undefined && taken.has(id)) notApplicable('id_taken', `id "${id}" is already used`, { id });
  const trackId = args.track_id ?? freshId('captions', taken);
  const layerId = args.caption.id ?? freshId(`cap_${args.caption.transcript_artifact_id}`, taken);
  const track = parsePart(
    CaptionTrackSchema,
    {
      id: trackId,
      kind: 'caption',
      ...(args.name !== undefined ? { name: args.name } : {}),
      items: [{ ...args.caption, id: layerId }],
    },
    ['tracks', doc.tracks.length],
  );
  return { doc: { ...doc, tracks: [...doc.tracks, track] }, track_id: trackId, layer_id: layerId };
}
