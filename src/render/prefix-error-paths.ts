/**
 * Error paths follow ONE convention: they are paths inside the JSON the client sent. A bare timeline reports
 * `tracks[1].clips[0].speed`; a render request `{"timeline": {…}}` reports `timeline.tracks[1].clips[0].speed`;
 * a stored project's sequence `sequences[0].tracks[1]…`. The planner knows only the timeline, so its coded errors
 * are re-issued here with the prefix applied to every path (details.issues[].path, details.path(s),
 * details.missing[].paths) and in the message.
 */
import { CutroomError, isCutroomError, type ErrorDetails, type Warning } from '../errors.js';

const PATH_START = /(^|[\s:;,(])(tracks\[\d+\])/g;

function prefixText(text: string, prefix: string): string {
  return prefix === ''
    ? text
    : text.replace(PATH_START, (_m, lead: string, path: string) => `${lead}${prefix}${path}`);
}

function prefixPath(path: unknown, prefix: string): unknown {
  return typeof path === 'string' && path.startsWith('tracks[') ? prefix + path : path;
}

function prefixDetails(details: ErrorDetails, prefix: string, part?: string, message = ''): ErrorDetails {
  const out: ErrorDetails = { ...details };
  // Errors that name one place (UNKNOWN_FILTER: details.path) also list it as an issue, like every other code.
  if (!Array.isArray(details.issues) && typeof details.path === 'string' && details.path.startsWith('tracks['))
    details = { ...details, issues: [{ path: details.path, message }] };
  if (Array.isArray(details.issues))
    out.issues = details.issues.map((i: Record<string, unknown>) => ({
      ...i,
      path: prefixPath(i.path, prefix),
      ...(part && i.part === undefined ? { part } : {}),
    }));
  if (details.path !== undefined) out.path = prefixPath(details.path, prefix);
  if (Array.isArray(details.paths)) out.paths = details.paths.map((p) => prefixPath(p, prefix));
  if (Array.isArray(details.missing))
    out.missing = details.missing.map((m: Record<string, unknown>) => ({
      ...m,
      ...(Array.isArray(m.paths) ? { paths: m.paths.map((p) => prefixPath(p, prefix)) } : {}),
    }));
  return out;
}

/** The same coded error with every path under `prefix` (e.g. `timeline.`); other errors pass unchanged. */
export function prefixErrorPaths(err: unknown, prefix: string, part?: string): unknown {
  if (!isCutroomError(err) || (prefix === '' && part === undefined)) return err;
  return new CutroomError(
    err.code,
    prefixText(err.message, prefix),
    prefixDetails(err.details, prefix, part, err.message),
    {
      cause: err,
    },
  );
}

export function prefixWarningPaths(warnings: Warning[], prefix: string): Warning[] {
  if (prefix === '') return warnings;
  return warnings.map((w) => ({
    ...w,
    ...(w.path !== undefined ? { path: String(prefixPath(w.path, prefix)) } : {}),
  }));
}

/** Runs `fn`, re-throwing its coded errors with prefixed paths. */
export async function withPathPrefix<T>(
  prefix: string,
  part: string | undefined,
  fn: () => Promise<T>,
): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw prefixErrorPaths(err, prefix, part);
  }
}
