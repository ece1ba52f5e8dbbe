/**
 * What an API client may see of an error: the code, the stage, its own names (asset id, clip id, field path)
 * and a message — never the server's insides. Everything that leaves through the error envelope passes here:
 * absolute server paths (data dir, temp dirs, home, the install dir) become `<server path>`, heap addresses
 * (`0x55d5…`, from ffmpeg's `[mov @ 0x…]` prefixes) become `0x…`, stack frames and raw tool output (stderr,
 * logs, SQL, commands) are dropped. The unsanitized error goes to the server log under the request id, which
 * the envelope returns in details.request_id.
 */
import type { ErrorDetails } from '../errors.js';

/** Detail keys that carry tool output or internals, never client-facing. */
const INTERNAL_KEYS = new Set([
  'stderr',
  'stderr_tail',
  'stdout',
  'log_tail',
  'stack',
  'cause',
  'sql',
  'command',
  'args',
  'argv',
  'ffmpeg_args',
  'export_path',
  'storage_path',
  'file',
  'local_path',
]);

const SERVER_ROOTS = [
  '/tmp',
  '/home',
  '/root',
  '/var',
  '/usr',
  '/etc',
  '/proc',
  '/srv',
  '/opt',
  '/mnt',
  '/work',
  '/run',
  '/dev',
];

export interface SanitizeOptions {
  /** Extra server directories to hide (the data dir, the working dir). */
  serverDirs?: string[];
  /** Directories the client itself names (CUTROOM_IMPORT_ROOTS): paths under them are the client's own. */
  clientDirs?: string[];
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function sanitizeText(text: string, opts: SanitizeOptions = {}): string {
  const roots = [...new Set([...(opts.serverDirs ?? []), ...SERVER_ROOTS])]
    .filter((r) => r.length > 1)
    .sort((a, b) => b.length - a.length)
    .map(escapeRegExp);
  const clientDirs = opts.clientDirs ?? [];
  // Only absolute paths: a root preceded by a name or dot is part of a relative reference the client sent
  // (`../../etc/passwd` is echoed back as the client wrote it, never resolved on the server).
  const pathRe = new RegExp(`(?<![\\w.~-])(?:${roots.join('|')})(?:/[^\\s'"\`,;:()\\[\\]{}<>]*)?`, 'g');
  return (
    text
      // Stack frames ("    at fn (file:1:2)") and the lines after an "Error:" dump.
      .replace(/\n\s*at [^\n]*/g, '')
      .replace(pathRe, (m) =>
        clientDirs.some((d) => m === d || m.startsWith(`${d}/`)) ? m : '<server path>',
      )
      .replace(/\b0x[0-9a-fA-F]{4,}\b/g, '0x…')
  );
}

function sanitizeValue(value: unknown, opts: SanitizeOptions, depth: number): unknown {
  if (typeof value === 'string') return sanitizeText(value, opts);
  if (depth > 6) return undefined;
  if (Array.isArray(value)) return value.slice(0, 200).map((v) => sanitizeValue(v, opts, depth + 1));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (INTERNAL_KEYS.has(k)) continue;
      const clean = sanitizeValue(v, opts, depth + 1);
      if (clean !== undefined) out[k] = clean;
    }
    return out;
  }
  return value;
}

export function sanitizeDetails(details: ErrorDetails, opts: SanitizeOptions = {}): ErrorDetails {
  return sanitizeValue(details, opts, 0) as ErrorDetails;
}
