/**
 * An edit plan as a timeline: the kept spans of one asset butt-joined on one track (a video track when the
 * asset has picture, else an audio track), optionally with captions from the derived transcript.
 *
 * Joins: clip transitions are frame-based (xfade needs at least a frame, 33 ms at 30 fps), while a join inside a
 * word gap wants 10–20 ms. So each join gets a sub-frame audio crossfade as two clip fades meeting at the cut:
 * the outgoing clip fades out over crossfade_ms/2, the incoming one fades in over crossfade_ms/2. The cut sits
 * on the quietest point of a gap, where this dip is inaudible, and it removes the step in the waveform that
 * would click. The sequence meta records what was removed, why, and the time saved.
 */
import type { TimelineInput } from '../../timeline/index.js';
import type { EditPlan } from './edit-plan.js';

export const DEFAULT_CROSSFADE_MS = 20;

export interface EditTimelineInput {
  assetId: string;
  hasVideo: boolean;
  plan: EditPlan;
  crossfadeMs?: number;
  name: string;
  /** Provenance for the sequence meta (assist name, source artifacts, parameters). */
  meta: Record<string, unknown>;
  /** An asr_transcript artifact on the edited timeline's clock: adds a caption track. */
  captionsArtifactId?: string;
}

export function editTimeline(input: EditTimelineInput): TimelineInput {
  const { plan } = input;
  const half = Math.floor((input.crossfadeMs ?? DEFAULT_CROSSFADE_MS) / 2);
  const last = plan.kept.length - 1;
  const clips = plan.kept.map((k, i) => {
    const len = k.out_ms - k.in_ms;
    const fade = Math.min(half, Math.floor(len / 2));
    return {
      id: `keep_${String(i + 1).padStart(4, '0')}`,
      asset_id: input.assetId,
      start_ms: k.start_ms,
      in_ms: k.in_ms,
      out_ms: k.out_ms,
      ...(i > 0 && fade > 0 ? { audio_fade_in_ms: fade } : {}),
      ...(i < last && fade > 0 ? { audio_fade_out_ms: fade } : {}),
    };
  });
  return editDocument({
    plan,
    name: input.name,
    meta: input.meta,
    track: input.hasVideo ? { id: 'edit', kind: 'video', clips } : { id: 'edit', kind: 'audio', clips },
    captionsTrackId: 'captions',
    captionsArtifactId: input.captionsArtifactId,
  });
}

type TimelineTrackInput = NonNullable<TimelineInput['tracks']>[number];

/**
 * The edit's timeline document, shared by the single-asset and the sequence edit: the edited track, a caption
 * track when a transcript on the edit's clock is given, and the meta people read (durations, time saved, what
 * was removed and why). `clipsMeta` and `sourcesOf` add the sequence edit's mapping back to its source clips.
 */
export function editDocument(o: {
  plan: EditPlan;
  name: string;
  meta: Record<string, unknown>;
  track: TimelineTrackInput;
  captionsTrackId: string;
  captionsArtifactId?: string;
  clipsMeta?: unknown[];
  sourcesOf?: (range: { start_ms: number; end_ms: number }) => unknown;
}): TimelineInput {
  const { plan } = o;
  const tracks: TimelineTrackInput[] = [o.track];
  if (o.captionsArtifactId !== undefined)
    tracks.push({
      id: o.captionsTrackId,
      kind: 'caption',
      items: [{ id: 'captions_1', transcript_artifact_id: o.captionsArtifactId, start_ms: 0 }],
    });
  return {
    id: 'main',
    name: o.name,
    duration_ms: plan.output_duration_ms,
    tracks,
    meta: {
      ...o.meta,
      fps: plan.fps,
      source_duration_ms: plan.source_duration_ms,
      output_duration_ms: plan.output_duration_ms,
      time_saved_ms: plan.time_saved_ms,
      ...(o.clipsMeta ? { clips: o.clipsMeta } : {}),
      removed: plan.removed.map((r) => ({
        start_ms: r.start_ms,
        end_ms: r.end_ms,
        reason: r.reason,
        ...(o.sourcesOf ? { sources: o.sourcesOf({ start_ms: r.start_ms, end_ms: r.end_ms }) } : {}),
        ...(r.words ? { words: r.words } : {}),
        ...(r.pause ? { pause: r.pause } : {}),
      })),
    },
  };
}
