import { isAnimated, paramText } from './param-text.js';
import type { FilterBuilder } from './types.js';

/**
 * brightness / contrast / saturation / gamma through `eq`. eq evaluates its expressions once at init unless
 * `eval=frame`, so animated params switch to per-frame evaluation (only then: per-frame costs a re-evaluation).
 */
export function eqBuilder(option: 'brightness' | 'contrast' | 'saturation' | 'gamma'): FilterBuilder {
  return (ctx) => {
    const value = paramText({ ctx, name: 'value' });
    return `eq=${option}=${value}${isAnimated(ctx, 'value') ? ':eval=frame' : ''}`;
  };
}
