/**
 * The type of a whole-string placeholder from the key it is the value of. These are the timeline's own field
 * names (schema.ts, generator.ts, matte.ts); anything not listed is a number (durations, positions, scales,
 * volumes…). A wrong guess is never silent: the template check merges sample values and the timeline schema
 * refuses a number where it wants a string, naming the field so it can be declared in `fields`.
 *
 * No I/O: part of the timeline model.
 */
import type { TemplateFieldType } from './template-schema.js';

const BY_KEY: Record<string, TemplateFieldType> = {
  asset_id: 'asset',
  color: 'color',
  background: 'color',
  fill: 'color',
  colors: 'color',
  text: 'text',
  name: 'text',
  label: 'text',
  family: 'text',
  reverse: 'boolean',
  muted: 'boolean',
  hidden: 'boolean',
  locked: 'boolean',
  bold: 'boolean',
  invert: 'boolean',
  tripod: 'boolean',
  loop: 'boolean',
  keep_source_audio: 'boolean',
};

export function inferFieldType(segments: ReadonlyArray<string | number>): TemplateFieldType {
  // An array element takes its type from the array's key: `colors[1]` is a colour.
  let i = segments.length - 1;
  while (i >= 0 && typeof segments[i] === 'number') i--;
  const key = i >= 0 ? String(segments[i]) : '';
  return BY_KEY[key] ?? 'number';
}
