/**
 * Robust straight-line fit for offset-vs-time (clock drift): Theil–Sen (median of pairwise slopes) to find the
 * line despite a window that locked onto an echo, then ordinary least squares on the points near that line for
 * precision. Deterministic: medians, no random sampling.
 */
export interface LinePoint {
  x: number;
  y: number;
}

export interface LineFit {
  slope: number;
  intercept: number;
  /** Indices (into the input) of the points within `tolerance` of the robust line. */
  inliers: number[];
  /** Root-mean-square residual of the inliers against the final line. */
  rms: number;
}

function median(values: number[]): number {
  const s = [...values].sort((p, q) => p - q);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function fitLine({ points, tolerance }: { points: LinePoint[]; tolerance: number }): LineFit {
  if (points.length === 0) throw new Error('fitLine needs at least one point');
  if (points.length === 1) return { slope: 0, intercept: points[0]!.y, inliers: [0], rms: 0 };
  const slopes: number[] = [];
  for (let i = 0; i < points.length; i++) {
    for (let j = i + 1; j < points.length; j++) {
      const dx = points[j]!.x - points[i]!.x;
      if (dx !== 0) slopes.push((points[j]!.y - points[i]!.y) / dx);
    }
  }
  const robustSlope = slopes.length > 0 ? median(slopes) : 0;
  const robustIntercept = median(points.map((p) => p.y - robustSlope * p.x));
  const inliers = points
    .map((p, i) => ({ i, r: Math.abs(p.y - (robustIntercept + robustSlope * p.x)) }))
    .filter(({ r }) => r <= tolerance)
    .map(({ i }) => i);
  const used = inliers.map((i) => points[i]!);
  let slope = robustSlope;
  let intercept = robustIntercept;
  if (used.length >= 2) {
    const mx = used.reduce((s, p) => s + p.x, 0) / used.length;
    const my = used.reduce((s, p) => s + p.y, 0) / used.length;
    let sxx = 0;
    let sxy = 0;
    for (const p of used) {
      sxx += (p.x - mx) ** 2;
      sxy += (p.x - mx) * (p.y - my);
    }
    slope = sxx > 0 ? sxy / sxx : 0;
    intercept = my - slope * mx;
  } else if (used.length === 1) {
    intercept = used[0]!.y - slope * used[0]!.x;
  }
  const rms =
    used.length > 0
      ? Math.sqrt(used.reduce((s, p) => s + (p.y - (intercept + slope * p.x)) ** 2, 0) / used.length)
      : 0;
  return { slope, intercept, inliers, rms };
}
