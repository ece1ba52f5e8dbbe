/**
 * Shot list from detected boundaries. Pure. Times come from the frames' own presentation timestamps (exact for
 * VFR sources); a shot ends where the next one starts, the last one a frame duration after its last frame.
 */
import type { ShotDetection } from './detect-shot-boundaries.js';
import type { Shot, ShotList } from './types.js';

export interface BuildShotListInput {
  detection: ShotDetection;
  /** Presentation time (ms) of every analysed frame, in order. */
  ptsMs: readonly number[];
  /** Duration of the last frame (ms), e.g. 1000 / fps. */
  lastFrameDurationMs: number;
}

export function buildShotList({ detection, ptsMs, lastFrameDurationMs }: BuildShotListInput): ShotList {
  const n = ptsMs.length;
  const shots: Shot[] = [];
  if (n > 0) {
    const starts = [
      { frame: 0, kind: detection.startsWithFade ? ('fade' as const) : null },
      ...detection.boundaries.filter((b) => b.frame > 0 && b.frame < n),
    ];
    const endMs = Math.round(ptsMs[n - 1]! + lastFrameDurationMs);
    starts.forEach((b, i) => {
      const next = starts[i + 1];
      const endFrame = next !== undefined ? next.frame - 1 : n - 1;
      shots.push({
        index: i,
        start_frame: b.frame,
        end_frame: endFrame,
        start_ms: Math.round(ptsMs[b.frame]!),
        end_ms: next !== undefined ? Math.round(ptsMs[next.frame]!) : endMs,
        transition_in: b.kind,
      });
    });
  }
  return { shots, cuts: detection.cuts, transitions: detection.transitions, frame_count: n };
}
