/** Filter type -> builder. Every catalog type except `style` (expanded before building) has one. */
import { buildBloom } from './bloom.js';
import { buildBlur } from './blur.js';
import { buildChromaKey } from './chroma-key.js';
import { colorMixerBuilder } from './color-mixer.js';
import { eqBuilder } from './eq.js';
import { fadeBuilder } from './fade.js';
import { buildFilmGrain } from './film-grain.js';
import { buildHueShift } from './hue-shift.js';
import { buildLevels } from './levels.js';
import { buildLut } from './lut.js';
import { buildEyeEnhance, buildFaceBlur, buildSkinSmooth, buildTeethWhiten } from './region-aware.js';
import { buildSharpen } from './sharpen.js';
import { buildTemperature } from './temperature.js';
import type { FilterBuilder } from './types.js';
import { buildVignette } from './vignette.js';

export const FILTER_BUILDERS: Readonly<Record<string, FilterBuilder>> = {
  brightness: eqBuilder('brightness'),
  contrast: eqBuilder('contrast'),
  saturation: eqBuilder('saturation'),
  gamma: eqBuilder('gamma'),
  hue_shift: buildHueShift,
  temperature: buildTemperature,
  sharpen: buildSharpen,
  blur: buildBlur,
  vignette: buildVignette,
  film_grain: buildFilmGrain,
  bloom: buildBloom,
  levels: buildLevels,
  chroma_key: buildChromaKey,
  lut: buildLut,
  grayscale: colorMixerBuilder('grayscale'),
  sepia: colorMixerBuilder('sepia'),
  fade_in: fadeBuilder('in'),
  fade_out: fadeBuilder('out'),
  // Region-aware: the chain of the masked branch (compileFilterChain returns these apart).
  face_blur: buildFaceBlur,
  skin_smooth: buildSkinSmooth,
  teeth_whiten: buildTeethWhiten,
  eye_enhance: buildEyeEnhance,
};
