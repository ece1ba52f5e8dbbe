/**
 * An auto-cut plan as a renderable timeline: one video track of camera clips (muted: the programme sound is
 * one continuous reference recording, so cuts never chop the audio) and one audio track with the reference
 * camera's sound over the whole span. In points go through the alignment offsets. Pure.
 */
import type { TimelineInput } from '../../timeline/index.js';
import type { AutoCutPlan } from './plan-auto-cut.js';

export interface AutoCutTimelineInput {
  plan: AutoCutPlan;
  /** The camera whose sound is used, with its offset. */
  audio: { asset_id: string; offset_ms: number };
  offsets_ms: Record<string, number>;
  alignment_artifact_id?: string;
  scoring: Record<string, unknown>;
  name?: string;
}

export function autoCutTimeline(input: AutoCutTimelineInput): TimelineInput {
  const { plan, audio } = input;
  const pad = (i: number) => String(i + 1).padStart(3, '0');
  const audioIn = plan.common_start_ms - audio.offset_ms;
  return {
    id: 'main',
    name: input.name ?? 'auto-cut',
    fit: 'fit',
    duration_ms: plan.duration_ms,
    tracks: [
      {
        id: 'cameras',
        kind: 'video',
        clips: plan.shots.map((s, i) => ({
          id: `shot_${pad(i)}`,
          asset_id: s.asset_id,
          start_ms: s.start_ms,
          in_ms: s.in_ms,
          out_ms: s.in_ms + (s.end_ms - s.start_ms),
          muted: true,
        })),
      },
      {
        id: 'programme_audio',
        kind: 'audio',
        clips:
          plan.duration_ms > 0
            ? [
                {
                  id: 'reference_audio',
                  asset_id: audio.asset_id,
                  start_ms: 0,
                  in_ms: audioIn,
                  out_ms: audioIn + plan.duration_ms,
                },
              ]
            : [],
      },
    ],
    multicam: {
      ...(input.alignment_artifact_id ? { alignment_artifact_id: input.alignment_artifact_id } : {}),
      offsets_ms: input.offsets_ms,
      scoring: input.scoring,
    },
  };
}
