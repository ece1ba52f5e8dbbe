/**
 * Wipes as a moving boundary: over the window, every cell of the 16×9 signature that differs between the
 * outgoing picture A and the incoming picture E goes from A to E once and for good (a monotone progress), and
 * the cells do so at different times (the boundary sweeps over the picture), while neighbouring cells switch at
 * nearly the same time (the boundary is one connected front, not noise). Pure and deterministic.
 *
 * The per-cell progress q(j) = (S_j − A) / (E − A) is fitted by a non-decreasing step function (isotonic
 * regression, pool-adjacent-violators), so hard wipes (a step per cell), soft wipes (a ramp per cell: ffmpeg's
 * smooth* mix each pixel over half the transition), slices, barn doors, diagonals, circles and clock wipes all
 * fit alike. What does not fit: a dissolve (every cell switches at the same time: no spread), a hard cut (all
 * at one frame), object or camera motion inside one shot (cells change and change back: not monotone, or the
 * two ends barely differ), a push (content moves through cells: not monotone).
 *
 * Hard cuts found earlier may lie inside a wipe (one frame of a fast wipe over moving footage can score like a
 * cut): the wipe is judged on the signatures alone and, when found, the caller drops the cuts it covers.
 */
import { fitWindow, searchRangeAround, type GradualFeature } from './detect-gradual-transitions.js';
import { FINE_H, FINE_W, SIG_H, SIG_W, type GradualTransition } from './types.js';

export interface WipeFeature {
  sig: Uint8Array;
  /** FINE_W×FINE_H luma; used when every frame has it (hand-made test series may have only `sig`). */
  fine?: Uint8Array;
}

/** The grid the front is followed on: one luma signature per frame, gw × gh cells. */
interface Grid {
  gw: number;
  gh: number;
  at: (i: number) => Uint8Array;
}

export interface DetectWipesInput {
  frames: readonly WipeFeature[];
  /** Frames no wipe may contain (frames of fades and other transitions found earlier). */
  isEdge: (frame: number) => boolean;
  minFrames?: number;
  maxFrames?: number;
}

/** Half-width (frames) of the end-to-end distance that finds candidates; peaks within PEAK_RADIUS. */
const SPAN = 15;
const PEAK_RADIUS = 4;
/** Mean signature difference (0..255) the two ends must have, and the share of cells that must change. */
const MIN_CHANGE = 12;
const MIN_MOVING = 0.3;
/** A cell changes when its ends differ by this much (0..255), or a quarter of the mean change. */
const MIN_CELL_CHANGE = 10;
/** Largest mean |progress − monotone fit| over the moving cells. */
const MAX_RESIDUAL = 0.12;
/** The cells' half-way times must spread over this share of the window (10th to 90th percentile). */
const MIN_SPREAD = 0.35;
/**
 * Neighbouring cells' half-way times may differ by at most this share of the spread on average (true wipes in
 * the labelled sets: ≤ 0.21; slow motion of real footage between cuts that otherwise fit: 0.27–0.31).
 */
const MAX_ROUGHNESS = 0.25;
/** A cell's own ramp (median) may last at most this share of the window. */
const MAX_RAMP = 0.38;
/** A cell has started / finished switching at this progress. */
const STARTED = 0.12;
const FINISHED = 0.88;
/** Quantile of the cells' half-way times taken as the front's first / last cell; frames added at the end. */
const HALF_Q = 0.05;
const END_PAD = 0;
/**
 * Fit (r², after trimming) of the half-way times by a front shape good enough to extrapolate the window ends from
 * (labelled wipes: mostly ≥ 0.85; diver.mov's swim through bubbles after its cut at 267: 0.53).
 */
