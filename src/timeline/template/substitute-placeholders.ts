/**
 * Replaces the placeholders of a template's timeline JSON with values, in one pass: a whole-string placeholder
 * becomes the value itself (a number stays a number), an embedded one is spliced in as text. Substituted text is
 * never scanned again, so a value that itself contains `{{X}}` stays literal. The input is not changed.
 *
 * No I/O: part of the timeline model.
 */
import { PLACEHOLDER_RE } from './find-placeholders.js';
import type { MergeValue } from './template-schema.js';

const WHOLE_RE = /^\{\{\s*([A-Za-z_][A-Za-z0-9_]{0,63})\s*\}\}$/;

export function substitutePlaceholders(value: unknown, values: ReadonlyMap<string, MergeValue>): unknown {
  if (typeof value === 'string') {
    if (!value.includes('{{')) return value;
    const whole = WHOLE_RE.exec(value);
    if (whole) return values.get(whole[1]!);
    return value.replace(PLACEHOLDER_RE, (_m, name: string) => String(values.get(name)));
  }
  if (Array.isArray(value)) return value.map((v) => substitutePlaceholders(v, values));
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitutePlaceholders(v, values)]));
  return value;
}
