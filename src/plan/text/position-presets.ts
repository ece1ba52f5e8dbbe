/**
 * Where a text block sits: a position preset or `{x, y}` (the block's centre, 0..1 of the canvas) becomes an
 * anchor — a point plus which edge (or the centre) of the block is pinned to it. Presets keep a safe margin of
 * 5% of the canvas from the edges they touch.
 */
import type { TextLayer } from '../../timeline/index.js';

export const SAFE_MARGIN = 0.05;

export type HAnchor = 'left' | 'center' | 'right';
export type VAnchor = 'top' | 'center' | 'bottom';

export interface TextAnchor {
  h: HAnchor;
  v: VAnchor;
  /** Anchor point in canvas pixels. */
  x: number;
  y: number;
}

/** Presets as data (also served by GET /video/presets): anchor edges and the point in canvas fractions. */
export const POSITION_PRESETS = {
  center: { h: 'center', v: 'center', x: 0.5, y: 0.5, description: 'Centre of the frame.' },
  top: { h: 'center', v: 'top', x: 0.5, y: SAFE_MARGIN, description: 'Top centre, inside the safe margin.' },
  bottom: {
    h: 'center',
    v: 'bottom',
    x: 0.5,
    y: 1 - SAFE_MARGIN,
    description: 'Bottom centre, inside the safe margin.',
  },
  left: { h: 'left', v: 'center', x: SAFE_MARGIN, y: 0.5, description: 'Left edge, vertically centred.' },
  right: {
    h: 'right',
    v: 'center',
    x: 1 - SAFE_MARGIN,
    y: 0.5,
    description: 'Right edge, vertically centred.',
  },
  top_left: { h: 'left', v: 'top', x: SAFE_MARGIN, y: SAFE_MARGIN, description: 'Top-left corner.' },
  top_right: { h: 'right', v: 'top', x: 1 - SAFE_MARGIN, y: SAFE_MARGIN, description: 'Top-right corner.' },
  bottom_left: {
    h: 'left',
    v: 'bottom',
    x: SAFE_MARGIN,
    y: 1 - SAFE_MARGIN,
    description: 'Bottom-left corner.',
  },
  bottom_right: {
    h: 'right',
    v: 'bottom',
    x: 1 - SAFE_MARGIN,
    y: 1 - SAFE_MARGIN,
    description: 'Bottom-right corner.',
  },
  lower_third: {
    h: 'left',
    v: 'center',
    x: SAFE_MARGIN,
    y: 0.8,
    description: 'Name-title position: left margin, centred in the lower third (80% down).',
  },
} as const satisfies Record<
  Exclude<TextLayer['position'], { x: number }>,
  { h: HAnchor; v: VAnchor; x: number; y: number; description: string }
>;

export function textAnchor(options: {
  position: TextLayer['position'];
  width: number;
  height: number;
}): TextAnchor {
  const { position, width, height } = options;
  if (typeof position === 'string') {
    const p = POSITION_PRESETS[position];
    return { h: p.h, v: p.v, x: p.x * width, y: p.y * height };
  }
  return { h: 'center', v: 'center', x: position.x * width, y: position.y * height };
}
