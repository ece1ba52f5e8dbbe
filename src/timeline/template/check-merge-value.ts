/**
 * Whether a merge value fits its field's type; returns what is wrong, or undefined. Values are checked for their
 * type only here: where a value lands (a duration that must be an integer, a scale ≤ 20) is the timeline
 * schema's business once merged, and its messages name the field too (merge-template.ts).
 *
 * No I/O: part of the timeline model.
 */
import type { TemplateFieldType } from './template-schema.js';

const COLOR_RE = /^#([0-9a-fA-F]{6}|[0-9a-fA-F]{8})$/;
const ASSET_ID_RE = /^[A-Za-z0-9_.:-]{1,128}$/;

function show(value: unknown): string {
  const s = JSON.stringify(value) ?? String(value);
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}

export function checkMergeValue(type: TemplateFieldType, value: unknown): string | undefined {
  switch (type) {
    case 'text':
      if (typeof value !== 'string') return `must be a string (text), got ${show(value)}`;
      if (value.length > 5000) return `is ${value.length} characters long; at most 5000`;
      // NUL ends a C string: drawtext would silently cut the text there.
      if (value.includes('\u0000')) return 'must not contain NUL characters';
      return undefined;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value)
        ? undefined
        : `must be a number, got ${show(value)}`;
    case 'color':
      return typeof value === 'string' && COLOR_RE.test(value)
        ? undefined
        : `must be a colour #RRGGBB or #RRGGBBAA, got ${show(value)}`;
    case 'asset':
      return typeof value === 'string' && ASSET_ID_RE.test(value)
        ? undefined
        : `must be an asset id (letters, digits, _ . : -), got ${show(value)}`;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `must be true or false, got ${show(value)}`;
  }
}
