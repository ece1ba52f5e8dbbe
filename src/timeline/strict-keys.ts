/**
 * Unknown keys are errors, everywhere, enforced in ONE place: every object schema in the model is written as a
 * plain `z.object` (so fields can be added by anyone without touching this file), and this walker compares the
 * input against the schema's shape before parsing. zod itself would silently strip `trakcs` or `opacty`, and the
 * render would quietly differ from what was asked.
 *
 * A renamed field keeps working: `renamedKeys(schema, {old: 'new'})` registers the old name, the walker moves its
 * value to the new name and returns a DEPRECATED_FIELD warning instead of an error.
 */
import type { z } from 'zod';
import type { Warning } from '../errors.js';
import { suggestKey } from './suggest-key.js';

/** Old key -> current key, per object schema. */
const RENAMED = new WeakMap<object, Record<string, string>>();

/** Register renamed fields of an object schema; returns the schema for chaining in a declaration. */
export function renamedKeys<S extends z.ZodType>(schema: S, renames: Record<string, string>): S {
  RENAMED.set(schema, { ...RENAMED.get(schema), ...renames });
  return schema;
}

export interface UnknownKeyIssue {
  path: Array<string | number>;
  message: string;
  key: string;
  suggestion?: string;
}

export interface StrictKeysResult {
  /** The input with renamed keys moved to their current names (the input itself when nothing was renamed). */
  value: unknown;
  issues: UnknownKeyIssue[];
  warnings: Array<Warning & { pathSegments: Array<string | number> }>;
}

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  catchall?: z.ZodType;
  innerType?: z.ZodType;
  in?: z.ZodType;
  element?: z.ZodType;
  valueType?: z.ZodType;
  options?: z.ZodType[];
  discriminator?: string;
  items?: z.ZodType[];
  getter?: () => z.ZodType;
}

function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Walks `value` along `schema`, collecting unknown keys with a suggestion and moving renamed ones. */
export function checkStrictKeys(schema: z.ZodType, value: unknown): StrictKeysResult {
  const issues: StrictKeysResult['issues'] = [];
  const warnings: StrictKeysResult['warnings'] = [];

  const walk = (s: z.ZodType, v: unknown, path: Array<string | number>): unknown => {
    const def = defOf(s);
    switch (def.type) {
      case 'optional':
      case 'nullable':
      case 'default':
      case 'prefault':
      case 'readonly':
      case 'nonoptional':
      case 'catch':
        return v === undefined || v === null ? v : walk(def.innerType!, v, path);
      case 'pipe':
        return walk(def.in!, v, path);
      case 'lazy':
        return walk(def.getter!(), v, path);
      case 'array':
        return Array.isArray(v) ? v.map((item, i) => walk(def.element!, item, [...path, i])) : v;
      case 'tuple':
        return Array.isArray(v)
          ? v.map((item, i) => (def.items?.[i] ? walk(def.items[i], item, [...path, i]) : item))
          : v;
      case 'record':
        if (!isPlainObject(v)) return v;
        return Object.fromEntries(
          Object.entries(v).map(([k, x]) => [k, walk(def.valueType!, x, [...path, k])]),
        );
      case 'union':
        return walkUnion(def, v, path);
      case 'object':
        return walkObject(s, def, v, path);
      default:
        return v;
    }
  };

  const walkUnion = (def: Def, v: unknown, path: Array<string | number>): unknown => {
    const options = def.options ?? [];
    let chosen: z.ZodType | undefined;
    if (def.discriminator !== undefined && isPlainObject(v)) {
      const tag = v[def.discriminator];
      chosen = options.find((o) => {
        const field = defOf(o).shape?.[def.discriminator!];
        return field !== undefined && field.safeParse(tag).success;
      });
    } else {
      // The first branch the value fits (unknown keys are stripped by zod, so they do not decide the branch).
      chosen = options.find((o) => o.safeParse(v).success);
    }
    return chosen ? walk(chosen, v, path) : v;
  };

  const walkObject = (s: z.ZodType, def: Def, v: unknown, path: Array<string | number>): unknown => {
    if (!isPlainObject(v)) return v;
    const shape = def.shape ?? {};
    // A catchall other than `never` (passthrough, z.looseObject, catchall(x)) declares extra keys as allowed.
    const open = def.catchall !== undefined && defOf(def.catchall).type !== 'never';
    const renames = RENAMED.get(s) ?? {};
    const out: Record<string, unknown> = {};
    for (const [key, x] of Object.entries(v)) {
      if (key in shape) {
        out[key] = walk(shape[key]!, x, [...path, key]);
        continue;
      }
      const current = renames[key];
      if (current !== undefined && current in shape) {
        warnings.push({
          code: 'DEPRECATED_FIELD',
          message: `"${key}" was renamed to "${current}"; the old name still works but will be removed`,
          pathSegments: [...path, key],
        });
        if (!(current in v)) out[current] = walk(shape[current]!, x, [...path, current]);
        continue;
      }
      if (open) {
        out[key] = x;
        continue;
      }
      const suggestion = suggestKey(key, Object.keys(shape));
      issues.push({
        path: [...path, key],
        key,
        message: `unknown key "${key}"${suggestion ? `; did you mean "${suggestion}"?` : ''} (allowed: ${Object.keys(shape).join(', ')})`,
        ...(suggestion ? { suggestion } : {}),
      });
    }
    return out;
  };

  const walked = walk(schema, value, []);
  return { value: issues.length === 0 && warnings.length === 0 ? value : walked, issues, warnings };
}
