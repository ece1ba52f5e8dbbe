import { resolve } from 'node:path';

/**
 * A local path as an ffmpeg input/output URL. The `file:` prefix stops ffmpeg from reading a name such as
 * `pipe:1`, `http://…` or `concat:a|b` as a protocol, and stops a leading `-` from looking like an option.
 */
export function inputUrl(path: string): string {
  return `file:${resolve(path)}`;
}
