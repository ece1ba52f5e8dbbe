import { formatNumber } from '../format.js';
import { staticNumber, staticValue } from './param-text.js';
import type { FilterBuilder } from './types.js';

/**
 * noise's default seed is random per run; a fixed seed keeps renders identical byte for byte (determinism).
 * Flags: u = uniform noise, t = temporal (new noise every frame).
 */
export const buildFilmGrain: FilterBuilder = (ctx) => {
  const flags = staticValue(ctx, 'temporal') === true ? 't+u' : 'u';
  return `noise=all_seed=20231:alls=${formatNumber(staticNumber(ctx, 'strength'))}:allf=${flags}`;
};
