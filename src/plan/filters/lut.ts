import { escapeFilterPath } from '../format.js';
import { staticValue } from './param-text.js';
import type { FilterBuilder } from './types.js';

/** The reference was checked against ctx.luts during validation; the local path is escaped like any path. */
export const buildLut: FilterBuilder = (ctx) => {
  const ref = String(staticValue(ctx, 'file'));
  const path = ctx.luts[ref];
  if (path === undefined) throw new Error(`LUT ${ref} was not resolved`);
  return `lut3d=file=${escapeFilterPath(path)}`;
};
