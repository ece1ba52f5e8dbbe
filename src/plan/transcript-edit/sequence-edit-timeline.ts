/**
 * An edit of a sequence as a timeline: the pieces of the speech track's clips (mapKeptToClips) on one track of
 * the same id and kind, each keeping its source clip's static look and level (volume, mute, opacity, fit,
 * transform, crop, filters, stabilise). Joins made by the edit get the same sub-frame audio crossfade as a
 * single-asset edit (edit-timeline.ts); a clip's own edge fades stay on the piece that keeps that edge. The
 * sequence meta records every removed range with the clip and source times it came from.
 */
import type { MediaClip, TimelineInput, Track } from '../../timeline/index.js';
import type { EditPlan } from './edit-plan.js';
import { DEFAULT_CROSSFADE_MS, editDocument } from './edit-timeline.js';
import { sourcesOfRange, type SequenceClipSource, type SequencePiece } from './sequence-source.js';

/** Clip fields that mean the same on any piece of the clip. */
const CARRIED = [
  'volume',
  'muted',
  'keep_source_audio',
  'opacity',
  'fit',
  'transform',
  'crop',
  'filters',
  'stabilise',
] as const;

export interface SequenceEditTimelineInput {
  plan: EditPlan;
  pieces: readonly SequencePiece[];
  clips: readonly SequenceClipSource[];
  /** The source sequence's speech track and its clips (parsed), by id. */
  track: Extract<Track, { kind: 'video' | 'overlay' | 'audio' }>;
  sourceClips: ReadonlyMap<string, MediaClip>;
  crossfadeMs?: number;
  name: string;
  meta: Record<string, unknown>;
  captionsArtifactId?: string;
}

export function sequenceEditTimeline(input: SequenceEditTimelineInput): TimelineInput {
  const { plan } = input;
  const half = Math.floor((input.crossfadeMs ?? DEFAULT_CROSSFADE_MS) / 2);
  const clips = input.pieces.map((p, i) => {
    const src = input.sourceClips.get(p.source_clip_id)!;
    const len = p.out_ms - p.in_ms;
    const cap = Math.floor(len / 2);
    const fadeIn = Math.min(cap, p.cut_before ? half : p.clip_start ? src.audio_fade_in_ms : 0);
    const fadeOut = Math.min(cap, p.cut_after ? half : p.clip_end ? src.audio_fade_out_ms : 0);
    const carried: Record<string, unknown> = {};
    for (const k of CARRIED) if (src[k] !== undefined) carried[k] = src[k];
    return {
      ...carried,
      id: `keep_${String(i + 1).padStart(4, '0')}`,
      asset_id: p.asset_id,
      start_ms: p.start_ms,
      in_ms: p.in_ms,
      out_ms: p.out_ms,
      ...(fadeIn > 0 ? { audio_fade_in_ms: fadeIn } : {}),
      ...(fadeOut > 0 ? { audio_fade_out_ms: fadeOut } : {}),
    };
  });
  const { clips: _clips, transitions: _transitions, ...trackProps } = input.track;
  return editDocument({
    plan,
    name: input.name,
    meta: input.meta,
    track: { ...trackProps, clips } as NonNullable<TimelineInput['tracks']>[number],
    captionsTrackId: input.track.id === 'captions' ? 'captions_edit' : 'captions',
    captionsArtifactId: input.captionsArtifactId,
    clipsMeta: input.pieces.map((p, i) => ({
      id: clips[i]!.id,
      source_clip_id: p.source_clip_id,
      asset_id: p.asset_id,
      in_ms: p.in_ms,
      out_ms: p.out_ms,
    })),
    sourcesOf: (range) => sourcesOfRange({ ...range, clips: input.clips }),
  });
}
