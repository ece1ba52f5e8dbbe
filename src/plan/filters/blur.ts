import { escapeFilterValue, formatNumber } from '../format.js';
import { isAnimated, paramText } from './param-text.js';
import type { FilterBuilder } from './types.js';

/**
 * gblur's sigma is a plain float, not an expression, but it accepts runtime commands. An animated sigma is
 * sent on every frame by `sendcmd` with the `[expr]` flag (T = frame time) to this instance (`gblur@uid`;
 * instance names are graph-wide, hence the unique uid). The instance starts at a non-zero sigma because
 * ffmpeg 5.1's gblur initialised with sigma=0 ignores later sigma commands (measured: output stays flat).
 */
export const buildBlur: FilterBuilder = (ctx) => {
  if (!isAnimated(ctx, 'sigma')) return `gblur=sigma=${paramText({ ctx, name: 'sigma' })}`;
  const instance = `gblur@${ctx.uid}`;
  const expr = paramText({ ctx, name: 'sigma', timeVar: 'T', escape: false });
  const endSeconds = Math.ceil(ctx.durationMs / 1000) + 1;
  // av_get_token quoting keeps the expression's commas inside the command argument.
  const commands = `0-${formatNumber(endSeconds)} [expr] ${instance} sigma '${expr}'`;
  return `sendcmd=c=${escapeFilterValue(commands)},${instance}=sigma=0.5`;
};
