/**
 * Checks a template before it is stored and resolves its fields: every placeholder well-formed, every declared
 * field used, one type per field (declared, or inferred from where it stands; conflicting guesses must be
 * declared), defaults of the field's type, and the timeline structurally valid once merged. The structural check
 * merges each field's default, or a sample of its type where there is none (text "Sample", number 1, colour
 * #808080, asset "asset_sample", true); a sample may be out of range where it lands (1 where a font size must be
 * ≥ 4), so range issues at sample-valued placeholders are excused — the real merge is checked in full. When every
 * field has a default, the merged timeline must also be consistent (no overlaps, …): merging nothing renders.
 *
 * No I/O: part of the timeline model. Asset existence (literal ids, asset defaults) is the caller's check.
 */
import { cutroomError } from '../../errors.js';
import { checkTimeline, type ValidationIssue } from '../validate.js';
import { checkMergeValue } from './check-merge-value.js';
import { findPlaceholders, type PlaceholderUse } from './find-placeholders.js';
import { inferFieldType } from './infer-field-type.js';
import { parseMergedTimeline, type CodedIssue } from './parse-merged-timeline.js';
import { substitutePlaceholders } from './substitute-placeholders.js';
import type { MergeValue, ResolvedTemplateField, TemplateDoc, TemplateFieldType } from './template-schema.js';

export interface CheckedTemplate {
  fields: ResolvedTemplateField[];
  uses: PlaceholderUse[];
  /** Names of the fields that were merged with a sample (no default). */
  sampled: Set<string>;
}

export interface TemplateIssue extends ValidationIssue {
  field?: string;
}

const SAMPLES: Record<TemplateFieldType, MergeValue> = {
  text: 'Sample',
  number: 1,
  color: '#808080',
  asset: 'asset_sample',
  boolean: true,
};

/** Issue codes a sample value may cause without the template being wrong. */
const EXCUSED: Record<TemplateFieldType, ReadonlySet<string>> = {
  number: new Set(['too_small', 'too_big', 'not_multiple_of', 'custom']),
  text: new Set(['too_small', 'too_big', 'invalid_value', 'invalid_format', 'invalid_union', 'custom']),
  color: new Set(['custom']),
  asset: new Set(['custom']),
  boolean: new Set(['custom']),
};

/** Placeholder uses an issue at `path` is about: at that path, or below it (an object's refine). */
export function usesAt(uses: readonly PlaceholderUse[], path: string): PlaceholderUse[] {
  if (path === '') return [];
  return uses.filter(
    (u) => u.path === path || u.path.startsWith(`${path}.`) || u.path.startsWith(`${path}[`),
  );
}

const ITEM_RE = /^tracks\[\d+\]\.(clips|items|transitions)\[\d+\]/;

/** For consistency issues (overlaps, …): the fields used in the same clip, layer or transition. */
export function usesNear(uses: readonly PlaceholderUse[], path: string): PlaceholderUse[] {
  const exact = usesAt(uses, path);
  if (exact.length > 0) return exact;
  const item = ITEM_RE.exec(path)?.[0];
  return item === undefined ? [] : usesAt(uses, item);
}

function invalid(message: string, issues: TemplateIssue[]): never {
  throw cutroomError('TEMPLATE_INVALID', message, { issues });
}

export function checkTemplate(doc: TemplateDoc): CheckedTemplate {
  const uses = findPlaceholders(doc.timeline);
  const byName = new Map<string, PlaceholderUse[]>();
  for (const u of uses) byName.set(u.name, [...(byName.get(u.name) ?? []), u]);

  const issues: TemplateIssue[] = [];
  for (const name of Object.keys(doc.fields))
    if (!byName.has(name))
      issues.push({
        path: `fields.${name}`,
        field: name,
        message: `is declared but the timeline has no {{${name}}}`,
      });

  const fields: ResolvedTemplateField[] = [];
  for (const name of [...byName.keys()].sort()) {
    const fieldUses = byName.get(name)!;
    const declared = doc.fields[name];
    const guesses = new Map<TemplateFieldType, string>();
    for (const u of fieldUses) if (u.whole) guesses.set(inferFieldType(u.segments), u.path);
    let type: TemplateFieldType;
    if (declared?.type !== undefined) type = declared.type;
    else if (guesses.size > 1) {
      const where = [...guesses].map(([t, p]) => `${t} at timeline.${p}`).join(', ');
      issues.push({
        path: `fields.${name}.type`,
        field: name,
        message: `{{${name}}} stands where different types go (${where}); declare its type in fields`,
      });
      continue;
    } else type = guesses.keys().next().value ?? 'text';
    if (declared?.default !== undefined) {
      const wrong = checkMergeValue(type, declared.default);
      if (wrong !== undefined)
        issues.push({
          path: `fields.${name}.default`,
          field: name,
          message: `${wrong} (field type ${type})`,
        });
    }
    fields.push({
      name,
      type,
      declared: declared?.type !== undefined,
      ...(declared?.default !== undefined ? { default: declared.default } : {}),
      ...(declared?.description !== undefined ? { description: declared.description } : {}),
      paths: [...new Set(fieldUses.map((u) => `timeline.${u.path}`))],
    });
  }
  if (issues.length > 0)
    invalid(`template is invalid: fields.${issues[0]!.field}: ${issues[0]!.message}`, issues);

  const values = new Map<string, MergeValue>();
  const sampled = new Set<string>();
  const types = new Map(fields.map((f) => [f.name, f.type]));
  for (const f of fields) {
    if (f.default !== undefined) values.set(f.name, f.default);
    else {
      values.set(f.name, SAMPLES[f.type]);
      sampled.add(f.name);
    }
  }
  const parsed = parseMergedTimeline(substitutePlaceholders(doc.timeline, values));
  if (!parsed.success) {
    const kept = parsed.issues.flatMap((issue): TemplateIssue[] => {
      const related = usesAt(uses, issue.path);
      const excused =
        related.length > 0 &&
        related.every(
          (u) => sampled.has(u.name) && EXCUSED[u.whole ? types.get(u.name)! : 'text'].has(issue.code),
        );
      if (excused) return [];
      return [describe(issue, related, types)];
    });
    if (kept.length > 0) invalid(`template timeline is invalid: ${kept[0]!.path}: ${kept[0]!.message}`, kept);
  }
  if (parsed.success && sampled.size === 0) {
    const consistency = checkTimeline(parsed.timeline).map((i) =>
      describe({ ...i, code: 'consistency' }, usesNear(uses, i.path), types),
    );
    if (consistency.length > 0)
      invalid(
        `template timeline merged with its defaults is inconsistent: ${consistency[0]!.path}: ${consistency[0]!.message}`,
        consistency,
      );
  }
  return { fields, uses, sampled };
}

function describe(
  issue: CodedIssue | (ValidationIssue & { code: string }),
  related: PlaceholderUse[],
  types: ReadonlyMap<string, TemplateFieldType>,
): TemplateIssue {
  const path = `timeline.${issue.path}`;
  const names = [...new Set(related.map((u) => u.name))];
  if (names.length === 0) return { path, message: issue.message };
  const name = names[0]!;
  const type = types.get(name);
  const hint =
    issue.code === 'invalid_type' ? `; if {{${name}}} is not a ${type}, declare its type in fields` : '';
  return { path, field: name, message: `{{${name}}} (${type}): ${issue.message}${hint}` };
}
