/**
 * The filter catalog as data: one descriptor per filter type. The same descriptors drive param validation
 * (resolve-filter-params.ts), the compiler (compile-filter-chain.ts) and GET /video/presets (presets.ts).
 *
 * Validation policy (one rule for every filter):
 * - A number/int outside [min, max] is CLAMPED to the range, with a warning `PARAM_CLAMPED {path, message}`
 *   (keyframe values of automated params too, each with its keyframe path).
 * - A value of the wrong type, a non-integer for an int, an unknown param, an enum value not in `values`,
 *   a malformed colour, a missing required param, automation of a non-animatable or unknown param, or an
 *   unresolved LUT reference is an error: one `INVALID_PARAM` listing every problem with its full path in
 *   `details.issues`.
 * - An unknown filter type is `UNKNOWN_FILTER` with `details.valid` (every type, including `style`).
 *
 * `neutral` is the value at which a filter does nothing; style presets scale toward it with `intensity`.
 */
import type { FilterDescriptor, ParamDescriptor } from './types.js';
import { STYLE_PRESET_IDS } from './style-presets.js';

function num(p: Omit<ParamDescriptor, 'type'>): ParamDescriptor {
  return { type: 'number', ...p };
}

const amount01 = (description: string): ParamDescriptor =>
  num({ min: 0, max: 1, default: 1, neutral: 0, animatable: false, description });

