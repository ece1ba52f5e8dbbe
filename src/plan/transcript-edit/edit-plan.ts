/**
 * What every edit by transcript or by pauses produces: the source frames removed (with why) and the frames kept,
 * placed butt-joined on the timeline. Pure; shared by the word-cut and silence-removal planners.
 */
import { cutroomError } from '../../errors.js';
import type { Rational } from '../../timeline/index.js';
import { msOfFrame } from './edit-grid.js';

export type RemovalReason = 'words' | 'filler' | 'silence';

/** A removed source range [start_frame, end_frame), with ms for people. */
export interface RemovedRange {
  start_frame: number;
  end_frame: number;
  start_ms: number;
  end_ms: number;
  reason: RemovalReason;
  /** Word index range (inclusive) and its text, for word and filler removals. */
  words?: { start: number; end: number; text: string };
  /** For silence removal: the whole pause the range was cut from. */
  pause?: { start_ms: number; end_ms: number };
}

/** Source frames [in_frame, out_frame) placed at timeline frame start_frame. */
export interface KeptSpan {
  in_frame: number;
  out_frame: number;
  start_frame: number;
  in_ms: number;
  out_ms: number;
  start_ms: number;
}

export interface EditPlan {
  fps: Rational;
  source_duration_ms: number;
  source_frames: number;
  kept: KeptSpan[];
  removed: RemovedRange[];
  output_duration_ms: number;
  time_saved_ms: number;
}

export type RemovalDraft = Omit<RemovedRange, 'start_ms' | 'end_ms'>;

/**
 * Removed frame ranges (sorted, non-overlapping after clamping) -> the plan. EDIT_REMOVES_EVERYTHING when no
 * frame is left.
 */
export function finishEditPlan(input: {
  fps: Rational;
  durationMs: number;
  sourceFrames: number;
  removals: RemovalDraft[];
  /** Request field named when nothing is left (default `remove`). */
  path?: string;
}): EditPlan {
  const { fps, sourceFrames } = input;
  const removed: RemovedRange[] = [];
  const sorted = [...input.removals].sort((a, b) => a.start_frame - b.start_frame || a.end_frame - b.end_frame);
  for (const r of sorted) {
    const f0 = Math.max(0, r.start_frame, removed[removed.length - 1]?.end_frame ?? 0);
    const f1 = Math.min(sourceFrames, r.end_frame);
    if (f1 <= f0) continue;
    removed.push({ ...r, start_frame: f0, end_frame: f1, start_ms: msOfFrame(fps, f0), end_ms: msOfFrame(fps, f1) });
  }
  const kept: KeptSpan[] = [];
  let cursor = 0;
  let placed = 0;
  const keep = (f0: number, f1: number) => {
    if (f1 <= f0) return;
    // The timeline is in ms: a span's length in ms is taken from its PLACED frames, so each clip ends exactly
    // where the next one starts (rounding the source frames instead can make them overlap by 1 ms).
    const start = msOfFrame(fps, placed);
    const inMs = msOfFrame(fps, f0);
    kept.push({
      in_frame: f0,
      out_frame: f1,
      start_frame: placed,
      in_ms: inMs,
      out_ms: inMs + msOfFrame(fps, placed + f1 - f0) - start,
      start_ms: start,
    });
    placed += f1 - f0;
  };
  for (const r of removed) {
    keep(cursor, r.start_frame);
    cursor = r.end_frame;
  }
  keep(cursor, sourceFrames);
  if (placed === 0)
    throw cutroomError('EDIT_REMOVES_EVERYTHING', 'the edit removes the whole recording; nothing is left to render', {
      issues: [{ path: input.path ?? 'remove', message: 'leaves no frame of the source' }],
      removed_count: removed.length,
    });
  const output = msOfFrame(fps, placed);
  return {
    fps: { ...fps },
    source_duration_ms: input.durationMs,
    source_frames: sourceFrames,
    kept,
    removed,
    output_duration_ms: output,
    time_saved_ms: msOfFrame(fps, sourceFrames) - output,
  };
}
