/**
 * Gradual transitions (dissolves, wipes and shape reveals, pushes/slides, dips through a flat colour) from the
 * per-frame features. Pure and deterministic.
 *
 * Candidates are runs of frames whose change stays above the shot's own baseline (twin comparison, Zhang et al.
 * 1993). The change of a frame is the larger of the motion-compensated content score and the plain signature
 * difference: a push moves the whole picture, which motion compensation explains away, but the signature
 * does not. Up to two quiet frames inside a run are tolerated — footage conformed from 10 or 24 fps to 30 fps
 * repeats frames, and a repeated frame inside a blend changes nothing.
 *
 * A window [a, e] inside a candidate run is a transition when frame a (the last frame of the outgoing shot) and
 * frame e (the first of the incoming one) differ enough and every frame between is explained by one model
 * built from those two ends alone, on the 16×9 luma signature:
 * - blend: (1 − p)·A + p·E with p linear in time (crossfade, random-pixel dissolve);
 * - reveal: each cell shows A until its own switch time, then E (wipes, soft wipes, slices, barn doors,
 *   circles, radial and diagonal wipes — any shape, since the switch time is free per cell);
 * - push: both pictures translated by p·width (or height) in one of four directions (push, slide).
 * Object or camera motion inside one shot fits none of them: it moves content the ends do not contain in
 * that place. The model that explains the window best names the kind; a dip through a flat frame is a fade.
 */
import { SIG_H, SIG_W, type GradualTransition } from './types.js';

export interface GradualFeature {
  luma: number;
  luma_std: number;
  score: number;
  sig: Uint8Array;
}

export interface GradualOptions {
  minFrames?: number;
  maxFrames?: number;
}

export const GRADUAL_DEFAULTS = { minFrames: 4, maxFrames: 60 } as const satisfies Required<GradualOptions>;

const CELLS = SIG_W * SIG_H;
/** Mean signature difference (0..255) the two ends of a transition must have. */
const MIN_CHANGE = 12;
/** Largest mean residual of the winning model, as a fraction of the end-to-end change. */
const MAX_FIT = 0.15;
/** A blend is the simplest model (it explains slow motion too): it must fit closer. */
const MAX_BLEND_FIT = 0.17;
/** The frames just outside the window must be this close to its ends (fraction of the change): steady shots. */
const MAX_ANCHOR_DRIFT = 0.35;
const BLACK_MAX_STD = 12;
/** A frame within this fraction of the change from an end still shows that end (steady shot, codec noise). */
const SETTLED = 0.015;
/** Half-width (frames) of the distance that finds candidates. */
const SPAN = 15;
/** A candidate's distance must be the largest within this many frames. */
const PEAK_RADIUS = 4;
const NEAR = 3;
const PUSH_PROBES = 8;
/** Frames of each shot compared with the window's change, and by how much the window must exceed them. */
const MIN_CONTEXT = 3;
/** A cell whose two ends differ less than this (0..255) says nothing about progress (codec noise). */
const MIN_CELL_CHANGE = 8;
const CONTRAST = 2;
const GROW = 1;
const WIDTH_BONUS = 0;
/** A window ends where the progress from the outgoing towards the incoming picture leaves/reaches this margin. */
const PROGRESS_EDGE = 0.05;

type Direction = 'left' | 'right' | 'up' | 'down';
type Model = { kind: 'dissolve' } | { kind: 'wipe' } | { kind: 'push'; direction: Direction };

export function sigDistance(a: Uint8Array, b: Uint8Array): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += Math.abs(a[k]! - b[k]!);
  return s / CELLS;
}

/** Bilinear sample of a signature at continuous cell coordinates (cell centres at k + 0.5), clamped. */
function sampleSig(s: Uint8Array, x: number, y: number): number {
  const fx = Math.min(SIG_W - 1, Math.max(0, x - 0.5));
  const fy = Math.min(SIG_H - 1, Math.max(0, y - 0.5));
  const x0 = Math.floor(fx);
  const y0 = Math.floor(fy);
  const x1 = Math.min(SIG_W - 1, x0 + 1);
  const y1 = Math.min(SIG_H - 1, y0 + 1);
  const tx = fx - x0;
  const ty = fy - y0;
  const top = s[y0 * SIG_W + x0]! * (1 - tx) + s[y0 * SIG_W + x1]! * tx;
  const bottom = s[y1 * SIG_W + x0]! * (1 - tx) + s[y1 * SIG_W + x1]! * tx;
  return top * (1 - ty) + bottom * ty;
}

/**
 * Predicted value of cell (x, y) at progress p of a push: the outgoing picture moves out by p of the frame,
 * the incoming one follows it in (ffmpeg xfade slideleft/right/up/down).
 */
