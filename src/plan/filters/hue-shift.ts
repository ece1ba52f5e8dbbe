import { paramText } from './param-text.js';
import type { FilterBuilder } from './types.js';

/** `hue` evaluates h on every frame, so an animated rotation needs no extra option. */
export const buildHueShift: FilterBuilder = (ctx) => `hue=h=${paramText({ ctx, name: 'degrees' })}`;
