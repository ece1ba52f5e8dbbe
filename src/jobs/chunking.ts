/**
 * Split a render into chunks at exact frame boundaries. Chunk k covers frames [start_frame, end_frame) of the
 * output grid; its ms range is derived from the frame numbers (`round(frame · 1000 / fps)`), and the planner maps
 * a range back with `round(ms · fps / 1000)`, which returns the same frame for any fps below 1000 — so adjacent
 * chunks share their boundary frame exactly and the joined output has exactly the unchunked frame count.
 *
 * Boundaries prefer cut points between clips (a chunk that starts on a cut needs no pre-roll of the previous
 * clip's decoder and hides any encoder restart at a natural picture change) when one lies within ±tolerance of
 * the ideal boundary.
 */
import { cutroomError } from '../errors.js';

export interface Fps {
  num: number;
  den: number;
}

export interface RenderChunk {
  index: number;
  start_frame: number;
  /** Exclusive. */
  end_frame: number;
  frame_count: number;
  start_ms: number;
  duration_ms: number;
}

export interface PlanChunksInput {
  /** Timeline (or range) duration, integer ms. */
  durationMs: number;
  fps: Fps;
  /** Wanted chunk length, ms (> 0). */
  targetChunkMs: number;
  /** Times (ms, timeline time) where one clip ends and the next begins; any order, duplicates allowed. */
  cutTimesMs?: readonly number[];
  /** Fraction of the ideal chunk length a boundary may move to land on a cut. Default 0.25 (±25 %). */
  tolerance?: number;
}

/** Frame index of a time on the grid (same rounding as the planner's frameAt). */
export function frameAtMs(fps: Fps, ms: number): number {
  return Math.round((ms * fps.num) / (1000 * fps.den));
}

/** Integer ms at the start of a frame. */
export function msAtFrameRounded(fps: Fps, frame: number): number {
  return Math.round((frame * 1000 * fps.den) / fps.num);
}

export function planChunks({
  durationMs,
  fps,
  targetChunkMs,
  cutTimesMs = [],
  tolerance = 0.25,
}: PlanChunksInput): RenderChunk[] {
  const issues: Array<{ path: string; message: string }> = [];
  if (!Number.isSafeInteger(durationMs) || durationMs <= 0)
    issues.push({ path: 'durationMs', message: 'must be a positive integer' });
  if (!Number.isSafeInteger(fps.num) || !Number.isSafeInteger(fps.den) || fps.num <= 0 || fps.den <= 0)
    issues.push({ path: 'fps', message: 'num and den must be positive integers' });
  else if (fps.num / fps.den >= 1000) issues.push({ path: 'fps', message: 'must be below 1000' });
  if (!Number.isFinite(targetChunkMs) || targetChunkMs <= 0)
    issues.push({ path: 'targetChunkMs', message: 'must be > 0' });
  if (!Number.isFinite(tolerance) || tolerance < 0 || tolerance >= 0.5)
    issues.push({ path: 'tolerance', message: 'must be in [0, 0.5)' });
  if (issues.length > 0)
    throw cutroomError(
      'INVALID_PARAM',
      `cannot plan chunks: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`,
      {
        issues,
      },
    );

  const totalFrames = frameAtMs(fps, durationMs);
  if (totalFrames <= 0)
    throw cutroomError('INVALID_PARAM', `${durationMs} ms holds no frame at ${fps.num}/${fps.den} fps`, {
      issues: [{ path: 'durationMs', message: 'shorter than half a frame' }],
    });
  const targetFrames = Math.max(1, frameAtMs(fps, targetChunkMs));
  const count = Math.max(1, Math.min(totalFrames, Math.round(totalFrames / targetFrames)));
  const ideal = totalFrames / count;
  const window = tolerance * ideal;
  const cuts = [...new Set(cutTimesMs.map((t) => frameAtMs(fps, t)))]
    .filter((f) => f > 0 && f < totalFrames)
    .sort((a, b) => a - b);

  const bounds = [0];
  for (let k = 1; k < count; k++) {
    const prev = bounds[bounds.length - 1]!;
    const target = Math.round(k * ideal);
    let best = target;
    let bestDist = Infinity;
    for (const c of cuts) {
      const dist = Math.abs(c - target);
      // Nearest cut wins; on a tie the earlier one (deterministic).
      if (dist <= window && dist < bestDist && c > prev) {
        best = c;
        bestDist = dist;
      }
    }
    if (best <= prev) best = prev + 1;
    if (best >= totalFrames) break;
    bounds.push(best);
  }
  bounds.push(totalFrames);

  const chunks: RenderChunk[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const start = bounds[i]!;
    const end = bounds[i + 1]!;
    const startMs = msAtFrameRounded(fps, start);
    chunks.push({
      index: i,
      start_frame: start,
      end_frame: end,
      frame_count: end - start,
      start_ms: startMs,
      duration_ms: msAtFrameRounded(fps, end) - startMs,
    });
  }
  return chunks;
}
