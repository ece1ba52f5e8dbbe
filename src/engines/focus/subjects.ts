/**
 * The subject path the reframe follows: the active speaker's face from a region summary (the largest face,
 * sticking to the current track unless another is clearly larger, so the crop does not flip between two people
 * of similar size), else the visual-meta subject centre. Pure.
 */
import type { RegionSummary } from '../regions/index.js';
import type { VisualMeta } from '../visual-meta/index.js';
import type { SubjectSample } from './plan-focus.js';

export function faceSubjects(summary: RegionSummary): SubjectSample[] {
  const out: SubjectSample[] = [];
  let current: string | undefined;
  for (const s of [...summary.samples].sort((a, b) => a.t_ms - b.t_ms)) {
    if (s.faces.length === 0) continue;
    const area = (f: (typeof s.faces)[number]) => f.box.w * f.box.h;
    let best = s.faces[0]!;
    for (const f of s.faces)
      if (area(f) > area(best) || (area(f) === area(best) && f.track_id < best.track_id)) best = f;
    const kept = s.faces.find((f) => f.track_id === current);
    const chosen = kept && area(kept) >= 0.6 * area(best) ? kept : best;
    current = chosen.track_id;
    out.push({ t_ms: s.t_ms, x: chosen.box.x + chosen.box.w / 2, y: chosen.box.y + chosen.box.h / 2 });
  }
  return out;
}

export function visualSubjects(visual: VisualMeta): SubjectSample[] {
  return visual.samples.map((s) => ({
    t_ms: s.t_ms,
    x: s.primary_subject_center_x,
    y: s.primary_subject_center_y,
  }));
}
