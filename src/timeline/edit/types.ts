/**
 * Shared types of the pure edit operations. Every op is `(doc, args) -> {doc, ...}` or throws a coded
 * CutroomError; none mutates its input (unchanged branches are shared, changed ones copied), and the same
 * input always gives the same output bytes (new ids come from `freshId`, never from a clock or a random source).
 */
import type {
  AudioTrack,
  CaptionTrack,
  MediaClip,
  TextLayer,
  TextTrack,
  Timeline,
  VideoTrack,
} from '../schema.js';

/**
 * What the ops may know about a source without probing: its duration (to clamp trims and to measure clips that
 * have no out_ms) and its kind (an audio-only asset cannot go on a video track). Keyed by asset id; a subset
 * of MediaInfo, so `asset.media` from GET /media-v2/assets can be passed as is.
 */
export interface EditMediaInfo {
  duration_ms: number;
  kind?: 'video' | 'audio' | 'image' | 'font';
}
export type MediaLookup = Readonly<Record<string, EditMediaInfo | undefined>>;

export type MediaTrack = VideoTrack | AudioTrack;
export type ItemTrack = TextTrack | CaptionTrack;

/** The result of every op: the new document plus what the op did that the caller might want to show. */
export interface EditResult {
  doc: Timeline;
  /** Transitions the op removed because their cut no longer exists (clips moved apart, deleted, trimmed). */
  removed_transitions: string[];
}

export type { MediaClip, TextLayer };
