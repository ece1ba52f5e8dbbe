/** Parse a part of the document (a clip, a layer) with its schema, reporting issues at their full path. */
import type { z } from 'zod';
import { cutroomError } from '../../errors.js';
import type { Timeline } from '../schema.js';
import { checkTimeline, summarise, zodIssues } from '../validate.js';

export function parsePart<S extends z.ZodType>(
  schema: S,
  input: unknown,
  path: ReadonlyArray<PropertyKey>,
): z.output<S> {
  const r = schema.safeParse(input);
  if (!r.success) {
    const issues = zodIssues(r.error, path);
    throw cutroomError('VALIDATION_FAILED', `edit is invalid: ${summarise(issues)}`, { issues });
  }
  return r.data;
}

/** The guard run after ops that take free-form values: the result must pass the timeline's consistency checks. */
export function assertConsistent(doc: Timeline): Timeline {
  const issues = checkTimeline(doc);
  if (issues.length > 0)
    throw cutroomError(
      'TIMELINE_INVALID',
      `edit would make the timeline inconsistent: ${summarise(issues)}`,
      { issues },
    );
  return doc;
}

/**
 * Shallow merge of a patch into an object, one level deep for nested objects (so `{transform: {scale: 0.5}}`
 * keeps the position); `null` removes an optional field (`{crop: null}`).
 */
export function mergePatch(
  current: Record<string, unknown>,
  patch: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...current };
  for (const [k, v] of Object.entries(patch)) {
    const cur = out[k];
    if (v === null) delete out[k];
    else if (isPlainObject(v) && isPlainObject(cur)) out[k] = { ...cur, ...v };
    else out[k] = v;
  }
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
