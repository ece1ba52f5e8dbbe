/**
 * Auto-reframe keyframes (pure, deterministic), after Google's AutoFlip: per shot, the crop window of the target
 * aspect either stays put (the subject's whole path fits in a dead zone), pans linearly (the path is close to a
 * straight line in time) or tracks a smoothed path with a dead zone (it moves only when the subject drifts
 * beyond it, so it never jitters). At a shot change the crop jumps (a `hold` keyframe steps exactly at the cut).
 *
 * Coordinates: crop centres in 0..1 of the source frame; the crop is the largest window of the target aspect
 * inside the source (a landscape source to 9:16 keeps the full height).
 */
import type { Easing } from '../../timeline/index.js';

export const FOCUS_VERSION = 'focus-autoflip-2';

export type FocusStrategy = 'stationary' | 'pan' | 'track';

export interface SubjectSample {
  t_ms: number;
  /** Subject centre, 0..1 of the source frame. */
  x: number;
  y: number;
}

export interface PlanFocusInput {
  source: { width: number; height: number };
  /** Target aspect as width:height, e.g. {w: 9, h: 16}. */
  aspect: { w: number; h: number };
  duration_ms: number;
  /** Shots of the source; default one shot over the whole duration. */
  shots?: Array<{ start_ms: number; end_ms: number }>;
  subjects: SubjectSample[];
  /** Fraction of the crop size the subject may wander before the crop moves. Default 0.1. */
  dead_zone?: number;
  /** Moving-average window of the tracking path, ms. Default 800. */
  smoothing_ms?: number;
}

export interface FocusKeyframe {
  t_ms: number;
  /** Crop centre, 0..1 of the source frame. */
  center_x: number;
  center_y: number;
  /** Easing of the segment starting here. */
  easing: Easing;
}

export interface FocusPlan {
  aspect: { w: number; h: number };
  source: { width: number; height: number };
  /** Crop window size, 0..1 of the source frame. */
  crop: { width: number; height: number };
  keyframes: FocusKeyframe[];
  shots: Array<{ start_ms: number; end_ms: number; strategy: FocusStrategy }>;
}

const r4 = (x: number) => Math.round(x * 1e4) / 1e4;

export function cropSize(source: { width: number; height: number }, aspect: { w: number; h: number }) {
  const target = aspect.w / aspect.h;
  const src = source.width / source.height;
  return target <= src ? { width: target / src, height: 1 } : { width: 1, height: src / target };
}

interface AxisPlan {
  strategy: FocusStrategy;
  /** Centre positions at times (within the shot). */
  points: Array<{ t: number; v: number }>;
}

/** Centred moving average over sample times (±half ms), by a sliding window: linear in the sample count. */
function movingAverage(ts: number[], vs: number[], half: number): number[] {
  const out: number[] = [];
  let from = 0;
  let to = 0;
  let sum = 0;
  for (const t of ts) {
    while (to < ts.length && ts[to]! <= t + half) sum += vs[to++]!;
    while (ts[from]! < t - half) sum -= vs[from++]!;
    out.push(sum / (to - from));
  }
  return out;
}

function fitLine(ts: number[], vs: number[]): { a: number; b: number; maxResidual: number } {
  const n = ts.length;
  const mt = ts.reduce((s, t) => s + t, 0) / n;
  const mv = vs.reduce((s, v) => s + v, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (ts[i]! - mt) * (vs[i]! - mv);
    den += (ts[i]! - mt) ** 2;
  }
  const b = den === 0 ? 0 : num / den;
  const a = mv - b * mt;
  let maxResidual = 0;
  for (let i = 0; i < n; i++) maxResidual = Math.max(maxResidual, Math.abs(a + b * ts[i]! - vs[i]!));
  return { a, b, maxResidual };
}

