/**
 * A `style` filter instance -> its stack of catalog filters. intensity scales every number param with a
 * `neutral` value linearly toward that neutral (0 = no effect, 1 = as designed); ints are rounded.
 */
import { filterDescriptor } from './catalog.js';
import { stylePreset } from './style-presets.js';

export interface ExpandStyleInput {
  preset: string;
  intensity: number;
}

export interface ExpandedFilter {
  type: string;
  params: Record<string, number | boolean | string>;
}

export function expandStyle(input: ExpandStyleInput): ExpandedFilter[] {
  const preset = stylePreset(input.preset);
  if (preset === undefined) throw new Error(`unknown style preset ${input.preset}`);
  return preset.filters.map((f) => {
    const descriptor = filterDescriptor(f.type);
    if (descriptor === undefined) throw new Error(`style ${preset.id} uses unknown filter ${f.type}`);
    const params: Record<string, number | boolean | string> = {};
    for (const [name, value] of Object.entries(f.params)) {
      const d = descriptor.params[name];
      if (typeof value === 'number' && d?.neutral !== undefined) {
        const scaled = d.neutral + (value - d.neutral) * input.intensity;
        // Rounded to 6 decimals here so the stack's params are the same numbers the graph will show.
        params[name] = d.type === 'int' ? Math.round(scaled) : Math.round(scaled * 1e6) / 1e6;
      } else {
        params[name] = value;
      }
    }
    return { type: f.type, params };
  });
}
