/**
 * A template is a stored timeline with `{{NAME}}` merge fields (Shotstack's merge fields): in text, asset ids,
 * colours, numbers and booleans. `fields` may declare a field's type, a default and a description; a field that
 * is not declared takes its type from where it appears (infer-field-type.ts).
 *
 * The timeline is kept as the client sent it (JSON with placeholders in it), because a placeholder stands where
 * the timeline schema wants a number or a colour: it becomes a timeline only when merged (merge-template.ts).
 *
 * No I/O: part of the timeline model.
 */
import { z } from 'zod';

export const TEMPLATE_FIELD_TYPES = ['text', 'number', 'color', 'asset', 'boolean'] as const;
export const TemplateFieldTypeSchema = z.enum(TEMPLATE_FIELD_TYPES);
export type TemplateFieldType = z.infer<typeof TemplateFieldTypeSchema>;

/** A merge field's name as written between the braces: `{{TITLE}}`, `{{ brand_colour }}`. */
export const FIELD_NAME_RE = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
export const FieldNameSchema = z
  .string()
  .regex(FIELD_NAME_RE, 'field names are a letter or _ then letters, digits or _ (at most 64)');

export const MergeValueSchema = z.union([z.string().max(5000), z.number(), z.boolean()]);
export type MergeValue = z.infer<typeof MergeValueSchema>;

export const TemplateFieldSchema = z.object({
  /** Default: inferred from where the field appears (asset_id → asset, color → color, text → text, …). */
  type: TemplateFieldTypeSchema.optional(),
  /** Used when a merge leaves the field out; without a default the field is required. */
  default: MergeValueSchema.optional(),
  description: z.string().max(500).optional(),
});
export type TemplateField = z.infer<typeof TemplateFieldSchema>;

export const TemplateDocSchema = z.object({
  name: z.string().min(1).max(200),
  fields: z.record(FieldNameSchema, TemplateFieldSchema).default({}),
  /** A timeline (sequence) in which strings may hold `{{NAME}}` placeholders. */
  timeline: z.record(z.string(), z.unknown()),
});
export type TemplateDoc = z.infer<typeof TemplateDocSchema>;

/** One field of a checked template: its type (declared or inferred), default and where it is used. */
export interface ResolvedTemplateField {
  name: string;
  type: TemplateFieldType;
  /** Whether `type` was declared in `fields` (else inferred). */
  declared: boolean;
  default?: MergeValue;
  description?: string;
  /** Paths of the strings that hold the placeholder, e.g. `tracks[2].items[0].text`. */
  paths: string[];
}