function pushValue(A: Uint8Array, E: Uint8Array, dir: Direction, p: number, cx: number, cy: number): number {
  const x = cx + 0.5;
  const y = cy + 0.5;
  switch (dir) {
    case 'left': {
      const u = x + p * SIG_W;
      return u < SIG_W ? sampleSig(A, u, y) : sampleSig(E, u - SIG_W, y);
    }
    case 'right': {
      const u = x - p * SIG_W;
      return u >= 0 ? sampleSig(A, u, y) : sampleSig(E, u + SIG_W, y);
    }
    case 'up': {
      const v = y + p * SIG_H;
      return v < SIG_H ? sampleSig(A, x, v) : sampleSig(E, x, v - SIG_H);
    }
    case 'down': {
      const v = y - p * SIG_H;
      return v >= 0 ? sampleSig(A, x, v) : sampleSig(E, x, v + SIG_H);
    }
  }
}

const DIRECTIONS: Direction[] = ['left', 'right', 'up', 'down'];

interface Fit {
  model: Model;
  /** Mean residual per cell and inner frame, divided by the end-to-end change. */
  fit: number;
}

/** How well each model explains frames a+1 … e-1 from frames a and e; the best one. */
export function fitWindow(frames: readonly GradualFeature[], a: number, e: number, total: number): Fit {
  const A = frames[a]!.sig;
  const E = frames[e]!.sig;
  const d = e - a;
  const inner = d - 1;
  let blend = 0;
  const push = [0, 0, 0, 0];
  // Reveal: per cell, the best switch time t (frames a+1 … t-1 show A, t … e-1 show E), by prefix sums.
  let reveal = 0;
  const costA = new Float64Array(inner + 1);
  for (let k = 0; k < CELLS; k++) {
    let sumE = 0;
    costA[0] = 0;
    for (let j = 1; j < d; j++) {
      const v = frames[a + j]!.sig[k]!;
      costA[j] = costA[j - 1]! + Math.abs(v - A[k]!);
      sumE += Math.abs(v - E[k]!);
    }
    // cost(t) = Σ_{j<t} |v−A| + Σ_{j≥t} |v−E|, for t = 1 … d (t = d: never switched inside the window).
    let best = sumE;
    let tailE = sumE;
    for (let t = 1; t <= inner; t++) {
      tailE -= Math.abs(frames[a + t]!.sig[k]! - E[k]!);
      const c = costA[t]! + tailE;
      if (c < best) best = c;
    }
    reveal += best;
    for (let j = 1; j < d; j++) {
      const p = j / d;
      blend += Math.abs(frames[a + j]!.sig[k]! - ((1 - p) * A[k]! + p * E[k]!));
    }
  }
  const norm = inner * CELLS * total;
  let best: Fit = { model: { kind: 'dissolve' }, fit: blend / norm };
  if (reveal / norm < best.fit) best = { model: { kind: 'wipe' }, fit: reveal / norm };
  // Pushes cost a bilinear sample per cell and model: checked on at most PUSH_PROBES inner frames, and only
  // when neither of the cheap models already explains the window well.
  if (best.fit <= MAX_FIT / 2) return best;
  const step = Math.max(1, Math.floor(inner / PUSH_PROBES));
  let probes = 0;
  for (let j = 1; j < d; j += step) {
    probes++;
    const p = j / d;
    const S = frames[a + j]!.sig;
    for (let k = 0; k < CELLS; k++) {
      const cx = k % SIG_W;
      const cy = (k - cx) / SIG_W;
      for (let m = 0; m < 4; m++) push[m]! += Math.abs(S[k]! - pushValue(A, E, DIRECTIONS[m]!, p, cx, cy));
    }
  }
  const pushNorm = probes * CELLS * total;
  push.forEach((r, m) => {
    if (r / pushNorm < best.fit)
      best = { model: { kind: 'push', direction: DIRECTIONS[m]! }, fit: r / pushNorm };
  });
  return best;
}

/** The best model's residual on the middle frame alone: a cheap rejection before the full fit. */
function middleFit(frames: readonly GradualFeature[], a: number, e: number, total: number): number {
  const A = frames[a]!.sig;
  const E = frames[e]!.sig;
  const j = (e - a) >> 1;
  const p = j / (e - a);
  const S = frames[a + j]!.sig;
  let blend = 0;
  let reveal = 0;
  const push = [0, 0, 0, 0];
  for (let k = 0; k < CELLS; k++) {
    const v = S[k]!;
    blend += Math.abs(v - ((1 - p) * A[k]! + p * E[k]!));
    reveal += Math.min(Math.abs(v - A[k]!), Math.abs(v - E[k]!));
    const cx = k % SIG_W;
    const cy = (k - cx) / SIG_W;
    for (let m = 0; m < 4; m++) push[m]! += Math.abs(v - pushValue(A, E, DIRECTIONS[m]!, p, cx, cy));
  }
  return Math.min(blend, reveal, ...push) / (CELLS * total);
}