const FRONT_R2 = 0.6;
/** Refits of a front shape, each keeping this share of the cells closest to the last line. */
const TRIM_PASSES = 3;
const KEEP_SHARE = 0.7;
/** Share of a smoothstep ramp between STARTED and FINISHED (smoothstep⁻¹(0.88) − smoothstep⁻¹(0.12) ≈ 0.56). */
const RAMP_SHARE = 0.56;
/** The frames just outside the window must stay this close to its ends (fraction of the change). */
const MAX_ANCHOR_DRIFT = 0.35;
/** Steady context: an equally long stretch of either shot must change this many times less than the window. */
const CONTRAST = 2;

function sigDistance(a: Uint8Array, b: Uint8Array): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += Math.abs(a[k]! - b[k]!);
  return s / a.length;
}

/**
 * Non-decreasing least-squares fit of y[0 … n-1] by pool-adjacent-violators, written to `out`; `val`/`wt` are
 * scratch of the same length (reused across cells: this runs for every cell of every candidate window).
 */
function isotonic(y: Float64Array, n: number, out: Float64Array, val: Float64Array, wt: Float64Array): void {
  let m = 0;
  for (let i = 0; i < n; i++) {
    val[m] = y[i]!;
    wt[m] = 1;
    m++;
    while (m > 1 && val[m - 2]! > val[m - 1]!) {
      const w = wt[m - 2]! + wt[m - 1]!;
      val[m - 2] = (val[m - 2]! * wt[m - 2]! + val[m - 1]! * wt[m - 1]!) / w;
      wt[m - 2] = w;
      m--;
    }
  }
  for (let b = 0, i = 0; b < m; b++) for (let c = 0; c < wt[b]!; c++) out[i++] = val[b]!;
}

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.round(q * (s.length - 1))))]!;
}

/**
 * Front shapes: per cell a position g in 0..1 along the front's path (the cell the front passes first has g = 0).
 * A wipe's cells switch at half-way times a + b·g; the shape whose g explains the half-way times best gives the
 * front's first and last cell by extrapolation (g = 0 and 1) even where few cells lie there (a diagonal starts in
 * a corner, a circle in the centre), instead of reading them off the earliest and latest cells that changed.
 * `margin`: frames of the window outside the cells' own ramps, in units of b — ffmpeg's circleopen/circleclose
 * (libavfilter/vf_xfade.c: smooth = dist/z + (progress − 0.5)·3) leave the first and last sixth unchanged.
 */
interface FrontShape {
  g: Float64Array;
  margin: number;
}

const shapeCache = new Map<string, FrontShape[]>();

function frontShapes(gw: number, gh: number): FrontShape[] {
  const key = `${gw}x${gh}`;
  const hit = shapeCache.get(key);
  if (hit) return hit;
  const cells = gw * gh;
  const make = (f: (x: number, y: number) => number, margin = 0): FrontShape => {
    const g = new Float64Array(cells);
    for (let k = 0; k < cells; k++) g[k] = f(((k % gw) + 0.5) / gw, (Math.floor(k / gw) + 0.5) / gh);
    return { g, margin };
  };
  // Distances in picture units (the grid's cells are square).
  const circle = (x: number, y: number) =>
    Math.hypot((x - 0.5) * gw, (y - 0.5) * gh) / Math.hypot(gw / 2, gh / 2);
  const angle = (x: number, y: number) => (Math.atan2(x - 0.5, y - 0.5) + Math.PI) / (2 * Math.PI);
  const shapes = [
    make((x) => x),
    make((x) => 1 - x),
    make((_x, y) => y),
    make((_x, y) => 1 - y),
    make((x) => Math.abs(x - 0.5) * 2),
    make((x) => 1 - Math.abs(x - 0.5) * 2),
    make((_x, y) => Math.abs(y - 0.5) * 2),
    make((_x, y) => 1 - Math.abs(y - 0.5) * 2),
    make((x, y) => x * y),
    make((x, y) => (1 - x) * y),
    make((x, y) => x * (1 - y)),
    make((x, y) => (1 - x) * (1 - y)),
    make((x, y) => 1 - x * y),
    make((x, y) => 1 - (1 - x) * y),
    make((x, y) => 1 - x * (1 - y)),
    make((x, y) => 1 - (1 - x) * (1 - y)),
    make(circle, 0.5),
    make((x, y) => 1 - circle(x, y), 0.5),
    make(angle),
    make((x, y) => 1 - angle(x, y)),
  ];
  shapeCache.set(key, shapes);
  return shapes;
}

