/**
 * Merges values into a template: refuses a merge that leaves out a field without a default, names a field the
 * template does not have, or gives a value of the wrong type (TEMPLATE_MERGE_INVALID, naming each field at
 * `merge.NAME`), then parses the merged timeline in full. Where the timeline refuses a merged value (a
 * duration that must be an integer, a scale above 20, an overlap the numbers cause) the error names the field
 * too. Text values are data: they land in text layers as strings, which reach ffmpeg through files, never the
 * filtergraph (plan/text).
 *
 * No I/O: part of the timeline model. Whether an asset field names an asset of the caller's tenant is checked by
 * the caller (media/templates.ts), from `assets`.
 */
import { cutroomError, type Warning } from '../../errors.js';
import { checkTimeline } from '../validate.js';
import type { Timeline } from '../schema.js';
import { checkMergeValue } from './check-merge-value.js';
import { checkTemplate, usesAt, usesNear, type TemplateIssue } from './check-template.js';
import { parseMergedTimeline } from './parse-merged-timeline.js';
import { substitutePlaceholders } from './substitute-placeholders.js';
import type { MergeValue, ResolvedTemplateField, TemplateDoc } from './template-schema.js';

export interface MergeTemplateInput {
  template: TemplateDoc;
  /** Field name → value; absent fields take their default. */
  merge: Readonly<Record<string, unknown>>;
}

export interface MergedTemplate {
  timeline: Timeline;
  fields: ResolvedTemplateField[];
  /** The value each field got (merged or default). */
  values: Record<string, MergeValue>;
  /** Asset fields and the ids they were given, for the tenant check. */
  assets: Array<{ field: string; asset_id: string }>;
  warnings: Warning[];
}

function refuse(issues: TemplateIssue[]): never {
  const fields = [...new Set(issues.flatMap((i) => (i.field === undefined ? [] : [i.field])))];
  const first = issues[0]!;
  throw cutroomError(
    'TEMPLATE_MERGE_INVALID',
    `merge is invalid: ${first.field !== undefined ? `field ${first.field}: ` : ''}${first.message}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''}`,
    { fields, issues },
  );
}

export function mergeTemplate({ template, merge }: MergeTemplateInput): MergedTemplate {
  const { fields, uses } = checkTemplate(template);
  const known = new Map(fields.map((f) => [f.name, f]));
  const issues: TemplateIssue[] = [];
  for (const name of Object.keys(merge).sort())
    if (!known.has(name))
      issues.push({
        path: `merge.${name}`,
        field: name,
        message: `the template has no field ${name} (fields: ${[...known.keys()].join(', ') || 'none'})`,
      });
  const values: Record<string, MergeValue> = {};
  for (const f of fields) {
    const given = Object.hasOwn(merge, f.name) ? merge[f.name] : undefined;
    if (given === undefined) {
      if (f.default === undefined)
        issues.push({
          path: `merge.${f.name}`,
          field: f.name,
          message: `is required (${f.type}, no default)`,
        });
      else values[f.name] = f.default;
      continue;
    }
    const wrong = checkMergeValue(f.type, given);
    if (wrong !== undefined) issues.push({ path: `merge.${f.name}`, field: f.name, message: wrong });
    else values[f.name] = given as MergeValue;
  }
  if (issues.length > 0) refuse(issues);

  const parsed = parseMergedTimeline(
    substitutePlaceholders(template.timeline, new Map(Object.entries(values))),
  );
  if (!parsed.success) {
    const mapped = parsed.issues.map((i): TemplateIssue => {
      const related = usesAt(uses, i.path);
      const name = related[0]?.name;
      return name === undefined
        ? { path: `timeline.${i.path}`, message: i.message }
        : { path: `merge.${name}`, field: name, message: `at timeline.${i.path}: ${i.message}` };
    });
    refuse(mapped);
  }
  const consistency = checkTimeline(parsed.timeline);
  if (consistency.length > 0) {
    const mapped = consistency.map((i): TemplateIssue => {
      const name = usesNear(uses, i.path)[0]?.name;
      return name === undefined
        ? { path: `timeline.${i.path}`, message: i.message }
        : { path: `merge.${name}`, field: name, message: `at timeline.${i.path}: ${i.message}` };
    });
    refuse(mapped);
  }
  return {
    timeline: parsed.timeline,
    fields,
    values,
    assets: fields
      .filter((f) => f.type === 'asset')
      .map((f) => ({ field: f.name, asset_id: String(values[f.name]) })),
    warnings: parsed.warnings,
  };
}
