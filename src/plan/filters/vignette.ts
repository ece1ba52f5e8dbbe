import { isAnimated, paramText } from './param-text.js';
import type { FilterBuilder } from './types.js';

/** vignette's angle spans 0..π/2; like eq it evaluates once unless eval=frame. */
export const buildVignette: FilterBuilder = (ctx) => {
  const angle = paramText({ ctx, name: 'strength', factor: Math.PI / 2 });
  return `vignette=angle=${angle}${isAnimated(ctx, 'strength') ? ':eval=frame' : ''}`;
};