/** One axis of one shot: values already clamped to where the crop can go. */
function planAxis(
  ts: number[],
  vs: number[],
  shot: { start_ms: number; end_ms: number },
  deadZone: number,
  smoothingMs: number,
  lo: number,
  hi: number,
): AxisPlan {
  const clamp = (v: number) => Math.min(hi, Math.max(lo, v));
  const min = Math.min(...vs);
  const max = Math.max(...vs);
  if (max - min <= deadZone)
    return { strategy: 'stationary', points: [{ t: shot.start_ms, v: clamp((min + max) / 2) }] };
  const line = fitLine(ts, vs);
  if (line.maxResidual <= deadZone / 2) {
    const end = Math.max(shot.start_ms, shot.end_ms - 1);
    return {
      strategy: 'pan',
      points: [
        { t: shot.start_ms, v: clamp(line.a + line.b * shot.start_ms) },
        { t: end, v: clamp(line.a + line.b * end) },
      ],
    };
  }
  // Track: moving average, then a dead zone around the current position (hysteresis: no jitter).
  const half = smoothingMs / 2;
  const smooth = movingAverage(ts, vs, half);
  // Dead zone with hysteresis on the smoothed path: a step function that moves only when the subject leaves
  // the zone, and only to a quarter zone short of it — small tremors after a move do not trigger the next one,
  // and the crop does not over-centre.
  const held: number[] = [];
  let current = clamp(smooth[0]!);
  for (let i = 0; i < ts.length; i++) {
    const d = clamp(smooth[i]!) - current;
    if (Math.abs(d) > deadZone / 2) current = clamp(current + d - Math.sign(d) * (deadZone / 4));
    held.push(current);
  }
  // The steps are then smoothed twice more by the same centred moving average (≈ a triangular kernel twice the
  // window wide): each step becomes an S-shaped glide and consecutive steps merge into one continuous move, so
  // the window accelerates gently instead of stopping and starting at every step (ease_in_out per step did).
  const eased = movingAverage(ts, movingAverage(ts, held, half), half).map(clamp);
  const points: Array<{ t: number; v: number }> = [{ t: shot.start_ms, v: eased[0]! }];
  for (let i = 1; i < ts.length; i++) {
    const v = eased[i]!;
    const last = points[points.length - 1]!;
    // Keep a keyframe where the window moves, and the start and end of every rest.
    if (Math.abs(v - last.v) < 1e-5 && i + 1 < ts.length && Math.abs(eased[i + 1]! - v) < 1e-5) continue;
    points.push({ t: ts[i]!, v });
  }
  return { strategy: 'track', points };
}

export function planFocus(input: PlanFocusInput): FocusPlan {
  const crop = cropSize(input.source, input.aspect);
  const deadZone = input.dead_zone ?? 0.1;
  const smoothingMs = input.smoothing_ms ?? 800;
  const shots =
    input.shots && input.shots.length > 0 ? input.shots : [{ start_ms: 0, end_ms: input.duration_ms }];
  const subjects = [...input.subjects].sort((a, b) => a.t_ms - b.t_ms);
  const keyframes: FocusKeyframe[] = [];
  const outShots: FocusPlan['shots'] = [];
  let previous = { x: 0.5, y: 0.5 };
  for (const shot of shots) {
    const inside = subjects.filter((s) => s.t_ms >= shot.start_ms && s.t_ms < shot.end_ms);
    const ts = inside.length > 0 ? inside.map((s) => s.t_ms) : [shot.start_ms];
    const xs = inside.length > 0 ? inside.map((s) => s.x) : [previous.x];
    const ys = inside.length > 0 ? inside.map((s) => s.y) : [previous.y];
    const x = planAxis(ts, xs, shot, deadZone * crop.width, smoothingMs, crop.width / 2, 1 - crop.width / 2);
    const y = planAxis(
      ts,
      ys,
      shot,
      deadZone * crop.height,
      smoothingMs,
      crop.height / 2,
      1 - crop.height / 2,
    );
    // Merge the two axes' times; each axis is piecewise linear between its points.
    const times = [...new Set([...x.points.map((p) => p.t), ...y.points.map((p) => p.t)])].sort(
      (a, b) => a - b,
    );
    const at = (pts: AxisPlan['points'], t: number) => {
      if (t <= pts[0]!.t) return pts[0]!.v;
      for (let i = 1; i < pts.length; i++)
        if (t <= pts[i]!.t) {
          const a = pts[i - 1]!;
          const b = pts[i]!;
          return a.v + ((b.v - a.v) * (t - a.t)) / (b.t - a.t);
        }
      return pts[pts.length - 1]!.v;
    };
    const strategy: FocusStrategy =
      x.strategy === 'track' || y.strategy === 'track'
        ? 'track'
        : x.strategy === 'pan' || y.strategy === 'pan'
          ? 'pan'
          : 'stationary';
    for (const [i, t] of times.entries())
      keyframes.push({
        t_ms: Math.round(t),
        center_x: r4(at(x.points, t)),
        center_y: r4(at(y.points, t)),
        // Linear between the densely smoothed track points (they already ease); the shot's last keyframe holds
        // until the cut, so the window jumps there instead of panning across it.
        easing: i === times.length - 1 ? 'hold' : 'linear',
      });
    outShots.push({ start_ms: shot.start_ms, end_ms: shot.end_ms, strategy });
    previous = { x: at(x.points, shot.end_ms), y: at(y.points, shot.end_ms) };
  }
  return {
    aspect: input.aspect,
    source: input.source,
    crop: { width: r4(crop.width), height: r4(crop.height) },
    keyframes,
    shots: outShots,
  };
}