interface FrontFit {
  a: number;
  b: number;
  margin: number;
  r2: number;
}

/** Least-squares half = a + b·g over the cells in `use`. */
function lineFit(half: Float64Array, use: Uint8Array, s: FrontShape): FrontFit | undefined {
  let n = 0;
  let sh = 0;
  let shh = 0;
  let sg = 0;
  let sgg = 0;
  let sgh = 0;
  for (let k = 0; k < half.length; k++) {
    if (!use[k]) continue;
    const h = half[k]!;
    const g = s.g[k]!;
    n++;
    sh += h;
    shh += h * h;
    sg += g;
    sgg += g * g;
    sgh += g * h;
  }
  if (n < 3) return undefined;
  const varH = shh - (sh * sh) / n;
  const varG = sgg - (sg * sg) / n;
  if (varH <= 0 || varG <= 0) return undefined;
  const cov = sgh - (sg * sh) / n;
  const b = cov / varG;
  return { a: (sh - b * sg) / n, b, margin: s.margin, r2: (cov * cov) / (varG * varH) };
}

/**
 * The best-fitting shape, fitted twice: the second time without the cells farthest from the first line (the
 * footage's own motion sets some cells' half-way times off the front).
 */
function fitFront(half: Float64Array, shapes: readonly FrontShape[]): FrontFit | undefined {
  const all = new Uint8Array(half.length);
  for (let k = 0; k < half.length; k++) all[k] = half[k]! >= 0 ? 1 : 0;
  let best: FrontFit | undefined;
  const use = new Uint8Array(half.length);
  const res: number[] = [];
  for (const s of shapes) {
    let line = lineFit(half, all, s);
    for (let pass = 0; pass < TRIM_PASSES && line; pass++) {
      const l = line;
      res.length = 0;
      for (let k = 0; k < half.length; k++) if (all[k]) res.push(Math.abs(half[k]! - l.a - l.b * s.g[k]!));
      const cut = quantile(res, KEEP_SHARE);
      for (let k = 0; k < half.length; k++)
        use[k] = all[k] && Math.abs(half[k]! - l.a - l.b * s.g[k]!) <= cut ? 1 : 0;
      line = lineFit(half, use, s);
    }
    const second = line;
    if (second && second.b > 0 && (!best || second.r2 > best.r2)) best = second;
  }
  return best;
}

interface WipeFit {
  /** First partial frame and first frame of the new shot (the cells seen changing). */
  start: number;
  end: number;
  /** The window reported: the front's extrapolated first and last cell, widened by a cell's full ramp. */
  outStart: number;
  outEnd: number;
  /** Frames the cells are seen changing over (the reported window without a circle's unchanged ends). */
  visible: number;
  residual: number;
  /** Median frames a cell takes from STARTED to FINISHED. */
  ramp: number;
  spread: number;
  roughness: number;
  total: number;
}