export const FILTER_DESCRIPTORS: readonly FilterDescriptor[] = [
  {
    type: 'brightness',
    label: 'Brightness',
    description: 'Adds to the luma (eq brightness).',
    tags: ['color', 'basic'],
    params: {
      value: num({
        min: -1,
        max: 1,
        default: 0,
        neutral: 0,
        animatable: true,
        description: '-1 black … 0 unchanged … +1 white',
      }),
    },
  },
  {
    type: 'contrast',
    label: 'Contrast',
    description: 'Scales luma around mid-grey (eq contrast).',
    tags: ['color', 'basic'],
    params: {
      value: num({ min: 0, max: 3, default: 1, neutral: 1, animatable: true, description: '1 = unchanged' }),
    },
  },
  {
    type: 'saturation',
    label: 'Saturation',
    description: 'Scales chroma (eq saturation); 0 = greyscale.',
    tags: ['color', 'basic'],
    params: {
      value: num({ min: 0, max: 3, default: 1, neutral: 1, animatable: true, description: '1 = unchanged' }),
    },
  },
  {
    type: 'gamma',
    label: 'Gamma',
    description: 'Gamma curve on luma (eq gamma); > 1 brightens mid-tones.',
    tags: ['color'],
    params: {
      value: num({
        min: 0.1,
        max: 10,
        default: 1,
        neutral: 1,
        animatable: true,
        description: '1 = unchanged',
      }),
    },
  },
  {
    type: 'hue_shift',
    label: 'Hue shift',
    description: 'Rotates every hue (hue h).',
    tags: ['color'],
    params: {
      degrees: num({
        min: -180,
        max: 180,
        default: 0,
        neutral: 0,
        animatable: true,
        unit: 'deg',
        description: 'rotation of the colour wheel',
      }),
    },
  },
  {
    type: 'temperature',
    label: 'Temperature',
    description:
      'White balance toward warm (low kelvin) or cool (high kelvin), lightness preserved (colortemperature).',
    tags: ['color'],
    params: {
      kelvin: num({
        min: 1000,
        max: 40000,
        default: 6500,
        neutral: 6500,
        animatable: false,
        unit: 'K',
        description: '6500 = neutral daylight',
      }),
    },
  },
  {
    type: 'sharpen',
    label: 'Sharpen',
    description: 'Unsharp mask on luma (unsharp).',
    tags: ['detail'],
    params: {
      amount: num({
        min: 0,
        max: 3,
        default: 1,
        neutral: 0,
        animatable: false,
        description: 'strength; 0 = none',
      }),
      radius: {
        type: 'int',
        min: 1,
        max: 6,
        default: 2,
        animatable: false,
        unit: 'px',
        description: 'matrix size is 2·radius+1',
      },
    },
  },
  {
    type: 'blur',
    label: 'Blur',
    description: 'Gaussian blur (gblur); animated sigma is driven per frame through sendcmd.',
    tags: ['detail'],
    params: {
      sigma: num({
        min: 0,
        max: 50,
        default: 5,
        neutral: 0,
        animatable: true,
        unit: 'px',
        description: 'standard deviation in output pixels',
      }),
    },
  },
  {
    type: 'vignette',
    label: 'Vignette',
    description: 'Darkens the corners (vignette angle = strength·π/2).',
    tags: ['look'],
    params: {
      strength: num({
        min: 0,
        max: 1,
        default: 0.5,
        neutral: 0,
        animatable: true,
        description: '0 = none, 1 = strongest',
      }),
    },
  },
  {
    type: 'film_grain',
    label: 'Film grain',
    description: 'Uniform noise on all planes (noise alls); temporal = changes every frame.',
    tags: ['look'],
    params: {
      strength: {
        type: 'int',
        min: 0,
        max: 100,
        default: 15,
        neutral: 0,
        animatable: false,
        description: 'noise amplitude',
      },
      temporal: { type: 'boolean', default: true, animatable: false, description: 'new grain every frame' },
    },
  },
  {
    type: 'bloom',
    label: 'Bloom',
    description: 'Glow around highlights: pixels above threshold are blurred and screen-blended back.',
    tags: ['look'],
    params: {
      threshold: num({
        min: 0,
        max: 0.95,
        default: 0.7,
        animatable: false,
        description: 'only brighter parts glow',
      }),
      radius: num({
        min: 1,
        max: 50,
        default: 10,
        animatable: false,
        unit: 'px@1080p',
        description: 'glow blur, scaled with output height',
      }),
      intensity: num({
        min: 0,
        max: 1,
        default: 0.5,
        neutral: 0,
        animatable: false,
        description: 'opacity of the glow',
      }),
    },
  },
  {
    type: 'levels',
    label: 'Levels',
    description: 'Input black/white points mapped to output black/white points (colorlevels).',
    tags: ['color'],
    params: {
      in_black: num({
        min: 0,
        max: 1,
        default: 0,
        neutral: 0,
        animatable: false,
        description: 'input black point',
      }),
      in_white: num({
        min: 0,
        max: 1,
        default: 1,
        neutral: 1,
        animatable: false,
        description: 'input white point (> in_black)',
      }),
      out_black: num({
        min: 0,
        max: 1,
        default: 0,
        neutral: 0,
        animatable: false,
        description: 'output black point',
      }),
      out_white: num({
        min: 0,
        max: 1,
        default: 1,
        neutral: 1,
        animatable: false,
        description: 'output white point',
      }),
    },
  },
  {
    type: 'chroma_key',
    label: 'Chroma key',
    description:
      'Makes pixels near a colour transparent (chromakey to alpha). The clip then carries transparency: use it on an overlay track so the tracks below show through.',
    tags: ['key', 'compositing'],
    params: {
      color: {
        type: 'color',
        default: '#00FF00',
        animatable: false,
        description: 'key colour #RRGGBB (alpha ignored)',
      },
      similarity: num({
        min: 0.01,
        max: 1,
        default: 0.15,
        animatable: false,
        description: 'how close to the key colour counts as key',
      }),
      blend: num({ min: 0, max: 1, default: 0.05, animatable: false, description: 'soft edge width' }),
    },
  },
  {
    type: 'lut',
    label: 'LUT',
    description: 'Applies a 3D LUT (.cube) given as artifact:{id} or a storage path (lut3d).',
    tags: ['color', 'look'],
    params: {
      file: {
        type: 'string',
        animatable: false,
        description: 'artifact:{id} or a storage-relative path of a .cube file',
      },
      region: {
        type: 'boolean',
        default: false,
        animatable: false,
        description: 'true = apply inside the face-region mask only (a mask artifact of the clip asset)',
      },
    },
  },
  {
    type: 'grayscale',
    label: 'Grayscale',
    description: 'Mixes toward Rec.601 luma greyscale (colorchannelmixer).',
    tags: ['color', 'look'],
    params: { amount: amount01('0 = colour, 1 = fully grey') },
  },
  {
    type: 'sepia',
    label: 'Sepia',
    description: 'Mixes toward a sepia tone (colorchannelmixer).',
    tags: ['color', 'look'],
    params: { amount: amount01('0 = unchanged, 1 = full sepia') },
  },
  {
    type: 'fade_in',
    label: 'Fade in',
    description: 'Fades the clip in from a colour at its start (fade).',
    tags: ['fade'],
    params: {
      duration_ms: {
        type: 'int',
        min: 0,
        max: 10000,
        default: 500,
        neutral: 0,
        animatable: false,
        unit: 'ms',
        description: 'clamped to the clip length',
      },
      color: { type: 'color', default: '#000000', animatable: false, description: 'fade colour' },
    },
  },
  {
    type: 'fade_out',
    label: 'Fade out',
    description: 'Fades the clip out to a colour at its end (fade).',
    tags: ['fade'],
    params: {
      duration_ms: {
        type: 'int',
        min: 0,
        max: 10000,
        default: 500,
        neutral: 0,
        animatable: false,
        unit: 'ms',
        description: 'clamped to the clip length',
      },
      color: { type: 'color', default: '#000000', animatable: false, description: 'fade colour' },
    },
  },
  // Region-aware filters: applied only inside a face-region mask (a `mask` artifact of the clip's asset). The
  // planner splits the clip's stream, runs the filter on one branch, alphamerges the mask and overlays it back;
  // without a mask the filter is skipped with a REGIONS_MISSING warning (see src/plan/region-filters.ts).
  {
    type: 'face_blur',
    label: 'Face blur',
    description: 'Blurs the masked face regions (anonymising); needs a mask artifact of the clip asset.',
    tags: ['region', 'privacy'],
    region_aware: true,
    params: {
      strength: num({
        min: 0,
        max: 1,
        default: 0.6,
        neutral: 0,
        animatable: false,
        description: 'blur radius as a share of 1/12 of the picture height (1 = unrecognisable)',
      }),
    },
  },
  {
    type: 'skin_smooth',
    label: 'Skin smoothing',
    description: 'Smooths flat skin areas inside the masked regions, keeping edges (smartblur).',
    tags: ['region', 'beauty'],
    region_aware: true,
    params: { amount: amount01('0 = unchanged, 1 = strongest smoothing') },
  },
  {
    type: 'teeth_whiten',
    label: 'Teeth whitening',
    description: 'Brightens and desaturates inside the masked (mouth) regions.',
    tags: ['region', 'beauty'],
    region_aware: true,
    params: { amount: amount01('0 = unchanged, 1 = strongest whitening') },
  },
  {
    type: 'eye_enhance',
    label: 'Eye enhance',
    description: 'Adds contrast, colour and sharpness inside the masked (eye) regions.',
    tags: ['region', 'beauty'],
    region_aware: true,
    params: { amount: amount01('0 = unchanged, 1 = strongest') },
  },
  {
    type: 'style',
    label: 'Style preset',
    description:
      'A named stack of catalog filters (see style_presets); intensity scales every param toward neutral.',
    tags: ['look', 'preset'],
    params: {
      preset: { type: 'enum', values: STYLE_PRESET_IDS, animatable: false, description: 'style preset id' },
      intensity: num({
        min: 0,
        max: 1,
        default: 1,
        animatable: false,
        description: '0 = no effect, 1 = as designed',
      }),
    },
  },
];

const BY_TYPE = new Map(FILTER_DESCRIPTORS.map((d) => [d.type, d]));

/** The descriptor of a filter type, or undefined when the type is not in the catalog. */
export function filterDescriptor(type: string): FilterDescriptor | undefined {
  return BY_TYPE.get(type);
}

/**
 * Whether a filter instance applies inside a region mask: the region-aware types, and `lut` with region: true.
 */
export function isRegionFilter(f: { type: string; params?: Readonly<Record<string, unknown>> }): boolean {
  if (filterDescriptor(f.type)?.region_aware === true) return true;
  return f.type === 'lut' && f.params?.region === true;
}

/** Every filter type, in catalog order (UNKNOWN_FILTER's details.valid). */
export function filterTypes(): string[] {
  return FILTER_DESCRIPTORS.map((d) => d.type);
}
