/**
 * Style presets as data: each is a stack of catalog filters with params, applied in order. A filter instance
 * `{type: 'style', params: {preset, intensity}}` expands to the stack (expand-style.ts). Kept free of imports
 * from the catalog so the catalog can list the preset ids without an import cycle.
 */
export interface StylePreset {
  id: string;
  label: string;
  description: string;
  filters: ReadonlyArray<{ type: string; params: Readonly<Record<string, number | boolean | string>> }>;
}

export const STYLE_PRESETS: readonly StylePreset[] = [
  {
    id: 'cinematic',
    label: 'Cinematic',
    description: 'Lower saturation, firmer contrast, slightly warm, soft vignette and fine grain.',
    filters: [
      { type: 'contrast', params: { value: 1.12 } },
      { type: 'saturation', params: { value: 0.85 } },
      { type: 'temperature', params: { kelvin: 5800 } },
      { type: 'vignette', params: { strength: 0.35 } },
      { type: 'film_grain', params: { strength: 5, temporal: true } },
    ],
  },
  {
    id: 'vlog',
    label: 'Vlog',
    description: 'Bright, lively colour with a touch of sharpening.',
    filters: [
      { type: 'brightness', params: { value: 0.04 } },
      { type: 'contrast', params: { value: 1.05 } },
      { type: 'saturation', params: { value: 1.15 } },
      { type: 'sharpen', params: { amount: 0.5, radius: 2 } },
    ],
  },
  {
    id: 'punchy',
    label: 'Punchy',
    description: 'Strong contrast and saturation, crisp detail.',
    filters: [
      { type: 'contrast', params: { value: 1.3 } },
      { type: 'saturation', params: { value: 1.4 } },
      { type: 'sharpen', params: { amount: 0.8, radius: 2 } },
    ],
  },
  {
    id: 'monochrome',
    label: 'Monochrome',
    description: 'Black and white with extra contrast.',
    filters: [
      { type: 'grayscale', params: { amount: 1 } },
      { type: 'contrast', params: { value: 1.2 } },
    ],
  },
  {
    id: 'vintage',
    label: 'Vintage',
    description: 'Faded sepia print: lifted blacks, grain and vignette.',
    filters: [
      { type: 'sepia', params: { amount: 0.6 } },
      { type: 'levels', params: { in_black: 0, in_white: 1, out_black: 0.06, out_white: 0.94 } },
      { type: 'film_grain', params: { strength: 12, temporal: true } },
      { type: 'vignette', params: { strength: 0.5 } },
    ],
  },
  {
    id: 'cool',
    label: 'Cool',
    description: 'Blue-ish white balance, slightly desaturated.',
    filters: [
      { type: 'temperature', params: { kelvin: 9000 } },
      { type: 'saturation', params: { value: 0.95 } },
    ],
  },
  {
    id: 'warm',
    label: 'Warm',
    description: 'Golden white balance, slightly richer colour.',
    filters: [
      { type: 'temperature', params: { kelvin: 4500 } },
      { type: 'saturation', params: { value: 1.08 } },
    ],
  },
];

export const STYLE_PRESET_IDS: readonly string[] = STYLE_PRESETS.map((p) => p.id);

export function stylePreset(id: string): StylePreset | undefined {
  return STYLE_PRESETS.find((p) => p.id === id);
}