/** Monotone-front fit of frames ra … re with A = sig[ra], E = sig[re]. */
function fitWipe(grid: Grid, ra: number, re: number): WipeFit | undefined {
  if (re - ra < 3) return undefined;
  const { gw, at } = grid;
  const CELLS = grid.gw * grid.gh;
  const A = at(ra);
  const E = at(re);
  const total = sigDistance(A, E);
  if (total < MIN_CHANGE) return undefined;
  const len = re - ra + 1;
  const lim = Math.max(MIN_CELL_CHANGE, 0.25 * total);
  const half = new Float64Array(CELLS).fill(-1);
  const starts: number[] = [];
  const ends: number[] = [];
  let residual = 0;
  let moving = 0;
  const q = new Float64Array(len);
  const fit = new Float64Array(len);
  const val = new Float64Array(len);
  const wt = new Float64Array(len);
  for (let k = 0; k < CELLS; k++) {
    const d = E[k]! - A[k]!;
    if (Math.abs(d) < lim) continue;
    for (let j = 0; j < len; j++) q[j] = Math.min(1.5, Math.max(-0.5, (at(ra + j)[k]! - A[k]!) / d));
    isotonic(q, len, fit, val, wt);
    let r = 0;
    for (let j = 0; j < len; j++) r += Math.abs(q[j]! - fit[j]!);
    residual += r / len;
    moving++;
    let s = len - 1;
    let h = len - 1;
    let e = len - 1;
    for (let j = len - 1; j >= 0; j--) {
      if (fit[j]! > STARTED) s = j;
      if (fit[j]! >= 0.5) h = j;
      if (fit[j]! >= FINISHED) e = j;
    }
    half[k] = h;
    starts.push(s);
    ends.push(e);
  }
  if (moving < MIN_MOVING * CELLS) return undefined;
  const halves = [...half].filter((h) => h >= 0);
  const spread = quantile(halves, 0.9) - quantile(halves, 0.1);
  let rough = 0;
  let pairs = 0;
  for (let k = 0; k < CELLS; k++) {
    if (half[k]! < 0) continue;
    const x = k % gw;
    const right = x + 1 < gw ? half[k + 1]! : -1;
    const down = k + gw < CELLS ? half[k + gw]! : -1;
    if (right >= 0) {
      rough += Math.abs(right - half[k]!);
      pairs++;
    }
    if (down >= 0) {
      rough += Math.abs(down - half[k]!);
      pairs++;
    }
  }
  // The front's first and last cells (robust quantiles of the half-way times), widened by a cell's own ramp
  // (a soft wipe mixes each pixel over a long stretch; a hard one in a frame). Per-cell start and end times alone
  // drift with the footage's own motion.
  const rampIn = quantile(
    halves.map((h, i) => h - starts[i]!),
    0.5,
  );
  const rampOut = quantile(
    halves.map((h, i) => ends[i]! - h),
    0.5,
  );
  const start = ra + Math.max(0, quantile(halves, HALF_Q) - rampIn);
  const end = ra + Math.min(len - 1, quantile(halves, 1 - HALF_Q) + rampOut + END_PAD);
  const ramp = quantile(
    ends.map((e, i) => e - starts[i]!),
    0.5,
  );
  let outStart = start;
  let outEnd = end;
  let visible = end - start + 1;
  const front = fitFront(half, frontShapes(gw, grid.gh));
  // The front cannot take longer than the window it was seen in (a poorly fitting shape extrapolates far).
  if (front && front.r2 >= FRONT_R2 && front.b <= len - 1) {
    // STARTED…FINISHED covers about 0.56 of a smoothstep ramp (ffmpeg's smooth* and circle wipes).
    const full = ramp / RAMP_SHARE;
    const pad = full / 2 + front.margin * front.b;
    outStart = ra + Math.round(front.a - pad);
    outEnd = ra + Math.round(front.a + front.b + pad);
    if (outEnd <= outStart) {
      outStart = start;
      outEnd = end;
    } else visible = Math.round(front.b + full) + 1;
  }
  return {
    start,
    end,
    outStart,
    outEnd,
    visible,
    ramp,
    residual: residual / moving,
    spread,
    roughness: pairs > 0 ? rough / pairs / Math.max(1, spread) : 1,
    total,
  };
}

