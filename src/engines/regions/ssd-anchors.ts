/**
 * SSD anchor centres for MediaPipe's BlazeFace, following MediaPipe's SsdAnchorsCalculator: consecutive layers
 * with the same stride share one feature map, and each layer adds two anchors per cell (aspect ratio 1 plus the
 * interpolated scale). BlazeFace uses fixed_anchor_size, so an anchor is only a centre; the model's box sizes
 * are absolute (divided by the input size), not relative to an anchor size.
 *
 * The 256×256 "back" model: strides [16, 32, 32, 32] → a 16×16 grid with 2 anchors and an 8×8 grid with 6,
 * 896 anchors in the order the model's two output heads list them (row-major cells, anchors within a cell).
 */
import type { Point } from './types.js';

export interface SsdAnchorOptions {
  inputSize: number;
  strides: readonly number[];
  /** Where inside a cell the anchor sits; MediaPipe uses 0.5 (the cell centre). */
  offset?: number;
  /** Anchors each layer contributes per cell (2 for BlazeFace: aspect ratio 1 + interpolated scale). */
  anchorsPerLayer?: number;
}

export interface AnchorGrid {
  /** Cells per row/column of this feature map. */
  cells: number;
  anchorsPerCell: number;
}

export function ssdAnchorGrids(opts: SsdAnchorOptions): AnchorGrid[] {
  const perLayer = opts.anchorsPerLayer ?? 2;
  const grids: AnchorGrid[] = [];
  let i = 0;
  while (i < opts.strides.length) {
    const stride = opts.strides[i]!;
    let layers = 0;
    while (i < opts.strides.length && opts.strides[i] === stride) {
      layers += 1;
      i += 1;
    }
    grids.push({ cells: Math.ceil(opts.inputSize / stride), anchorsPerCell: layers * perLayer });
  }
  return grids;
}

export function ssdAnchors(opts: SsdAnchorOptions): Point[] {
  const offset = opts.offset ?? 0.5;
  const anchors: Point[] = [];
  for (const grid of ssdAnchorGrids(opts)) {
    for (let y = 0; y < grid.cells; y++) {
      for (let x = 0; x < grid.cells; x++) {
        for (let a = 0; a < grid.anchorsPerCell; a++) {
          anchors.push({ x: (x + offset) / grid.cells, y: (y + offset) / grid.cells });
        }
      }
    }
  }
  return anchors;
}

/** Anchors of the BlazeFace 256×256 back-camera model. */
export const BLAZEFACE_BACK_256_ANCHORS = { inputSize: 256, strides: [16, 32, 32, 32] } as const;
/** Anchors of the BlazeFace 128×128 front-camera model. */
export const BLAZEFACE_FRONT_128_ANCHORS = { inputSize: 128, strides: [8, 16, 16, 16] } as const;