export interface DetectGradualInput {
  frames: readonly GradualFeature[];
  /** Frames no transition may contain (hard cuts, frames of transitions found earlier). */
  isEdge: (frame: number) => boolean;
  options?: GradualOptions;
}

export function detectGradualTransitions({
  frames,
  isEdge,
  options = {},
}: DetectGradualInput): GradualTransition[] {
  const o = { ...GRADUAL_DEFAULTS, ...options };
  const n = frames.length;
  const f = (i: number) => frames[i]!;
  /** drift[i]: signature change from frame i to i+1. */
  const drift = new Float64Array(n);
  for (let i = 0; i + 1 < n; i++) drift[i] = sigDistance(f(i).sig, f(i + 1).sig);
  const out: GradualTransition[] = [];

  // Candidates: frames c where the picture H frames later differs most from the one H frames earlier (a local
  // maximum of that distance). Around each, the progress of every frame from sig[c-H] towards sig[c+H]
  // (projection onto the segment between them) locates the window's ends; the models then judge the window
  // and its neighbours (ends ±1). A few hundred signature operations per candidate, not per frame pair.
  const H = Math.max(o.minFrames, Math.min(SPAN, o.maxFrames >> 1));
  const far = new Float64Array(n);
  // Between two steady shots `far` is flat over the whole transition: the change across a few frames, which
  // peaks inside the transition, breaks the tie.
  for (let c = H; c + H < n; c++)
    far[c] = sigDistance(f(c - H).sig, f(c + H).sig) + 1e-3 * sigDistance(f(c - NEAR).sig, f(c + NEAR).sig);
  const accepted: Array<{ a: number; e: number; fit: Fit; total: number; score: number }> = [];
  for (let c = H; c + H < n; c++) {
    if (far[c]! < MIN_CHANGE) continue;
    let isMax = true;
    for (let k = Math.max(H, c - PEAK_RADIUS); k <= Math.min(n - H - 1, c + PEAK_RADIUS) && isMax; k++)
      if (far[k]! > far[c]! || (far[k] === far[c] && k < c)) isMax = false;
    if (!isMax) continue;
    const [lo, hi] = searchRangeAround(c, H, n, isEdge);
    // Progress of each frame from reference A0 towards E0; the window's ends are where it leaves 0 and reaches
    // 1. A second pass takes the references just outside the first window, so a long transition whose centre
    // is off c is measured from its real ends.
    let a = c;
    let e = c;
    let ra = Math.max(lo, c - H);
    let re = Math.min(hi, c + H);
    for (let pass = 0; pass < 2; pass++) {
      const A0 = f(ra).sig;
      const E0 = f(re).sig;
      // Per cell, how far it has gone from A0 towards E0 (clamped to 0..1), averaged over the cells that
      // change: every such cell counts alike, so a wipe's last low-contrast columns still move the progress.
      const moving: number[] = [];
      let meanDiff = 0;
      for (let k = 0; k < CELLS; k++) meanDiff += Math.abs(E0[k]! - A0[k]!);
      meanDiff /= CELLS;
      for (let k = 0; k < CELLS; k++)
        if (Math.abs(E0[k]! - A0[k]!) >= Math.max(MIN_CELL_CHANGE, 0.25 * meanDiff)) moving.push(k);
      if (moving.length === 0) break;
      const progress = (j: number) => {
        const S = f(j).sig;
        let sum = 0;
        for (const k of moving) sum += Math.min(1, Math.max(0, (S[k]! - A0[k]!) / (E0[k]! - A0[k]!)));
        return sum / moving.length;
      };
      a = c;
      while (a > lo && progress(a) > PROGRESS_EDGE) a--;
      e = c;
      while (e < hi && progress(e) < 1 - PROGRESS_EDGE) e++;
      const nra = Math.max(lo, a - 2);
      const nre = Math.min(hi, e + 2);
      if (nra === ra && nre === re) break;
      ra = nra;
      re = nre;
    }
    if (e - a < o.minFrames - 1 || e - a > o.maxFrames + 2) continue;
    let best: { a: number; e: number; fit: Fit; total: number; score: number } | undefined;
    for (let da = -GROW; da <= 1; da++)
      for (let de = -1; de <= GROW; de++) {
        const wa = a + da;
        const we = e + de;
        if (wa < lo || we > hi || we - wa < o.minFrames || we - wa > o.maxFrames) continue;
        const total = sigDistance(f(wa).sig, f(we).sig);
        if (total < MIN_CHANGE) continue;
        if (drift[wa - 1]! > MAX_ANCHOR_DRIFT * total || drift[we]! > MAX_ANCHOR_DRIFT * total) continue;
        // Twin comparison: the window changes far more than an equally long stretch of at least one of the two
        // shots does on its own. Continuous camera or object motion changes as much everywhere.
        // Near a cut or the video's edge only a shorter stretch exists: its change is scaled up to the window.
        const span = we - wa;
        const context = (from: number, dir: -1 | 1): number => {
          let len = 0;
          while (
            len < span &&
            from + dir * (len + 1) >= 0 &&
            from + dir * (len + 1) < n &&
            !isEdge(from + dir * (len + 1))
          )
            len++;
          if (len < MIN_CONTEXT) return Infinity;
          return (sigDistance(f(from).sig, f(from + dir * len).sig) * span) / len;
        };
        const before = context(wa, -1);
        const after = context(we, 1);
        const quieter = Math.min(before, after);
        if (quieter !== Infinity && total < CONTRAST * quieter) continue;
        if (middleFit(frames, wa, we, total) > 2 * MAX_FIT) continue;
        const fit = fitWindow(frames, wa, we, total);
        // The widest window that still fits: the first and last partial frames of a shape or soft wipe change
        // the signature very little, and a steady end frame more or less costs nothing in the fit.
        const score = fit.fit - WIDTH_BONUS * (we - wa);
        if (
          fit.fit <= (fit.model.kind === 'dissolve' ? MAX_BLEND_FIT : MAX_FIT) &&
          (best === undefined || score < best.score)
        )
          best = { a: wa, e: we, fit, total, score };
      }
    // A push moves both pictures, so per-cell progress does not locate its ends: try windows centred on c.
    if (!best)
      for (let h = o.minFrames >> 1; 2 * h <= o.maxFrames; h++) {
        const wa = c - h;
        const we = c + h;
        if (wa < lo || we > hi) break;
        const total = sigDistance(f(wa).sig, f(we).sig);
        if (total < MIN_CHANGE) continue;
        if (drift[wa - 1]! > MAX_ANCHOR_DRIFT * total || drift[we]! > MAX_ANCHOR_DRIFT * total) continue;
        const fit = fitWindow(frames, wa, we, total);
        if (fit.model.kind === 'push' && fit.fit <= MAX_FIT && (best === undefined || fit.fit < best.fit.fit))
          best = { a: wa, e: we, fit, total, score: fit.fit };
      }
    if (best) accepted.push(best);
  }
  accepted.sort((x, y) => x.fit.fit - y.fit.fit || x.a - y.a || x.e - y.e);
  const taken = new Uint8Array(n);
  for (const cand of accepted) {
    let clash = false;
    for (let k = cand.a + 1; k < cand.e && !clash; k++) if (taken[k]) clash = true;
    if (clash) continue;
    let best = cand;
    // The window may include steady frames at either end (they fit any model): the transition proper starts
    // at the first frame that has left A and ends at the last that has not yet reached E.
    const eps = Math.max(1, SETTLED * best.total);
    let ra = best.a;
    while (ra + 1 < best.e && sigDistance(f(ra + 1).sig, f(best.a).sig) <= eps) ra++;
    let re = best.e;
    while (re - 1 > ra && sigDistance(f(re - 1).sig, f(best.e).sig) <= eps) re--;
    best = { ...best, a: ra, e: re };
    // Like the fade detector: the range runs from the first partial frame to the first frame of the new shot.
    const s = best.a + 1;
    const e = best.e;
    let flat = false;
    for (let k = s; k < e; k++) if (f(k).luma_std < BLACK_MAX_STD) flat = true;
    const m = best.fit.model;
    out.push({
      start_frame: s,
      end_frame: e,
      kind: flat ? 'fade' : m.kind,
      ...(m.kind === 'push' && !flat ? { direction: m.direction } : {}),
    });
    for (let k = cand.a + 1; k < cand.e; k++) taken[k] = 1;
  }
  return out.sort((x, y) => x.start_frame - y.start_frame);
}

/**
 * The frames a transition centred on frame c may span: ±2H around c inside the clip, stopped short of the
 * nearest shot edge (a cut) on either side, so one window never reaches across a cut.
 */
export function searchRangeAround(
  c: number,
  H: number,
  n: number,
  isEdge: (frame: number) => boolean,
): [number, number] {
  let lo = Math.max(1, c - 2 * H);
  let hi = Math.min(n - 2, c + 2 * H);
  for (let k = c; k >= lo; k--)
    if (isEdge(k)) {
      lo = k + 1;
      break;
    }
  for (let k = c; k <= hi; k++)
    if (isEdge(k)) {
      hi = k - 1;
      break;
    }
  return [lo, hi];
}