export function detectWipes({
  frames,
  isEdge,
  minFrames = 4,
  maxFrames = 60,
}: DetectWipesInput): GradualTransition[] {
  const n = frames.length;
  const fine = frames.every((f) => f.fine !== undefined && f.fine.length === FINE_W * FINE_H);
  const grid: Grid = fine
    ? { gw: FINE_W, gh: FINE_H, at: (i) => frames[i]!.fine! }
    : { gw: SIG_W, gh: SIG_H, at: (i) => frames[i]!.sig };
  const sig = grid.at;
  const H = SPAN;
  const far = new Float64Array(n);
  for (let c = H; c + H < n; c++) far[c] = sigDistance(sig(c - H), sig(c + H));
  const found: Array<{ a: number; e: number; residual: number }> = [];
  for (let c = H; c + H < n; c++) {
    if (far[c]! < MIN_CHANGE) continue;
    let isMax = true;
    for (let k = Math.max(H, c - PEAK_RADIUS); k <= Math.min(n - H - 1, c + PEAK_RADIUS) && isMax; k++)
      if (far[k]! > far[c]! || (far[k] === far[c] && k < c)) isMax = false;
    if (!isMax) continue;
    const [lo, hi] = searchRangeAround(c, H, n, isEdge);
    // References at ±H, then just outside the range found, until it settles.
    let ra = Math.max(lo, c - H);
    let re = Math.min(hi, c + H);
    let fit: WipeFit | undefined;
    for (let pass = 0; pass < 4; pass++) {
      fit = fitWipe(grid, ra, re);
      if (!fit) break;
      const nra = Math.max(lo, fit.start - 2);
      const nre = Math.min(hi, fit.end + 1);
      if (nra === ra && nre === re) break;
      ra = nra;
      re = nre;
    }
    if (!fit) continue;
    const span = fit.visible;
    if (span < minFrames || span > maxFrames) continue;
    if (fit.residual > MAX_RESIDUAL) continue;
    if (fit.spread < Math.max(2, MIN_SPREAD * span)) continue;
    if (fit.roughness > MAX_ROUGHNESS) continue;
    // A dissolve moves every cell over the whole window; a wipe's front passes a cell in part of it.
    if (fit.ramp > MAX_RAMP * span) continue;
    // Steady ends: the frames just outside stay close to A and E.
    const a = fit.start - 1;
    const e = fit.end;
    if (a - 1 < 0 || e + 1 >= n) continue;
    if (sigDistance(sig(a - 1), sig(a)) > MAX_ANCHOR_DRIFT * fit.total) continue;
    if (sigDistance(sig(e), sig(e + 1)) > MAX_ANCHOR_DRIFT * fit.total) continue;
    // Twin comparison: an equally long stretch of one of the shots changes much less than the window.
    const context = (from: number, dir: -1 | 1): number => {
      let l = 0;
      while (
        l < span &&
        from + dir * (l + 1) >= 0 &&
        from + dir * (l + 1) < n &&
        !isEdge(from + dir * (l + 1))
      )
        l++;
      if (l < 3) return Infinity;
      return (sigDistance(sig(from), sig(from + dir * l)) * span) / l;
    };
    const quieter = Math.min(context(a, -1), context(e, 1));
    if (quieter !== Infinity && fit.total < CONTRAST * quieter) continue;
    // A push (slide) moves both pictures; where the 16×9 models say it is one, leave it to them.
    const models = fitWindow(
      frames as unknown as readonly GradualFeature[],
      a,
      e,
      sigDistance(frames[a]!.sig, frames[e]!.sig),
    );
    if (models.model.kind === 'push') continue;
    found.push({
      a: Math.max(0, Math.max(lo - 1, fit.outStart)),
      e: Math.min(n - 1, Math.min(hi + 1, fit.outEnd)),
      residual: fit.residual,
    });
  }
  found.sort((x, y) => x.residual - y.residual || x.a - y.a);
  const taken = new Uint8Array(n + 1);
  const out: GradualTransition[] = [];
  for (const w of found) {
    let clash = false;
    for (let k = w.a; k <= w.e && !clash; k++) if (taken[k]) clash = true;
    if (clash) continue;
    for (let k = w.a; k <= w.e; k++) taken[k] = 1;
    out.push({ start_frame: w.a, end_frame: w.e, kind: 'wipe' });
  }
  return out.sort((x, y) => x.start_frame - y.start_frame);
}
