/** Highlight ranges of one asset as a timeline: the ranges butt-joined in time order on one video track. Pure. */
import type { TimelineInput } from '../../timeline/index.js';
import type { HighlightRange } from './plan-highlights.js';

export function highlightsTimeline(input: {
  assetId: string;
  ranges: HighlightRange[];
  name?: string;
}): TimelineInput {
  let t = 0;
  const clips = input.ranges.map((r, i) => {
    const clip = {
      id: `highlight_${String(i + 1).padStart(3, '0')}`,
      asset_id: input.assetId,
      start_ms: t,
      in_ms: r.start_ms,
      out_ms: r.end_ms,
    };
    t += r.end_ms - r.start_ms;
    return clip;
  });
  return {
    id: 'main',
    name: input.name ?? 'highlights',
    tracks: [{ id: 'highlights', kind: 'video', clips }],
  };
}
