import { randomBytes } from 'node:crypto';

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/**
 * A random, unguessable id: `{prefix}_` + 20 lower-case base32 chars (100 bits). Ids never encode tenant or
 * order, so seeing one tells nothing about another.
 */
export function newId(prefix: 'ast' | 'art' | 'key' | 'job' | 'prj' | 'tpl'): string {
  const bytes = randomBytes(20);
  let out = '';
  for (const b of bytes) out += BASE32[b & 31];
  return `${prefix}_${out}`;
}

/** ISO-8601 UTC with ms: sorts as text on every dialect. */
export function nowIso(): string {
  return new Date().toISOString();
}
