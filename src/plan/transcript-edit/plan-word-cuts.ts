/**
 * Cut words out of a recording: each removed run of words [a, b] becomes one removed source range from a cut in
 * the gap before word a to a cut in the gap after word b, each on the quietest point of its gap snapped to the
 * frame grid (edit-grid.ts). A run at the start or end of the transcript extends to the start or end of the
 * recording. Runs of user ranges and fillers that touch are merged; user ranges may not overlap each other
 * (that is almost always a client bug, so it is refused, naming both ranges).
 */
import { cutroomError } from '../../errors.js';
import type { Rational } from '../../timeline/index.js';
import type { TranscriptWord } from '../captions/transcript.js';
import { cutFrameInGap, framesIn, type LevelEnvelope } from './edit-grid.js';
import { finishEditPlan, type EditPlan, type RemovalDraft } from './edit-plan.js';

export interface WordRange {
  /** First and last word index (inclusive), in transcriptWords() order. */
  start: number;
  end: number;
}

export interface PlanWordCutsInput {
  words: readonly TranscriptWord[];
  durationMs: number;
  fps: Rational;
  /** Ranges the user asked to remove; errors name them as `${rangesPath}[i]`. */
  ranges: readonly WordRange[];
  rangesPath?: string;
  /** Filler word indexes to remove as well (findFillers). */
  fillers?: readonly number[];
  envelope?: LevelEnvelope;
}

export interface PlanWordCutsResult {
  plan: EditPlan;
  /** Cuts that could not sit in a gap (words with no gap a frame long between them): the kept word stays whole. */
  tight_cuts: number;
}

interface Run {
  start: number;
  end: number;
  user: boolean;
}

function checkRanges(ranges: readonly WordRange[], count: number, path: string): void {
  const issues: Array<{ path: string; message: string }> = [];
  ranges.forEach((r, i) => {
    for (const key of ['start', 'end'] as const) {
      const v = r[key];
      if (!Number.isInteger(v) || v < 0 || v >= count)
        issues.push({
          path: `${path}[${i}].${key}`,
          message: `unknown word index ${v}: the transcript has words 0..${count - 1}`,
        });
    }
    if (Number.isInteger(r.start) && Number.isInteger(r.end) && r.end < r.start)
      issues.push({ path: `${path}[${i}].end`, message: `must be ≥ start (${r.start})` });
  });
  if (issues.length === 0) {
    const order = ranges.map((r, i) => ({ ...r, i })).sort((a, b) => a.start - b.start || a.end - b.end);
    for (let k = 1; k < order.length; k++) {
      const prev = order[k - 1]!;
      const cur = order[k]!;
      if (cur.start <= prev.end)
        issues.push({
          path: `${path}[${cur.i}]`,
          message: `overlaps ${path}[${prev.i}] (words ${prev.start}..${prev.end}); give each word once`,
        });
    }
  }
  if (issues.length > 0)
    throw cutroomError(
      'TRANSCRIPT_EDIT_INVALID',
      `the word ranges are invalid: ${issues
        .slice(0, 3)
        .map((x) => `${x.path}: ${x.message}`)
        .join('; ')}${issues.length > 3 ? ` (and ${issues.length - 3} more)` : ''}`,
      { issues },
    );
}

export function planWordCuts(input: PlanWordCutsInput): PlanWordCutsResult {
  const { words, fps } = input;
  const path = input.rangesPath ?? 'remove';
  checkRanges(input.ranges, words.length, path);
  const runs: Run[] = [
    ...input.ranges.map((r) => ({ start: r.start, end: r.end, user: true })),
    ...(input.fillers ?? []).map((k) => ({ start: k, end: k, user: false })),
  ].sort((a, b) => a.start - b.start || a.end - b.end);
  const merged: Run[] = [];
  for (const r of runs) {
    const last = merged[merged.length - 1];
    if (last && r.start <= last.end + 1) {
      last.end = Math.max(last.end, r.end);
      last.user ||= r.user;
    } else merged.push({ ...r });
  }

  const sourceFrames = framesIn(fps, input.durationMs);
  const env = input.envelope ? { envelope: input.envelope } : {};
  let tight = 0;
  const removals: RemovalDraft[] = merged.map((run) => {
    const first = words[run.start]!;
    const last = words[run.end]!;
    const before = run.start > 0 ? words[run.start - 1]! : undefined;
    const after = run.end < words.length - 1 ? words[run.end + 1]! : undefined;
    let f0 = 0;
    if (before) {
      const c = cutFrameInGap({ fps, lo: before.end_ms, hi: Math.max(before.end_ms, first.start_ms), keep: 'before', ...env });
      if (!c.inside) tight++;
      f0 = c.frame;
    }
    let f1 = sourceFrames;
    if (after) {
      const c = cutFrameInGap({ fps, lo: Math.min(last.end_ms, after.start_ms), hi: after.start_ms, keep: 'after', ...env });
      if (!c.inside) tight++;
      f1 = c.frame;
    }
    return {
      start_frame: f0,
      end_frame: Math.max(f0, f1),
      reason: run.user ? 'words' : 'filler',
      words: {
        start: run.start,
        end: run.end,
        text: words
          .slice(run.start, run.end + 1)
          .map((w) => w.word)
          .join(' '),
      },
    };
  });
  return {
    plan: finishEditPlan({ fps, durationMs: input.durationMs, sourceFrames, removals, path }),
    tight_cuts: tight,
  };
}
