/**
 * Shot boundaries from the per-frame feature series. Pure and deterministic: same series → same result.
 *
 * Hard cuts: an adaptive threshold in the spirit of PySceneDetect's AdaptiveDetector — a frame's content score
 * (motion-compensated, so pans score low) divided by the mean score of its `windowFrames` neighbours on each
 * side must reach `adaptiveThreshold`, and the score itself `minContentScore`; cuts closer than
 * `minSceneLenFrames` to the previous one are dropped. A candidate whose content comes back within two frames
 * (frame i-1 ≈ frame i+1 or i+2, or frame i ≈ i-2 or i-3) is a transient — a flash, a glitch — not a cut.
 *
 * Fades: a run of black frames (dark AND flat) with a monotone luma ramp into and/or out of it.
 * Dissolves: a run of frames whose change stays well above the shot's baseline (twin-comparison idea, Zhang et
 * al. 1993) whose middle frame is close to the average of the frames before and after the run — a blend, which
 * object motion through a static shot is not.
 * Wipes: a moving front (detect-wipes.ts), looked for before the other gradual transitions; the cuts a wipe covers
 * (a frame of a fast wipe can score like a cut) are dropped.
 */
import { detectGradualTransitions } from './detect-gradual-transitions.js';
import { detectWipes } from './detect-wipes.js';
import { SIG_H, SIG_W, type GradualTransition, type TransitionKind } from './types.js';

/** The subset of FrameFeatures the detector reads (keeps it testable with hand-made series). */
export interface ShotFeature {
  luma: number;
  luma_std: number;
  score: number;
  diff_y: number;
  diff_y2: number;
  diff_y3: number;
  /** Block residual after local motion, static camera only (-1 or absent: not measured). */
  local_residual?: number;
  sig: Uint8Array;
  /** Finer luma grid (FINE_W×FINE_H) for wipes; absent: the wipe detector follows the front on `sig`. */
  fine?: Uint8Array;
}

export interface ShotDetectionOptions {
  adaptiveThreshold?: number;
  minContentScore?: number;
  windowFrames?: number;
  minSceneLenFrames?: number;
  /** Luma (0..255) below which, with a flat picture, a frame counts as black. */
  blackLuma?: number;
  /** Dissolve runs shorter/longer than this (frames) are ignored. */
  minDissolveFrames?: number;
  maxDissolveFrames?: number;
}

export interface ShotBoundary {
  /** First frame of the new shot. */
  frame: number;
  kind: 'cut' | TransitionKind;
}

export interface ShotDetection {
  cuts: number[];
  transitions: GradualTransition[];
  /** Sorted, one per shot change; fades/dissolves at the video's edges have none. */
  boundaries: ShotBoundary[];
  /** Fade-in from black at the very start (the first shot's transition_in). */
  startsWithFade: boolean;
}

export const SHOT_DETECTION_DEFAULTS = {
  adaptiveThreshold: 3,
  minContentScore: 15,
  windowFrames: 2,
  minSceneLenFrames: 10,
  blackLuma: 20,
  minDissolveFrames: 4,
  maxDissolveFrames: 90,
} as const satisfies Required<ShotDetectionOptions>;

/** A transient returns to the earlier content: the later comparison is this fraction of the jump, or less. */
const TRANSIENT_RATIO = 0.35;
const BLACK_MAX_STD = 12;
/** Jump cuts in a static shot: the score floor, the neighbourhood and how much quieter it must be. */
const JUMP_MIN_SCORE = 4;
const JUMP_WINDOW = 8;
const JUMP_RATIO = 2.5;
/**
 * Jump cuts by the block residual after local motion (static camera): natural motion is explained by each
 * block's own small shift, so its residual stays low even on frames whose plain score is close to a jump's.
 * A frame whose residual is LOCAL_JUMP_RATIO times every neighbour's within JUMP_WINDOW (cuts left out), with at
 * least LOCAL_JUMP_MIN, is a jump; a much smaller change counts when it stands out LOCAL_JUMP_RATIO_SMALL times.
 */
const LOCAL_JUMP_MIN_SCORE = 3;
const LOCAL_JUMP_MIN = 1;
const LOCAL_JUMP_RATIO = 1.8;
const LOCAL_JUMP_MIN_SMALL = 0.5;
const LOCAL_JUMP_RATIO_SMALL = 5;
/** A cut frame carrying at least this share of the change over frames k-2 … k+1 is a whole-picture switch. */
const WIPE_STEP_SHARE = 0.6;
/** Luma step (0..255) a ramp frame must exceed to count as part of a fade. */
const RAMP_STEP = 0.25;
const MIN_RAMP_FRAMES = 3;
const MIN_RAMP_DEPTH = 20;
/** A ramp frame at least this much darker than its brighter neighbour belongs to the fade (fades ≤ ~30 frames). */
const FADE_STEP_RATIO = 0.97;

