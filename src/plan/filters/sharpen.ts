import { formatNumber } from '../format.js';
import { staticNumber } from './param-text.js';
import type { FilterBuilder } from './types.js';

/** unsharp needs odd matrix sizes (3..23), hence radius -> 2r+1. Luma only: sharpening chroma adds colour fringes. */
export const buildSharpen: FilterBuilder = (ctx) => {
  const size = 2 * staticNumber(ctx, 'radius') + 1;
  return `unsharp=lx=${size}:ly=${size}:la=${formatNumber(staticNumber(ctx, 'amount'))}`;
};
