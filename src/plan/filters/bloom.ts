import { formatNumber, label } from '../format.js';
import { staticNumber } from './param-text.js';
import type { FilterBuilder } from './types.js';

/**
 * Bloom: split; keep only what is above `threshold` (colorlevels maps [threshold,1] to [0,1], the rest to
 * black); blur it; screen-blend it back at `intensity`. Done in planar RGB (gbrp) because blend modes work per
 * plane and screen on YUV chroma planes would shift colours. Radius is given at 1080p and scaled to the output.
 */
export const buildBloom: FilterBuilder = (ctx) => {
  const a = label(ctx.uid, 'base');
  const b = label(ctx.uid, 'hi');
  const c = label(ctx.uid, 'glow');
  const t = formatNumber(staticNumber(ctx, 'threshold'));
  const sigma = formatNumber((staticNumber(ctx, 'radius') * ctx.height) / 1080);
  const opacity = formatNumber(staticNumber(ctx, 'intensity'));
  return (
    `format=gbrp,split${a}${b};` +
    `${b}colorlevels=rimin=${t}:gimin=${t}:bimin=${t},gblur=sigma=${sigma}${c};` +
    `${a}${c}blend=all_mode=screen:all_opacity=${opacity}`
  );
};
