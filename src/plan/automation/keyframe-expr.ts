/**
 * Keyframes -> one ffmpeg expression (libavutil/eval.c syntax) giving the animated value at time `t`.
 *
 * Shape: `v0 + Σ Δv_i · ease_i(clip((t - t_i) / w_i, 0, 1))`, one term per segment. Before the first keyframe
 * every term is 0 (value v0); after the last every term is complete (value v_last); inside segment i the terms
 * before it are complete and those after it are 0. Why a sum and not nested `if()`s: libavutil/eval.c refuses
 * expressions nested more than 100 levels (`stack_index`). A plain chain `a+b+c…` is not enough either: it
 * builds a left-nested tree and ffmpeg 5.1 fails with ENOMEM from about 99 terms (measured), so the terms are
 * summed in parenthesised groups of SUM_GROUP, recursively: depth grows with log(keyframes), not with their count.
 *
 * The result is a raw expression: callers escape it for the filtergraph (escapeFilterValue), because it contains
 * commas.
 */
import type { Keyframe } from '../../timeline/index.js';
import { formatNumber } from '../format.js';

export interface KeyframeExprOptions {
  keyframes: Keyframe[];
  /** The expression variable holding time in seconds: `t` (most filters), `T` (geq), `n`-based callers pass theirs. */
  timeVar: string;
  /**
   * Seconds to subtract from the time variable before lookup: keyframe t_ms are relative to the clip start,
   * while the stream's time may start elsewhere (e.g. a composite stream on timeline time).
   */
  offsetSeconds?: number;
}

/** Easing of a segment's progress p in [0, 1], as an expression of `p` (an expression string used once). */
function easeTerm(easing: Keyframe['easing'], p: string): string {
  switch (easing) {
    case 'linear':
      return p;
    case 'ease_in':
      return `pow(${p},2)`;
    case 'ease_out':
      return `(1-pow(1-${p},2))`;
    case 'ease_in_out':
      // Cosine ease: smooth at both ends, and p appears once (no repeated sub-expression).
      return `(0.5-0.5*cos(PI*${p}))`;
    case 'hold':
      throw new Error('hold segments are steps, built by the caller');
  }
}

export function keyframeExpr(options: KeyframeExprOptions): string {
  const { keyframes, timeVar } = options;
  if (keyframes.length === 0) throw new Error('keyframeExpr needs at least one keyframe');
  const sorted = [...keyframes].sort((a, b) => a.t_ms - b.t_ms);
  const offset = options.offsetSeconds ?? 0;
  const time =
    offset === 0
      ? timeVar
      : offset > 0
        ? `(${timeVar}-${formatNumber(offset)})`
        : `(${timeVar}+${formatNumber(-offset)})`;

  const terms: string[] = [formatNumber(sorted[0]!.value)];
  for (let i = 0; i + 1 < sorted.length; i++) {
    const a = sorted[i]!;
    const b = sorted[i + 1]!;
    const delta = b.value - a.value;
    if (delta === 0) continue;
    const widthMs = b.t_ms - a.t_ms;
    let term: string;
    if (widthMs <= 0 || a.easing === 'hold') {
      // A step exactly at the next keyframe (compared on time, not on progress, so no rounding can delay it).
      term = `gte(${time},${formatNumber(b.t_ms / 1000)})`;
    } else {
      const p = `clip((${time}-${formatNumber(a.t_ms / 1000)})/${formatNumber(widthMs / 1000)},0,1)`;
      term = easeTerm(a.easing, p);
    }
    terms.push(`${formatNumber(delta)}*${term}`);
  }
  return sumTree(terms);
}

const SUM_GROUP = 16;

function sumTree(terms: string[]): string {
  const joined = (group: string[]): string => group.join('+').replace(/\+-/g, '-');
  if (terms.length <= SUM_GROUP) return joined(terms);
  const groups: string[] = [];
  for (let i = 0; i < terms.length; i += SUM_GROUP) groups.push(`(${joined(terms.slice(i, i + SUM_GROUP))})`);
  return sumTree(groups);
}
