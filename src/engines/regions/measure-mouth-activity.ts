/**
 * Visual speech activity: how much each tracked face's mouth changes shape from frame to frame.
 *
 * Frames are decoded as small grey images at `fps`; for every face the summary has at a frame (boxes
 * interpolated between its samples, so the box follows the head), the mouth sub-region is compared with the
 * same track's mouth region one frame earlier. The comparison is the smallest mean absolute difference over
 * shifts of ±SEARCH_PX: a translation of the head or the camera (which the interpolated box follows only
 * roughly) is searched away, what remains is the mouth opening, closing and changing shape. The same residual
 * is measured on the eyes region (blinks and small head turns) and subtracted, so a head turn or a zoom that
 * changes the whole face does not read as talking. Units: grey levels (0..255) per pixel.
 *
 * Deliberately not here: lip reading, audio-visual synchrony, or any learned model — only "is this mouth
 * moving", which is what separates the person talking from the person listening.
 */
import { readFrames } from '../../ffmpeg/frames.js';
import { boxesAtFrame } from './boxes-at-frame.js';
import { faceRegions } from './sub-regions.js';
import type { Box, RegionSummary } from './types.js';

/** Bump when the measure changes for the same inputs. */
export const MOUTH_ACTIVITY_VERSION = 'mouth-activity-1';

/** Translation searched away between consecutive frames, analysis pixels. */
const SEARCH_PX = 2;
/** Analysis frame width; a mouth in a medium shot is still ~20 px wide at this size. */
const ANALYSIS_WIDTH = 320;
/** Mouth patches smaller than this (analysis px, either side) are too coarse to measure. */
const MIN_PATCH_PX = 6;

export interface MouthActivitySample {
  t_ms: number;
  /** Per track present with a mouth region: residual mouth change minus eyes change, grey levels, ≥ 0. */
  faces: Array<{ track_id: string; activity: number }>;
}

export interface MouthActivity {
  version: string;
  fps: number;
  samples: MouthActivitySample[];
}

export interface MeasureMouthActivityOptions {
  path: string;
  summary: RegionSummary;
  /** Analysis rate; default 10 frames per second. */
  fps?: number;
  signal?: AbortSignal;
}

interface Patch {
  x: number;
  y: number;
  w: number;
  h: number;
}

function toPatch(b: Box, width: number, height: number): Patch | undefined {
  const x = Math.round(b.x * width);
  const y = Math.round(b.y * height);
  const w = Math.min(width - x, Math.round(b.w * width));
  const h = Math.min(height - y, Math.round(b.h * height));
  if (w < MIN_PATCH_PX || h < MIN_PATCH_PX) return undefined;
  return { x, y, w, h };
}

/**
 * Smallest mean |cur(p) − prev(q + s)| over shifts s in ±SEARCH_PX, where p runs over the current patch and q
 * over the previous frame's patch of the same track (its size may differ by a pixel: the overlap is used).
 * Shifts that leave the frame are skipped.
 */
export function residualChange(
  cur: Uint8Array,
  prev: Uint8Array,
  width: number,
  height: number,
  a: Patch,
  b: Patch,
): number {
  const w = Math.min(a.w, b.w);
  const h = Math.min(a.h, b.h);
  let best = Infinity;
  for (let sy = -SEARCH_PX; sy <= SEARCH_PX; sy++) {
    for (let sx = -SEARCH_PX; sx <= SEARCH_PX; sx++) {
      const bx = b.x + sx;
      const by = b.y + sy;
      if (bx < 0 || by < 0 || bx + w > width || by + h > height) continue;
      let sum = 0;
      for (let yy = 0; yy < h; yy++) {
        const ra = (a.y + yy) * width + a.x;
        const rb = (by + yy) * width + bx;
        for (let xx = 0; xx < w; xx++) {
          const d = cur[ra + xx]! - prev[rb + xx]!;
          sum += d < 0 ? -d : d;
        }
      }
      const mean = sum / (w * h);
      if (mean < best) best = mean;
    }
  }
  return best === Infinity ? 0 : best;
}

/** The summary with mouth and eyes regions on every face (derived from its keypoints where not analysed). */
function withMouthRegions(summary: RegionSummary): RegionSummary {
  return {
    ...summary,
    samples: summary.samples.map((s) => ({
      ...s,
      faces: s.faces.map((f) =>
        f.regions.mouth && f.regions.eyes
          ? f
          : {
              ...f,
              regions: faceRegions({
                box: f.box,
                keypoints: f.keypoints,
                width: summary.width,
                height: summary.height,
                include: ['face', 'eyes', 'mouth'],
              }),
            },
      ),
    })),
  };
}

export async function measureMouthActivity(opts: MeasureMouthActivityOptions): Promise<MouthActivity> {
  const summary = withMouthRegions(opts.summary);
  const fps = opts.fps ?? 10;
  const width = Math.min(ANALYSIS_WIDTH, Math.max(2, Math.round(summary.width / 2) * 2));
  const height = Math.max(2, Math.round((summary.height * width) / summary.width / 2) * 2);
  const samples: MouthActivitySample[] = [];
  let prev: { data: Uint8Array; t: number } | undefined;
  for await (const frame of readFrames({
    path: opts.path,
    width,
    height,
    pixFmt: 'gray',
    fps,
    scaleFlags: 'area',
    ...(opts.signal ? { signal: opts.signal } : {}),
  })) {
    const t = frame.ptsMs;
    const data = new Uint8Array(frame.data.buffer, frame.data.byteOffset, frame.data.byteLength);
    const faces: MouthActivitySample['faces'] = [];
    if (prev) {
      const before = new Map(boxesAtFrame(summary, { tMs: prev.t }).map((f) => [f.track_id, f]));
      for (const f of boxesAtFrame(summary, { tMs: t })) {
        const p = before.get(f.track_id);
        if (!p || !f.regions.mouth || !p.regions.mouth) continue;
        const ma = toPatch(f.regions.mouth, width, height);
        const mb = toPatch(p.regions.mouth, width, height);
        if (!ma || !mb) continue;
        let activity = residualChange(data, prev.data, width, height, ma, mb);
        const ea = f.regions.eyes && toPatch(f.regions.eyes, width, height);
        const eb = p.regions.eyes && toPatch(p.regions.eyes, width, height);
        if (ea && eb) activity -= residualChange(data, prev.data, width, height, ea, eb);
        faces.push({ track_id: f.track_id, activity: Math.round(Math.max(0, activity) * 1000) / 1000 });
      }
    }
    samples.push({ t_ms: t, faces });
    prev = { data: Uint8Array.from(data), t };
  }
  return { version: MOUTH_ACTIVITY_VERSION, fps, samples };
}
