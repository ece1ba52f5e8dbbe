import { cutroomError } from '../errors.js';

/**
 * Segments: letters, digits and `_ . -` only, not starting with a dot (no `.`, `..` or hidden names, which also
 * keeps the adapters' own `.tmp` folders out of the key space); at most 1024 chars overall.
 */
const SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,254}$/;
const MAX_KEY_LENGTH = 1024;

/**
 * Throws INVALID_PATH unless `key` is a relative, `/`-separated object key in the safe charset. Checked before
 * any filesystem call so that `..`, absolute paths, NUL bytes and backslashes (a separator on Windows) never
 * reach `path.join`.
 */
export function assertSafeKey(key: string): void {
  const problems: string[] = [];
  if (typeof key !== 'string' || key.length === 0) problems.push('key is empty');
  else {
    if (key.length > MAX_KEY_LENGTH) problems.push(`key is longer than ${MAX_KEY_LENGTH} characters`);
    if (key.includes('\0')) problems.push('key contains a NUL byte');
    if (key.includes('\\')) problems.push('key contains a backslash');
    if (key.startsWith('/')) problems.push('key is absolute');
    for (const segment of key.split('/')) {
      if (segment === '..') problems.push('key contains a ".." segment');
      else if (segment === '.' || segment === '') problems.push('key contains an empty or "." segment');
      else if (!SEGMENT.test(segment))
        problems.push(`segment "${segment}" has characters outside [A-Za-z0-9_.-] or starts with a dot`);
    }
  }
  if (problems.length > 0)
    throw cutroomError('INVALID_PATH', `unsafe storage key: ${problems[0]}`, {
      key,
      problems: [...new Set(problems)],
    });
}

/** Like assertSafeKey but for a list prefix: "" or a safe key optionally ending in "/". */
export function assertSafePrefix(prefix: string): void {
  if (prefix === '') return;
  assertSafeKey(prefix.endsWith('/') ? prefix.slice(0, -1) : prefix);
}
