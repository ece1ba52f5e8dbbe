/**
 * GET /video/presets as data, built from the same descriptors the compiler uses (filters, style presets, text
 * animations and positions, transitions, profiles), so what the API lists is exactly what renders.
 */
import { CaptionStyleSchema } from '../timeline/index.js';
import { FILTER_DESCRIPTORS } from './filters/catalog.js';
import { MOTION_PRESETS, type MotionPreset } from './filters/motion-presets.js';
import { STYLE_PRESETS, type StylePreset } from './filters/style-presets.js';
import type { FilterDescriptor } from './filters/types.js';
import { listProfiles, type RenderProfile } from './profiles.js';
import { POSITION_PRESETS, SAFE_MARGIN } from './text/position-presets.js';
import { TEXT_ANIMATIONS } from './text/text-animation.js';
import { listTransitions, type TransitionSpec } from './transitions/catalog.js';

export interface PresetsCatalog {
  transitions: readonly TransitionSpec[];
  filters: readonly FilterDescriptor[];
  style_presets: readonly StylePreset[];
  text_animations: Array<{ id: string; description: string }>;
  position_presets: Array<{
    id: string;
    anchor: { h: string; v: string };
    x: number;
    y: number;
    description: string;
  }>;
  /** Safe margin of the position presets, as a fraction of the canvas. */
  text_safe_margin: number;
  caption_styles: Array<{ id: string; available: boolean; note: string }>;
  profiles: readonly RenderProfile[];
  motion_presets: readonly MotionPreset[];
}

/** What each caption style looks like when a caption track is burned in (src/plan/captions). */
const CAPTION_STYLE_NOTES: Record<(typeof CaptionStyleSchema.options)[number], string> = {
  clean: 'bottom-centred lines on a translucent box, broadcast line rules',
  bold_pop: 'large outlined bold text, 2–4 words at a time, popping in',
  karaoke: 'the current word highlighted as it is spoken',
};

export function listPresets(): PresetsCatalog {
  return {
    transitions: listTransitions(),
    filters: FILTER_DESCRIPTORS,
    style_presets: STYLE_PRESETS,
    text_animations: Object.entries(TEXT_ANIMATIONS).map(([id, description]) => ({ id, description })),
    position_presets: Object.entries(POSITION_PRESETS).map(([id, p]) => ({
      id,
      anchor: { h: p.h, v: p.v },
      x: p.x,
      y: p.y,
      description: p.description,
    })),
    text_safe_margin: SAFE_MARGIN,
    caption_styles: CaptionStyleSchema.options.map((id) => ({
      id,
      available: true,
      note: CAPTION_STYLE_NOTES[id],
    })),
    profiles: listProfiles(),
    motion_presets: MOTION_PRESETS,
  };
}
