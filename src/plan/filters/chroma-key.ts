import { formatNumber } from '../format.js';
import { ffmpegColor } from './ffmpeg-color.js';
import { staticNumber, staticValue } from './param-text.js';
import type { FilterBuilder } from './types.js';

/**
 * chromakey writes the key into the alpha plane, so the stream is converted to yuva444p first (full chroma
 * resolution keeps the key edge clean). The alpha survives only if the rest of the chain and the compositor keep
 * an alpha format: put chroma_key last in the chain and use it on an overlay track.
 */
export const buildChromaKey: FilterBuilder = (ctx) => {
  const color = ffmpegColor(String(staticValue(ctx, 'color')), { alpha: false });
  return (
    `format=yuva444p,chromakey=color=${color}` +
    `:similarity=${formatNumber(staticNumber(ctx, 'similarity'))}:blend=${formatNumber(staticNumber(ctx, 'blend'))}`
  );
};
