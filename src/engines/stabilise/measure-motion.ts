/**
 * Residual global motion of a video: for each pair of consecutive frames, the translation that best aligns
 * them: exhaustive block matching of downscaled gray frames (mean absolute difference, sub-pixel by a parabola
 * through the neighbouring costs) in a 3x3 grid of blocks, median over the blocks. Mean |dx|, |dy| per frame,
 * in pixels of the source, measures how much the camera still shakes; used by tests and bench/stabilise.ts
 * to compare a video before and after stabilisation. Translation only: rotation and zoom are not measured.
 */
import { readFrames } from '../../ffmpeg/index.js';

export interface MeasureMotionOptions {
  path: string;
  /** Size of the source (for converting back to source pixels). */
  sourceWidth: number;
  sourceHeight: number;
  /** Analysis size (default 160x120). */
  width?: number;
  height?: number;
  /** Largest shift searched, in analysis pixels (default 10). */
  radius?: number;
  startMs?: number;
  durationMs?: number;
  /** Fraction of each side left out of the comparison, so stabilisation borders do not count (default 0.1). */
  margin?: number;
  /** Half-width of the moving average for `jitter`, frames (default 15, vidstabtransform's default smoothing). */
  jitterWindow?: number;
}

export interface MotionStats {
  pairs: number;
  /** Mean |dx| and |dy| between consecutive frames, source pixels. */
  mean_abs_dx: number;
  mean_abs_dy: number;
  /** Mean length of the per-frame shift vector, source pixels. */
  mean_shift: number;
  /**
   * Shake: mean distance of the camera path (accumulated shifts) from its own moving average over
   * ±jitterWindow frames, source pixels. Intended pans and drifts are in the average, shake is not.
   */
  jitter: number;
}

interface Region {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

function cost(a: Buffer, b: Buffer, w: number, r: Region, dx: number, dy: number): number {
  // Every second pixel in both directions: 4x cheaper, same minimum on natural images.
  let sum = 0;
  let count = 0;
  for (let y = r.y0; y < r.y1; y += 2) {
    const ra = y * w;
    const rb = (y + dy) * w + dx;
    for (let x = r.x0; x < r.x1; x += 2) {
      sum += Math.abs(a[ra + x]! - b[rb + x]!);
      count++;
    }
  }
  return sum / count;
}

/** Sub-pixel offset of the minimum of a parabola through (-1, l), (0, c), (1, r). */
function parabola(l: number, c: number, r: number): number {
  const d = l - 2 * c + r;
  return d > 0 ? Math.max(-0.5, Math.min(0.5, (l - r) / (2 * d))) : 0;
}

function regionShift(a: Buffer, b: Buffer, w: number, region: Region, r: number): { dx: number; dy: number } {
  let best = Infinity;
  let bx = 0;
  let by = 0;
  const side = 2 * r + 1;
  const costs = new Float64Array(side * side);
  for (let dy = -r; dy <= r; dy++) {
    for (let dx = -r; dx <= r; dx++) {
      const c = cost(a, b, w, region, dx, dy);
      costs[(dy + r) * side + dx + r] = c;
      // Ties go to the smaller shift, so a flat picture reads as no motion.
      if (c < best - 1e-9 || (Math.abs(c - best) <= 1e-9 && dx * dx + dy * dy < bx * bx + by * by)) {
        best = c;
        bx = dx;
        by = dy;
      }
    }
  }
  const at = (dx: number, dy: number): number => costs[(dy + r) * side + dx + r]!;
  const fx = Math.abs(bx) < r ? parabola(at(bx - 1, by), best, at(bx + 1, by)) : 0;
  const fy = Math.abs(by) < r ? parabola(at(bx, by - 1), best, at(bx, by + 1)) : 0;
  return { dx: bx + fx, dy: by + fy };
}

function median(values: number[]): number {
  const s = [...values].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * The camera's shift between frames a and b: the median of the shifts of a 3x3 grid of blocks, so a subject
 * moving through part of the picture (a bird, a diver) does not count as camera motion. (dx, dy) is such that
 * b at (x + dx, y + dy) matches a at (x, y).
 */
export function bestShift(o: {
  a: Buffer;
  b: Buffer;
  width: number;
  height: number;
  radius: number;
  margin: number;
}): { dx: number; dy: number } {
  const { a, b, width: w, height: h, radius: r } = o;
  const mx = Math.max(r, Math.round(w * o.margin));
  const my = Math.max(r, Math.round(h * o.margin));
  const xs: number[] = [];
  const ys: number[] = [];
  const grid = 3;
  for (let gy = 0; gy < grid; gy++) {
    for (let gx = 0; gx < grid; gx++) {
      const region = {
        x0: mx + Math.floor(((w - 2 * mx) * gx) / grid),
        x1: mx + Math.floor(((w - 2 * mx) * (gx + 1)) / grid),
        y0: my + Math.floor(((h - 2 * my) * gy) / grid),
        y1: my + Math.floor(((h - 2 * my) * (gy + 1)) / grid),
      };
      const s = regionShift(a, b, w, region, r);
      xs.push(s.dx);
      ys.push(s.dy);
    }
  }
  return { dx: median(xs), dy: median(ys) };
}

export async function measureMotion(o: MeasureMotionOptions): Promise<MotionStats> {
  const width = o.width ?? 160;
  const height = o.height ?? 120;
  const radius = o.radius ?? 16;
  const margin = o.margin ?? 0.1;
  const sx = o.sourceWidth / width;
  const sy = o.sourceHeight / height;
  let prev: Buffer | undefined;
  let pairs = 0;
  let sumX = 0;
  let sumY = 0;
  let sumLen = 0;
  const path: Array<[number, number]> = [[0, 0]];
  for await (const frame of readFrames({
    path: o.path,
    width,
    height,
    pixFmt: 'gray',
    ...(o.startMs !== undefined ? { startMs: o.startMs } : {}),
    ...(o.durationMs !== undefined ? { durationMs: o.durationMs } : {}),
  })) {
    if (prev) {
      const s = bestShift({ a: prev, b: frame.data, width, height, radius, margin });
      const x = Math.abs(s.dx) * sx;
      const y = Math.abs(s.dy) * sy;
      sumX += x;
      sumY += y;
      sumLen += Math.hypot(x, y);
      const [px, py] = path[path.length - 1]!;
      path.push([px + s.dx * sx, py + s.dy * sy]);
      pairs++;
    }
    prev = frame.data;
  }
  const mean = (v: number): number => (pairs === 0 ? 0 : v / pairs);
  return {
    pairs,
    mean_abs_dx: mean(sumX),
    mean_abs_dy: mean(sumY),
    mean_shift: mean(sumLen),
    jitter: pathJitter(path, o.jitterWindow ?? 15),
  };
}

function pathJitter(path: Array<[number, number]>, window: number): number {
  if (path.length < 2) return 0;
  let sum = 0;
  for (let i = 0; i < path.length; i++) {
    const lo = Math.max(0, i - window);
    const hi = Math.min(path.length - 1, i + window);
    let ax = 0;
    let ay = 0;
    for (let j = lo; j <= hi; j++) {
      ax += path[j]![0];
      ay += path[j]![1];
    }
    const n = hi - lo + 1;
    sum += Math.hypot(path[i]![0] - ax / n, path[i]![1] - ay / n);
  }
  return sum / path.length;
}
