/**
 * Builders of the region-aware filters: the chain run on the masked branch only (the planner splits the clip's
 * stream, runs this chain on one copy, alphamerges the region mask and overlays it back; see
 * src/plan/region-filters.ts). '' at the neutral value: the planner then skips the whole branch.
 */
import { formatNumber as n } from '../format.js';
import { staticNumber } from './param-text.js';
import type { FilterBuilder } from './types.js';

/**
 * boxblur with power 3 approximates a gaussian at a fraction of gblur's cost. ffmpeg caps the radius at half
 * the smaller side of each plane (chroma planes are half size in 4:2:0), so both radii are clamped.
 */
export const buildFaceBlur: FilterBuilder = (ctx) => {
  const s = staticNumber(ctx, 'strength');
  if (s <= 0) return '';
  const lumaMax = Math.max(1, Math.floor(Math.min(ctx.width, ctx.height) / 2) - 1);
  const chromaMax = Math.max(1, Math.floor(Math.min(ctx.width, ctx.height) / 4) - 1);
  const r = Math.min(lumaMax, Math.max(1, Math.round((s * ctx.height) / 24)));
  const cr = Math.min(chromaMax, Math.max(1, Math.floor(r / 2)));
  return `boxblur=luma_radius=${n(r)}:luma_power=3:chroma_radius=${n(cr)}:chroma_power=3`;
};

/** smartblur with a positive threshold blurs flat areas (skin) and leaves edges (eyes, lips, hair) sharp. */
export const buildSkinSmooth: FilterBuilder = (ctx) => {
  const a = staticNumber(ctx, 'amount');
  if (a <= 0) return '';
  return `smartblur=lr=${n(1 + 3 * a, 3)}:ls=${n(0.8 * a, 3)}:lt=${n(10, 3)}`;
};

/** Teeth read whiter when brighter and less yellow: lift luma, pull saturation down. */
export const buildTeethWhiten: FilterBuilder = (ctx) => {
  const a = staticNumber(ctx, 'amount');
  if (a <= 0) return '';
  return `eq=brightness=${n(0.08 * a, 4)}:saturation=${n(1 - 0.6 * a, 4)}`;
};

/** Eyes: a little contrast and colour, and luma-only sharpening (chroma sharpening adds fringes). */
export const buildEyeEnhance: FilterBuilder = (ctx) => {
  const a = staticNumber(ctx, 'amount');
  if (a <= 0) return '';
  return `eq=contrast=${n(1 + 0.25 * a, 4)}:saturation=${n(1 + 0.3 * a, 4)},unsharp=lx=5:ly=5:la=${n(1.2 * a, 4)}`;
};