export function sigDistance(a: Uint8Array, b: Uint8Array): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += Math.abs(a[k]! - b[k]!);
  return s / (SIG_W * SIG_H);
}

export function detectShotBoundaries({
  frames,
  options = {},
}: {
  frames: readonly ShotFeature[];
  options?: ShotDetectionOptions;
}): ShotDetection {
  const o = { ...SHOT_DETECTION_DEFAULTS, ...options };
  const n = frames.length;
  const f = (i: number): ShotFeature => frames[i]!;

  // --- fades -------------------------------------------------------------------------------------------------
  const isBlack = (i: number) => f(i).luma < o.blackLuma && f(i).luma_std < BLACK_MAX_STD;
  const transitions: GradualTransition[] = [];
  const boundaries: ShotBoundary[] = [];
  /** Frames covered by a gradual transition, plus the boundary frame after it: no cut may land there. */
  const covered = new Uint8Array(n + 1);
  let startsWithFade = false;
  for (let i = 0; i < n;) {
    if (!isBlack(i)) {
      i++;
      continue;
    }
    const b0 = i;
    while (i < n && isBlack(i)) i++;
    const b1 = i - 1;
    let top = b0;
    while (top - 1 >= 0 && f(top - 1).luma > f(top).luma + RAMP_STEP) top--;
    const outRamp = b0 - top >= MIN_RAMP_FRAMES && f(top).luma - f(b0).luma >= MIN_RAMP_DEPTH;
    let peak = b1;
    while (peak + 1 < n && f(peak + 1).luma > f(peak).luma + RAMP_STEP) peak++;
    const inRamp = peak - b1 >= MIN_RAMP_FRAMES && f(peak).luma - f(b1).luma >= MIN_RAMP_DEPTH;
    if (!outRamp && !inRamp) continue;
    // The top/peak frames are the last/first full-level frames, not part of the transition. A fade scales the
    // picture by (1 - k/F): its first partial frame is already a few % darker, while footage drifting darker
    // before it changes much less per frame — so skip the gentle head/tail of the ramp.
    if (outRamp) while (top + 1 < b0 && f(top + 1).luma > FADE_STEP_RATIO * f(top).luma) top++;
    if (inRamp) while (peak - 1 > b1 && f(peak - 1).luma > FADE_STEP_RATIO * f(peak).luma) peak--;
    const start = outRamp ? top + 1 : b0;
    const end = inRamp ? peak - 1 : b1;
    transitions.push({ start_frame: start, end_frame: end, kind: 'fade' });
    for (let k = Math.max(0, start); k <= Math.min(n, end + 1); k++) covered[k] = 1;
    if (b0 === 0) startsWithFade = inRamp;
    else if (b1 + 1 < n) boundaries.push({ frame: b1 + 1, kind: 'fade' });
  }

  // --- hard cuts -----------------------------------------------------------------------------------------------
  const cutSet = new Set<number>();
  const isTransient = (i: number): boolean => {
    const jump = f(i).diff_y;
    const lim = jump * TRANSIENT_RATIO;
    const back2 = f(i).diff_y2;
    const back3 = f(i).diff_y3;
    const fwd2 = i + 1 < n ? f(i + 1).diff_y2 : -1;
    const fwd3 = i + 2 < n ? f(i + 2).diff_y3 : -1;
    return [back2, back3, fwd2, fwd3].some((d) => d >= 0 && d < lim);
  };
  // Transient frames (flashes, decode glitches) would inflate the neighbour average of a real cut next to
  // them, so they are left out of it.
  const transient = new Uint8Array(n);
  for (let i = 1; i < n; i++) if (f(i).score >= o.minContentScore && isTransient(i)) transient[i] = 1;
  // Like PySceneDetect, the first shot too must last minSceneLenFrames (a one-frame black leader is no shot).
  let lastCut = 0;
  for (let i = 1; i < n; i++) {
    const s = f(i).score;
    if (s < o.minContentScore || covered[i] || transient[i]) continue;
    let sum = 0;
    let cnt = 0;
    for (let k = i - o.windowFrames; k <= i + o.windowFrames; k++) {
      if (k === i || k < 1 || k >= n || transient[k]) continue;
      sum += f(k).score;
      cnt++;
    }
    const avg = cnt > 0 ? sum / cnt : 0;
    const ratio = avg > 1e-6 ? s / avg : Infinity;
    if (ratio < o.adaptiveThreshold) continue;
    if (i - lastCut < o.minSceneLenFrames) continue;
    cutSet.add(i);
    lastCut = i;
  }
  // Jump cuts inside one static shot (a time jump of a fixed camera): only the people move, so the score
  // stays under minContentScore — but the frames around it barely change at all. A frame that changes
  // JUMP_RATIO times more than any frame within JUMP_WINDOW frames (repeated frames of conformed footage
  // included) is a cut too.
  for (let i = 1; i < n; i++) {
    const s = f(i).score;
    if (s >= o.minContentScore || s < JUMP_MIN_SCORE || covered[i] || isTransient(i)) continue;
    let quiet = true;
    for (let k = i - JUMP_WINDOW; k <= i + JUMP_WINDOW && quiet; k++) {
      if (k === i || k < 1 || k >= n) continue;
      if (f(k).score * JUMP_RATIO > s) quiet = false;
    }
    if (!quiet) continue;
    if ([...cutSet].some((c) => Math.abs(c - i) < o.minSceneLenFrames)) continue;
    cutSet.add(i);
  }
  // --- gradual transitions ------------------------------------------------------------------------------------
  // Wipes first, by their moving boundary: one frame of a wipe may score like a cut, and the cuts a wipe covers
  // are dropped (covered) rather than splitting it.
  const wipes = detectWipes({
    frames,
    // A cut where the whole picture switches in one frame bounds a wipe; one where the frame changes only a part
    // of what the frames around it change together is a step of a moving front and may lie inside one.
    isEdge: (k) =>
      covered[k] === 1 ||
      (cutSet.has(k) &&
        k >= 2 &&
        k + 1 < n &&
        sigDistance(f(k - 1).sig, f(k).sig) >= WIPE_STEP_SHARE * sigDistance(f(k - 2).sig, f(k + 1).sig)),
    minFrames: o.minDissolveFrames,
    maxFrames: o.maxDissolveFrames,
  });
  for (const t of wipes) {
    transitions.push(t);
    for (let k = t.start_frame; k <= t.end_frame + 1 && k < n; k++) covered[k] = 1;
    boundaries.push({ frame: Math.round((t.start_frame + t.end_frame + 1) / 2), kind: t.kind });
  }
  const gradual = detectGradualTransitions({
    frames,
    isEdge: (k) => cutSet.has(k) || covered[k] === 1,
    options: { minFrames: o.minDissolveFrames, maxFrames: o.maxDissolveFrames },
  });
  for (const t of gradual) {
    transitions.push(t);
    for (let k = t.start_frame; k <= t.end_frame + 1 && k < n; k++) covered[k] = 1;
    boundaries.push({ frame: Math.round((t.start_frame + t.end_frame + 1) / 2), kind: t.kind });
  }

  // Block-residual jump cuts come after the gradual transitions: a wipe over a static shot reveals new
  // content block by block too, and must stay one range rather than end at a cut.
  for (let i = 1; i < n; i++) {
    const l = f(i).local_residual ?? -1;
    const s = f(i).score;
    if (l < LOCAL_JUMP_MIN_SMALL || s >= o.minContentScore || s < LOCAL_JUMP_MIN_SCORE) continue;
    if (cutSet.has(i) || covered[i] || isTransient(i)) continue;
    let around = 0;
    let measured = true;
    for (let k = i - JUMP_WINDOW; k <= i + JUMP_WINDOW && measured; k++) {
      if (k === i || k < 1 || k >= n || cutSet.has(k) || transient[k]) continue;
      const lk = f(k).local_residual ?? -1;
      // A moving camera anywhere near: not a static shot, the residual says nothing.
      if (lk < 0) measured = false;
      else around = Math.max(around, lk);
    }
    if (!measured) continue;
    const ratio = l / Math.max(1e-3, around);
    const jump = (l >= LOCAL_JUMP_MIN && ratio >= LOCAL_JUMP_RATIO) || ratio >= LOCAL_JUMP_RATIO_SMALL;
    if (!jump) continue;
    if ([...cutSet].some((c) => Math.abs(c - i) < o.minSceneLenFrames)) continue;
    cutSet.add(i);
  }

  const cuts = [...cutSet].filter((c) => !covered[c]).sort((x, y) => x - y);
  for (const c of cuts) boundaries.push({ frame: c, kind: 'cut' });
  boundaries.sort((x, y) => x.frame - y.frame);
  transitions.sort((x, y) => x.start_frame - y.start_frame);
  return { cuts, transitions, boundaries, startsWithFade };
}
