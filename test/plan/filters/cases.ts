/**
 * The filter instances exercised by the golden and render tests: each catalog filter with default params, each
 * animatable param with two keyframes, each style preset. Shared so both tests cover the same set.
 */
import type { Automation, FilterInstance } from '../../../src/timeline/index.js';
import { FILTER_DESCRIPTORS } from '../../../src/plan/filters/catalog.js';
import { STYLE_PRESETS } from '../../../src/plan/filters/style-presets.js';

export interface FilterCase {
  name: string;
  filters: FilterInstance[];
  automation: Automation[];
}

export const LUT_REF = 'artifact:lut_1';

/** Params a filter needs beyond its defaults (only lut has a required param). */
function requiredParams(type: string): FilterInstance['params'] {
  return type === 'lut' ? { file: LUT_REF } : {};
}

export function filterCases(): FilterCase[] {
  const cases: FilterCase[] = [];
  for (const d of FILTER_DESCRIPTORS) {
    if (d.type === 'style') continue;
    cases.push({
      name: `${d.type}.default`,
      filters: [{ type: d.type, params: requiredParams(d.type) }],
      automation: [],
    });
    for (const [name, p] of Object.entries(d.params)) {
      if (!p.animatable) continue;
      const lo = p.min ?? 0;
      const hi = p.max ?? 1;
      cases.push({
        name: `${d.type}.animated_${name}`,
        filters: [{ id: 'f1', type: d.type, params: requiredParams(d.type) }],
        automation: [
          {
            param: `filter:f1.${name}`,
            keyframes: [
              { t_ms: 0, value: p.neutral ?? lo, easing: 'ease_out' },
              { t_ms: 300, value: lo + (hi - lo) * 0.75, easing: 'linear' },
            ],
          },
        ],
      });
    }
  }
  for (const s of STYLE_PRESETS) {
    cases.push({
      name: `style.${s.id}`,
      filters: [{ type: 'style', params: { preset: s.id } }],
      automation: [],
    });
    cases.push({
      name: `style.${s.id}_half`,
      filters: [{ type: 'style', params: { preset: s.id, intensity: 0.5 } }],
      automation: [],
    });
  }
  return cases;
}
