/**
 * Per-frame features from tiny RGB frames, streaming: keeps only the last three luma/chroma planes. Everything is
 * integer-friendly arithmetic over ~2-3k pixels, so a frame costs well under a millisecond; the decode dominates.
 */
import { FINE_H, FINE_W, HIST_BINS, SIG_H, SIG_W, type FrameFeatures } from './types.js';

export interface FrameFeatureExtractorOptions {
  width: number;
  height: number;
  /** Global-motion search radius in tiny-frame pixels (4 px of 64 = 6 % of the width per frame). */
  searchRadius?: number;
}

export interface FrameFeatureExtractor {
  push(frame: { index: number; ptsMs: number; data: Buffer | Uint8Array }): FrameFeatures;
}

interface Shift {
  sx: number;
  sy: number;
  cost: number;
}

interface Planes {
  y: Uint8Array;
  u: Uint8Array;
  v: Uint8Array;
}

/** Residual above this (0..255) counts as independent motion rather than codec noise. */
const RESIDUAL_NOISE = 8;
/** Block size and search radius (tiny-frame pixels) of the local-motion residual; per-pixel noise floor. */
const LOCAL_BLOCK = 8;
const LOCAL_RADIUS = 2;
const LOCAL_NOISE = 3;

export function createFrameFeatureExtractor({
  width,
  height,
  searchRadius = 4,
}: FrameFeatureExtractorOptions): FrameFeatureExtractor {
  const n = width * height;
  const r = Math.max(0, Math.min(searchRadius, Math.floor(Math.min(width, height) / 4)));
  const history: Planes[] = []; // newest last, at most 3
  let lastHist: Float32Array | undefined;
  /** Shifts found for the last frames (newest last): start points for the next searches. */
  const shifts: Shift[] = [];
  // Centre prior for saliency: a Gaussian with sigma = 30 % of each axis, precomputed.
  const prior = new Float32Array(n);
  for (let yy = 0; yy < height; yy++)
    for (let xx = 0; xx < width; xx++) {
      const fx = (xx + 0.5) / width - 0.5;
      const fy = (yy + 0.5) / height - 0.5;
      prior[yy * width + xx] = Math.exp(-(fx * fx + fy * fy) / (2 * 0.3 * 0.3));
    }

  // Cell of every pixel for each signature grid, precomputed.
  const cellMaps = new Map<number, { cell: Uint16Array; count: Uint32Array }>();
  function areaAverage(y: Uint8Array, gw: number, gh: number): Uint8Array {
    let map = cellMaps.get(gw * 65536 + gh);
    if (map === undefined) {
      const cell = new Uint16Array(n);
      const count = new Uint32Array(gw * gh);
      for (let yy = 0; yy < height; yy++) {
        const gy = Math.min(gh - 1, Math.floor((yy * gh) / height));
        for (let xx = 0; xx < width; xx++) {
          const gx = Math.min(gw - 1, Math.floor((xx * gw) / width));
          cell[yy * width + xx] = gy * gw + gx;
          count[gy * gw + gx]! += 1;
        }
      }
      map = { cell, count };
      cellMaps.set(gw * 65536 + gh, map);
    }
    const sum = new Uint32Array(gw * gh);
    for (let i = 0; i < n; i++) sum[map.cell[i]!]! += y[i]!;
    const out = new Uint8Array(gw * gh);
    for (let k = 0; k < out.length; k++) out[k] = map.count[k]! > 0 ? Math.round(sum[k]! / map.count[k]!) : 0;
    return out;
  }

  /** Mean |a - b| over the inner region with b shifted by (sx, sy): a(x, y) vs b(x - sx, y - sy). */
  function sad(a: Uint8Array, b: Uint8Array, sx: number, sy: number): number {
    let sum = 0;
    for (let yy = r; yy < height - r; yy++) {
      const rowA = yy * width;
      const rowB = (yy - sy) * width - sx;
      for (let xx = r; xx < width - r; xx++) {
        const d = a[rowA + xx]! - b[rowB + xx]!;
        sum += d < 0 ? -d : d;
      }
    }
    return sum / ((width - 2 * r) * (height - 2 * r));
  }

  const side = 2 * r + 1;
  const seen = new Float64Array(side * side);

  /**
   * Best shift of `ref` onto `cur` by descent on the 3x3 neighbourhood from the given start points (zero, the
   * last motion): ~15 SAD evaluations instead of the full (2r+1)^2 = 81. Tiny frames make the cost surface
   * smooth for camera motion; at a cut every shift is bad and which one wins does not matter. Zero wins
   * near-ties so static noise never reads as motion.
   */
  function bestShift(cur: Uint8Array, ref: Uint8Array, starts: Array<[number, number]>): Shift {
    const zero = sad(cur, ref, 0, 0);
    if (r === 0 || zero < 0.5) return { sx: 0, sy: 0, cost: zero };
    seen.fill(-1);
    const at = (sx: number, sy: number): number => {
      const k = (sy + r) * side + (sx + r);
      if (seen[k]! < 0) seen[k] = sad(cur, ref, sx, sy);
      return seen[k]!;
    };
    seen[r * side + r] = zero;
    let best: Shift = { sx: 0, sy: 0, cost: zero };
    for (const [x, y] of starts) {
      const sx = Math.max(-r, Math.min(r, x));
      const sy = Math.max(-r, Math.min(r, y));
      const c = at(sx, sy);
      if (c < best.cost) best = { sx, sy, cost: c };
    }
    for (;;) {
      let next = best;
      for (let oy = -1; oy <= 1; oy++)
        for (let ox = -1; ox <= 1; ox++) {
          const sx = best.sx + ox;
          const sy = best.sy + oy;
          if ((ox === 0 && oy === 0) || sx < -r || sx > r || sy < -r || sy > r) continue;
          const c = at(sx, sy);
          if (c < next.cost) next = { sx, sy, cost: c };
        }
      if (next === best) break;
      best = next;
    }
    if (best.cost > zero * 0.97) best = { sx: 0, sy: 0, cost: zero };
    return best;
  }

  /**
   * Mean residual (above LOCAL_NOISE) of LOCAL_BLOCK² blocks each matched at its own best shift within
   * ±LOCAL_RADIUS: people walking through a static shot are explained by their own small motion, a time jump
   * (jump cut) puts them somewhere the previous frame has nothing alike.
   */
  // Shifts of the block search, nearest first: zero, the ±1 ring, then the ±2 ring. A block whose residual is
  // already at the noise floor contributes nothing, so the search stops there — natural motion is small, and
  // most blocks of a static shot stop at the zero shift or the first ring (same result as the full search).
  const localShifts: Array<[number, number]> = [];
  for (let sy = -LOCAL_RADIUS; sy <= LOCAL_RADIUS; sy++)
    for (let sx = -LOCAL_RADIUS; sx <= LOCAL_RADIUS; sx++) localShifts.push([sx, sy]);
  localShifts.sort(
    (p, q) => Math.max(Math.abs(p[0]), Math.abs(p[1])) - Math.max(Math.abs(q[0]), Math.abs(q[1])),
  );
  const localOffsets = Int32Array.from(localShifts.map(([sx, sy]) => sy * width + sx));
  const floorSad = LOCAL_NOISE * LOCAL_BLOCK * LOCAL_BLOCK;

  /**
   * Mean residual (above LOCAL_NOISE) of LOCAL_BLOCK² blocks each matched at its own best shift within
   * ±LOCAL_RADIUS: people walking through a static shot are explained by their own small motion, a time jump
   * (jump cut) puts them somewhere the previous frame has nothing alike. Integer SAD; a shift stops adding rows
   * once it cannot beat the best so far, and a block stops searching once it is at the noise floor.
   */
  function localResidual(a: Uint8Array, b: Uint8Array): number {
    const R = LOCAL_RADIUS;
    let total = 0;
    let blocks = 0;
    for (let by = R; by + LOCAL_BLOCK <= height - R; by += LOCAL_BLOCK)
      for (let bx = R; bx + LOCAL_BLOCK <= width - R; bx += LOCAL_BLOCK) {
        let best = 0x7fffffff;
        for (let m = 0; m < localOffsets.length && best > floorSad; m++) {
          const off = localOffsets[m]!;
          let s = 0;
          for (let yy = by; yy < by + LOCAL_BLOCK && s < best; yy++) {
            const row = yy * width + bx;
            const end = row + LOCAL_BLOCK;
            const rowB = row - off;
            for (let i = row, j = rowB; i < end; i++, j++) {
              const d = a[i]! - b[j]!;
              s += d < 0 ? -d : d;
            }
          }
          if (s < best) best = s;
        }
        if (best > floorSad) total += best / (LOCAL_BLOCK * LOCAL_BLOCK) - LOCAL_NOISE;
        blocks++;
      }
    return blocks > 0 ? total / blocks : 0;
  }

  return {
    push({ index, ptsMs, data }) {
      if (data.length < n * 3) throw new RangeError(`frame ${index}: ${data.length} bytes < ${n * 3}`);
      const planes: Planes = { y: new Uint8Array(n), u: new Uint8Array(n), v: new Uint8Array(n) };
      const hist = new Float32Array(HIST_BINS * 3);
      const binShift = Math.log2(256 / HIST_BINS);
      let sumY = 0;
      let sumY2 = 0;
      let sumU = 0;
      let sumV = 0;
      for (let i = 0, p = 0; i < n; i++, p += 3) {
        const R = data[p]!;
        const G = data[p + 1]!;
        const B = data[p + 2]!;
        // BT.601 in 8-bit fixed point; chroma offset to 128.
        const Y = (77 * R + 150 * G + 29 * B) >> 8;
        const U = Math.max(0, Math.min(255, ((-43 * R - 85 * G + 128 * B) >> 8) + 128));
        const V = Math.max(0, Math.min(255, ((128 * R - 107 * G - 21 * B) >> 8) + 128));
        planes.y[i] = Y;
        planes.u[i] = U;
        planes.v[i] = V;
        hist[Y >> binShift]! += 1;
        hist[HIST_BINS + (U >> binShift)]! += 1;
        hist[2 * HIST_BINS + (V >> binShift)]! += 1;
        sumY += Y;
        sumY2 += Y * Y;
        sumU += U;
        sumV += V;
      }
      for (let k = 0; k < hist.length; k++) hist[k] = hist[k]! / n;
      const luma = sumY / n;
      const lumaStd = Math.sqrt(Math.max(0, sumY2 / n - luma * luma));
      const meanU = sumU / n;
      const meanV = sumV / n;

      // Spatial signatures (area averages).
      const sig = areaAverage(planes.y, SIG_W, SIG_H);
      const fine = areaAverage(planes.y, FINE_W, FINE_H);

      // Saliency proxy: contrast to the frame's mean colour, weighted by the centre prior.
      let sw = 0;
      let swx = 0;
      let swy = 0;
      for (let yy = 0; yy < height; yy++)
        for (let xx = 0; xx < width; xx++) {
          const i = yy * width + xx;
          const w =
            (Math.abs(planes.y[i]! - luma) +
              Math.abs(planes.u[i]! - meanU) +
              Math.abs(planes.v[i]! - meanV)) *
            prior[i]!;
          sw += w;
          swx += w * (xx + 0.5);
          swy += w * (yy + 0.5);
        }
      const saliencyCx = sw > 0 ? swx / sw / width : 0.5;
      const saliencyCy = sw > 0 ? swy / sw / height : 0.5;

      let diffY = 0;
      let diffC = 0;
      let histDist = 0;
      let dx = 0;
      let dy = 0;
      let motionCx = 0.5;
      let motionCy = 0.5;
      let motionEnergy = 0;
      let diffY2 = -1;
      let diffY3 = -1;
      let localRes = -1;
      const prev = history[history.length - 1];
      if (prev !== undefined) {
        const s1 = shifts[shifts.length - 1] ?? { sx: 0, sy: 0, cost: 0 };
        const shift = bestShift(planes.y, prev.y, [[s1.sx, s1.sy]]);
        diffY = shift.cost;
        dx = shift.sx / width;
        dy = shift.sy / height;
        // Chroma difference and residual centroid at the chosen shift.
        let sumC = 0;
        let mw = 0;
        let mwx = 0;
        let mwy = 0;
        for (let yy = r; yy < height - r; yy++) {
          const row = yy * width;
          const rowB = (yy - shift.sy) * width - shift.sx;
          for (let xx = r; xx < width - r; xx++) {
            sumC +=
              Math.abs(planes.u[row + xx]! - prev.u[rowB + xx]!) +
              Math.abs(planes.v[row + xx]! - prev.v[rowB + xx]!);
            const res = Math.abs(planes.y[row + xx]! - prev.y[rowB + xx]!) - RESIDUAL_NOISE;
            if (res > 0) {
              mw += res;
              mwx += res * (xx + 0.5);
              mwy += res * (yy + 0.5);
            }
          }
        }
        const inner = (width - 2 * r) * (height - 2 * r);
        diffC = sumC / (2 * inner);
        motionEnergy = mw / inner;
        if (mw > 0) {
          motionCx = mwx / mw / width;
          motionCy = mwy / mw / height;
        }
        let l1 = 0;
        const prevHist = lastHist ?? hist;
        for (let k = 0; k < hist.length; k++) l1 += Math.abs(hist[k]! - prevHist[k]!);
        histDist = l1 / 2 / 3;
        const older = history[history.length - 2];
        // Compare across 2 and 3 frames starting from the accumulated motion (a flash during a pan).
        if (older !== undefined)
          diffY2 = bestShift(planes.y, older.y, [[shift.sx + s1.sx, shift.sy + s1.sy]]).cost;
        const oldest = history[history.length - 3];
        const s2 = shifts[shifts.length - 2] ?? { sx: 0, sy: 0, cost: 0 };
        if (oldest !== undefined)
          diffY3 = bestShift(planes.y, oldest.y, [[shift.sx + s1.sx + s2.sx, shift.sy + s1.sy + s2.sy]]).cost;
        // Only static-camera frames that changed at all: jump cuts happen in static shots, and this keeps
        // the block search off most frames of moving footage (the analysis must stay close to decode-only).
        // The jump frame itself may find a spurious shift (every shift is bad there): a still previous frame
        // is enough.
        const still = (shift.sx === 0 && shift.sy === 0) || (s1.sx === 0 && s1.sy === 0);
        if (still) localRes = diffY >= 0.5 ? localResidual(planes.y, prev.y) : 0;
        shifts.push(shift);
        if (shifts.length > 2) shifts.shift();
      }
      history.push(planes);
      if (history.length > 3) history.shift();
      lastHist = hist;

      return {
        index,
        pts_ms: ptsMs,
        luma,
        luma_std: lumaStd,
        diff_y: diffY,
        diff_c: diffC,
        hist_dist: histDist,
        score: contentScore(diffY, diffC, histDist),
        diff_y2: diffY2,
        diff_y3: diffY3,
        local_residual: localRes,
        dx,
        dy,
        hist,
        sig,
        fine,
        motion_cx: motionCx,
        motion_cy: motionCy,
        motion_energy: motionEnergy,
        saliency_cx: saliencyCx,
        saliency_cy: saliencyCy,
      };
    },
  };
}

/**
 * The cut detector's content score: compensated luma change dominates (structure), chroma and the histogram
 * distance add colour changes that keep the same brightness layout. Scale roughly 0..100 like PySceneDetect's.
 */
export function contentScore(diffY: number, diffC: number, histDist: number): number {
  return diffY + 0.5 * diffC + 30 * histDist;
}
