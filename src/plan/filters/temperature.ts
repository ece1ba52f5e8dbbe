import { formatNumber } from '../format.js';
import { staticNumber } from './param-text.js';
import type { FilterBuilder } from './types.js';

/** pl=1 keeps lightness, so a white-balance change does not also brighten or darken the picture. */
export const buildTemperature: FilterBuilder = (ctx) =>
  `colortemperature=temperature=${formatNumber(staticNumber(ctx, 'kelvin'))}:pl=1`;
