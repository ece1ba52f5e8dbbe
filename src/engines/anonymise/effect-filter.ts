/**
 * The filter chain that hides a face, applied to a copy of the whole frame before the mask cuts it to the
 * faces. Strength scales with the largest face, in pixels, so a distant face and a close-up are equally
 * unrecognisable. Blur and pixelate work on a downscaled copy: a Gaussian of sigma 40 px at 1080p costs far more
 * than the encode, while area-downscaling by d and blurring with sigma/d looks the same once scaled back.
 */
import { formatNumber } from '../../format.js';

export type AnonymiseMethod = 'blur' | 'pixelate' | 'box';
export type AnonymiseStrength = 'light' | 'medium' | 'strong';

export const ANONYMISE_METHODS: readonly AnonymiseMethod[] = ['blur', 'pixelate', 'box'];
export const ANONYMISE_STRENGTHS: readonly AnonymiseStrength[] = ['light', 'medium', 'strong'];

/** Blur sigma as a fraction of the face height. */
const BLUR_SIGMA: Record<AnonymiseStrength, number> = { light: 0.08, medium: 0.14, strong: 0.24 };
/** Pixel block side as a fraction of the face height (medium: ~8 blocks across a face). */
const PIXEL_BLOCK: Record<AnonymiseStrength, number> = { light: 0.08, medium: 0.12, strong: 0.2 };
/** Sigma left for gblur after downscaling: small enough to be cheap, large enough to hide the blocks. */
const REDUCED_SIGMA = 3;

export interface EffectFilterInput {
  method: AnonymiseMethod;
  strength: AnonymiseStrength;
  /** Frame size the chain receives and must return. */
  width: number;
  height: number;
  /** Height of the largest face in pixels. */
  faceHeightPx: number;
}

export interface EffectFilter {
  /** Comma-joined filters (no labels). */
  chain: string;
  /** The effective numbers, for artifact meta. */
  params: Record<string, number>;
}

function even(v: number): number {
  return Math.max(2, Math.round(v / 2) * 2);
}

export function effectFilter(p: EffectFilterInput): EffectFilter {
  const W = formatNumber(p.width);
  const H = formatNumber(p.height);
  if (p.method === 'box') {
    // Flat black in limited range (Y 16, neutral chroma).
    return { chain: 'lutyuv=y=16:u=128:v=128', params: {} };
  }
  if (p.method === 'pixelate') {
    const block = Math.max(4, Math.round(PIXEL_BLOCK[p.strength] * p.faceHeightPx));
    const w = Math.max(1, Math.ceil(p.width / block));
    const h = Math.max(1, Math.ceil(p.height / block));
    return {
      chain: `scale=${formatNumber(w)}:${formatNumber(h)}:flags=area,scale=${W}:${H}:flags=neighbor`,
      params: { block_px: block },
    };
  }
  const sigma = Math.max(2, BLUR_SIGMA[p.strength] * p.faceHeightPx);
  const d = Math.max(1, Math.floor(sigma / REDUCED_SIGMA));
  const chain =
    d === 1
      ? `gblur=sigma=${formatNumber(sigma, 3)}`
      : `scale=${formatNumber(even(p.width / d))}:${formatNumber(even(p.height / d))}:flags=area,` +
        `gblur=sigma=${formatNumber(sigma / d, 3)},scale=${W}:${H}:flags=bilinear`;
  return { chain, params: { sigma_px: Math.round(sigma * 100) / 100, downscale: d } };
}
