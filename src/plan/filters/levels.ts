import { formatNumber } from '../format.js';
import { staticNumber } from './param-text.js';
import type { FilterBuilder } from './types.js';

/** The same points on R, G and B (colorlevels works per channel; a luma-only levels would shift saturation). */
export const buildLevels: FilterBuilder = (ctx) => {
  const v = (name: string): string => formatNumber(staticNumber(ctx, name));
  const [ib, iw, ob, ow] = [v('in_black'), v('in_white'), v('out_black'), v('out_white')];
  return (
    `colorlevels=rimin=${ib}:gimin=${ib}:bimin=${ib}:rimax=${iw}:gimax=${iw}:bimax=${iw}` +
    `:romin=${ob}:gomin=${ob}:bomin=${ob}:romax=${ow}:gomax=${ow}:bomax=${ow}`
  );
};
