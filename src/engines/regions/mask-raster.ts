/**
 * Mask frames drawn in Node at low resolution: white feathered ellipses on black, one gray byte per pixel.
 * ffmpeg scales them up to the video size (bilinear), which also softens the edges further. Drawing costs only
 * the ellipses' bounding boxes, so a 60 s 1080p30 mask is ~50 ms of JavaScript; ffmpeg has no ellipse filter
 * and `geq` with hundreds of piecewise-linear keyframes per track would be far slower and hit expression
 * nesting limits.
 */
import type { FaceAtFrame } from './boxes-at-frame.js';
import type { Box, RegionName } from './types.js';

/** Largest mask raster width: faces smaller than ~1/40 of the frame still get ≥ 8 px, files stay small. */
export const MASK_RASTER_MAX_WIDTH = 320;

/** The face box is tight (brows to chin); the ellipse is widened so hair line, ears and chin are covered. */
const REGION_EXPAND: Record<RegionName, number> = { face: 1.25, eyes: 1.1, mouth: 1.15 };

export interface MaskRasterSize {
  width: number;
  height: number;
}

/** Mask raster size for a frame size: at most MASK_RASTER_MAX_WIDTH wide, same aspect, even, ≥ 2. */
export function maskRasterSize({ width, height }: MaskRasterSize): MaskRasterSize {
  const w = Math.min(MASK_RASTER_MAX_WIDTH, width);
  const even = (v: number): number => Math.max(2, Math.round(v / 2) * 2);
  return { width: even(w), height: even((height * w) / width) };
}

export interface DrawMaskFrameOptions {
  /** width * height bytes; cleared, then drawn into. */
  data: Buffer;
  width: number;
  height: number;
  faces: readonly FaceAtFrame[];
  include: readonly RegionName[];
  /** Soft edge as a fraction of the ellipse radius beyond it (0 = hard edge). */
  feather: number;
}

/** Boxes of `include` regions of the faces, in frame fractions. */
export function maskBoxes(
  faces: readonly FaceAtFrame[],
  include: readonly RegionName[],
): { box: Box; region: RegionName }[] {
  const out: { box: Box; region: RegionName }[] = [];
  for (const f of faces) {
    for (const region of include) {
      const box = f.regions[region];
      if (box && box.w > 0 && box.h > 0) out.push({ box, region });
    }
  }
  return out;
}

export function drawMaskFrame(opts: DrawMaskFrameOptions): void {
  const { data, width, height, feather } = opts;
  data.fill(0);
  for (const { box, region } of maskBoxes(opts.faces, opts.include)) {
    const k = REGION_EXPAND[region];
    const cx = (box.x + box.w / 2) * width;
    const cy = (box.y + box.h / 2) * height;
    const rx = Math.max(0.5, (box.w * width * k) / 2);
    const ry = Math.max(0.5, (box.h * height * k) / 2);
    const outer = 1 + feather;
    const x0 = Math.max(0, Math.floor(cx - rx * outer));
    const x1 = Math.min(width - 1, Math.ceil(cx + rx * outer));
    const y0 = Math.max(0, Math.floor(cy - ry * outer));
    const y1 = Math.min(height - 1, Math.ceil(cy + ry * outer));
    for (let y = y0; y <= y1; y++) {
      const dy = (y + 0.5 - cy) / ry;
      const row = y * width;
      for (let x = x0; x <= x1; x++) {
        const dx = (x + 0.5 - cx) / rx;
        const r = Math.sqrt(dx * dx + dy * dy);
        let v: number;
        if (r <= 1) v = 255;
        else if (r >= outer || feather <= 0) continue;
        else {
          // Smoothstep from the ellipse edge to the feather's end: no visible ring where the ramp starts.
          const s = 1 - (r - 1) / feather;
          v = Math.round(255 * s * s * (3 - 2 * s));
        }
        if (v > data[row + x]!) data[row + x] = v;
      }
    }
  }
}
