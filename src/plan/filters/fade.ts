import { formatNumber } from '../format.js';
import { ffmpegColor } from './ffmpeg-color.js';
import { staticNumber, staticValue } from './param-text.js';
import type { FilterBuilder } from './types.js';

/**
 * fade with st/d in seconds (clip-relative pts). A zero duration yields no filter: fade treats d=0 as
 * "use nb_frames" (25 frames), which is not what 0 ms means.
 */
export function fadeBuilder(direction: 'in' | 'out'): FilterBuilder {
  return (ctx) => {
    const durationMs = Math.min(staticNumber(ctx, 'duration_ms'), ctx.durationMs);
    if (durationMs <= 0) return '';
    const startMs = direction === 'in' ? 0 : ctx.durationMs - durationMs;
    const color = ffmpegColor(String(staticValue(ctx, 'color')), { alpha: false });
    return `fade=t=${direction}:st=${formatNumber(startMs / 1000)}:d=${formatNumber(durationMs / 1000)}:color=${color}`;
  };
}
