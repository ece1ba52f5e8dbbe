/**
 * Parses a merged template timeline like every timeline (unknown keys refused, see strict-keys.ts) but keeps
 * each issue's zod code, so the template check can excuse range issues of sample values (merge-template.ts).
 *
 * No I/O: part of the timeline model.
 */
import type { Warning } from '../../errors.js';
import { TimelineSchema, type Timeline } from '../schema.js';
import { checkStrictKeys } from '../strict-keys.js';
import { formatPath } from '../validate.js';

export interface CodedIssue {
  path: string;
  message: string;
  /** zod's issue code (`invalid_type`, `too_small`, …), `unknown_key` for keys the schema does not have. */
  code: string;
}

export type MergedParse =
  { success: true; timeline: Timeline; warnings: Warning[] } | { success: false; issues: CodedIssue[] };

export function parseMergedTimeline(raw: unknown): MergedParse {
  const strict = checkStrictKeys(TimelineSchema, raw);
  const issues: CodedIssue[] = strict.issues.map((i) => ({
    path: formatPath(i.path),
    message: i.message,
    code: 'unknown_key',
  }));
  const result = TimelineSchema.safeParse(strict.value);
  if (!result.success)
    for (const i of result.error.issues)
      if (i.code !== 'unrecognized_keys')
        issues.push({ path: formatPath(i.path), message: i.message, code: i.code });
  if (issues.length > 0 || !result.success) return { success: false, issues };
  return {
    success: true,
    timeline: result.data,
    warnings: strict.warnings.map(({ pathSegments, ...w }) => ({ ...w, path: formatPath(pathSegments) })),
  };
}
