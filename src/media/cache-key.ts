/**
 * Cache keys must be identical on every machine and every run: sha256 over a canonical JSON encoding (object
 * keys sorted recursively by UTF-16 code unit, no whitespace, numbers as JSON.stringify prints them). Anything
 * JSON cannot represent exactly (NaN, Infinity, undefined in arrays, functions, bigint) is rejected rather than
 * silently coerced, because a silent coercion would make two different requests share a key.
 */
import { createHash } from 'node:crypto';
import { cutroomError } from '../errors.js';

export interface CacheKeyInput {
  tenantId: string;
  env: string;
  /** sha256 of the asset's bytes; null for artifacts that belong to no asset. */
  contentHash: string | null;
  kind: string;
  /** Every parameter that changes the result (sampling interval, language, profile, …). */
  params: unknown;
  backendVersion: string;
}

export function cacheKey({
  tenantId,
  env,
  contentHash,
  kind,
  params,
  backendVersion,
}: CacheKeyInput): string {
  const canonical = canonicalJson({
    tenant: tenantId,
    env,
    content_hash: contentHash,
    kind,
    params: params ?? null,
    backend_version: backendVersion,
  });
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

export function canonicalJson(value: unknown, path = ''): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value))
        throw cutroomError('INVALID_PARAM', `${path || 'value'} is not a finite number`, {
          path,
          value: String(value),
        });
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value))
        return `[${value.map((v, i) => canonicalJson(v, `${path}[${i}]`)).join(',')}]`;
      const proto = Object.getPrototypeOf(value) as unknown;
      if (proto !== Object.prototype && proto !== null)
        throw cutroomError('INVALID_PARAM', `${path || 'value'} is not a plain JSON object`, { path });
      const entries = Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v, path ? `${path}.${k}` : k)}`).join(',')}}`;
    }
    default:
      throw cutroomError(
        'INVALID_PARAM',
        `${path || 'value'} has a value JSON cannot represent (${typeof value})`,
        { path },
      );
  }
}
