/**
 * A reframed timeline: the asset on a canvas of the target aspect, moved by the focus keyframes. A clip holds at
 * most MAX_KEYFRAMES_PER_CLIP keyframes (the timeline allows 1000 per automation, and every keyframe is a term
 * of the ffmpeg expression evaluated per frame), so a long tracked recording becomes several butt-joined clips;
 * each chunk also ends with the next chunk's first keyframe, so the motion runs on across the join.
 */
import type { TimelineInput } from '../../timeline/index.js';
import { focusClipFields } from './focus-clip.js';
import type { FocusPlan } from './plan-focus.js';

export const MAX_KEYFRAMES_PER_CLIP = 500;

export function focusTimeline(input: {
  assetId: string;
  plan: FocusPlan;
  canvas: { width: number; height: number };
  durationMs: number;
}): TimelineInput {
  const { plan, durationMs } = input;
  const kfs = plan.keyframes.filter((k) => k.t_ms < durationMs);
  const starts: number[] = [0];
  for (let i = MAX_KEYFRAMES_PER_CLIP - 1; i < kfs.length; i += MAX_KEYFRAMES_PER_CLIP - 1) starts.push(i);
  const clips = starts.map((first, c) => {
    const next = starts[c + 1];
    const start = c === 0 ? 0 : kfs[first]!.t_ms;
    const end = next === undefined ? durationMs : kfs[next]!.t_ms;
    const chunk = kfs
      .slice(first, next === undefined ? undefined : next + 1)
      .map((k) => ({ ...k, t_ms: k.t_ms - start }));
    return {
      id: starts.length === 1 ? 'source' : `source_${String(c + 1).padStart(3, '0')}`,
      asset_id: input.assetId,
      start_ms: start,
      in_ms: start,
      out_ms: end,
      ...focusClipFields({
        plan: { ...plan, keyframes: chunk.length > 0 ? chunk : kfs.slice(0, 1) },
        canvas: input.canvas,
      }),
    };
  });
  return { id: 'main', name: 'reframe', tracks: [{ id: 'reframed', kind: 'video', clips }] };
}
