/**
 * Templates repository: timelines with `{{NAME}}` merge fields (src/timeline/template), per tenant and env like
 * projects. Storing checks the template (TEMPLATE_INVALID) and that the assets it names itself, and its asset
 * defaults, are the tenant's; merging checks every value (TEMPLATE_MERGE_INVALID naming the field), asset fields
 * included: an id of another tenant is refused exactly like an id that never existed.
 */
import type { Kysely } from 'kysely';
import type { RequestContext } from '../context.js';
import { cutroomError, isCutroomError } from '../errors.js';
import type { Database } from '../db/schema.js';
import {
  checkTemplate,
  mergeTemplate,
  TemplateDocSchema,
  type MergedTemplate,
  type ResolvedTemplateField,
  type TemplateDoc,
} from '../timeline/template/index.js';
import { formatPath, parseWith } from '../timeline/validate.js';
import type { AssetService } from './assets.js';
import { newId, nowIso } from './ids.js';
import { decodeCursor, encodeCursor, pageLimit, type Page, type PageInput } from './pagination.js';

export interface TemplateRecord {
  id: string;
  name: string;
  /** Resolved fields: type (declared or inferred), default, where each is used. */
  fields: ResolvedTemplateField[];
  document: TemplateDoc;
  /** 1 when stored, +1 on every update; update and delete may name the version they expect (VERSION_CONFLICT). */
  version: number;
  created_at: string;
  updated_at: string;
}

export type TemplateSummary = Omit<TemplateRecord, 'document'>;

export interface TemplateService {
  /** Checks (TEMPLATE_INVALID, ASSET_NOT_FOUND for a literal asset id) and stores a new template. */
  createTemplate(ctx: RequestContext, input: { document: unknown }): Promise<TemplateRecord>;
  /**
   * Replaces the document, checked exactly as createTemplate checks one, if `expectedVersion` is the current
   * version (else VERSION_CONFLICT with current_version); TEMPLATE_NOT_FOUND for another tenant's id.
   */
  updateTemplate(
    ctx: RequestContext,
    input: { id: string; document: unknown; expectedVersion: number },
  ): Promise<TemplateRecord>;
  /**
   * Deletes; with expectedVersion only if it matches (VERSION_CONFLICT otherwise). Renders already queued or made
   * from it are untouched: a render job carries its merged timeline inline and its output is an asset.
   */
  deleteTemplate(ctx: RequestContext, input: { id: string; expectedVersion?: number }): Promise<void>;
  /** TEMPLATE_NOT_FOUND unless it exists in ctx's tenant and env. */
  getTemplate(ctx: RequestContext, id: string): Promise<TemplateRecord>;
  /** Newest first, without documents. */
  listTemplates(ctx: RequestContext, page?: PageInput): Promise<Page<TemplateSummary>>;
  /** The template merged with `merge`: a timeline, or TEMPLATE_MERGE_INVALID naming each bad field. */
  mergeStoredTemplate(
    ctx: RequestContext,
    input: { id: string; merge: Readonly<Record<string, unknown>> },
  ): Promise<MergedTemplate & { template: TemplateRecord }>;
}

/** `asset_id` strings of the raw timeline, with their paths: literal ones and placeholder ones. */
function assetRefs(value: unknown): Array<{ id: string; path: string }> {
  const out: Array<{ id: string; path: string }> = [];
  const visit = (v: unknown, segments: Array<string | number>): void => {
    if (Array.isArray(v)) v.forEach((x, i) => visit(x, [...segments, i]));
    else if (typeof v === 'object' && v !== null)
      for (const [k, x] of Object.entries(v)) {
        if (k === 'asset_id' && typeof x === 'string')
          out.push({ id: x, path: formatPath([...segments, k]) });
        else visit(x, [...segments, k]);
      }
  };
  visit(value, []);
  return out;
}

/** Whether `id` is an asset of the caller fit for where it is used (a font for a text layer's font). */
async function assetProblemOf({
  assets,
  ctx,
  id,
  path,
}: {
  assets: Pick<AssetService, 'getAsset'>;
  ctx: RequestContext;
  id: string;
  path: string;
}): Promise<string | undefined> {
  try {
    const asset = await assets.getAsset(ctx, id);
    // An asset id spliced into a longer string (text) only has to exist.
    if (!path.endsWith('asset_id')) return undefined;
    const wantsFont = path.endsWith('font.asset_id');
    if (wantsFont && asset.kind !== 'font') return `asset "${id}" is a ${asset.kind}, ${path} needs a font`;
    if (!wantsFont && asset.kind === 'font')
      return `asset "${id}" is a font, ${path} needs a video, image or audio asset`;
    return undefined;
  } catch (err) {
    if (isCutroomError(err, 'ASSET_NOT_FOUND')) return `no asset "${id}"`;
    throw err;
  }
}

/**
 * Merges `merge` into a template (mergeTemplate) and checks every asset field against the caller's tenant:
 * TEMPLATE_MERGE_INVALID naming the field when its id is unknown, another tenant's, or the wrong kind.
 */
export async function mergeTemplateForTenant({
  assets,
  ctx,
  template,
  merge,
}: {
  assets: Pick<AssetService, 'getAsset'>;
  ctx: RequestContext;
  template: TemplateDoc;
  merge: Readonly<Record<string, unknown>>;
}): Promise<MergedTemplate> {
  const merged = mergeTemplate({ template, merge });
  const issues: Array<{ path: string; field: string; message: string }> = [];
  for (const { field, asset_id } of merged.assets) {
    const f = merged.fields.find((x) => x.name === field)!;
    for (const path of f.paths) {
      const problem = await assetProblemOf({ assets, ctx, id: asset_id, path });
      if (problem !== undefined) {
        issues.push({ path: `merge.${field}`, field, message: problem });
        break;
      }
    }
  }
  if (issues.length > 0)
    throw cutroomError(
      'TEMPLATE_MERGE_INVALID',
      `merge is invalid: field ${issues[0]!.field}: ${issues[0]!.message}`,
      { fields: issues.map((i) => i.field), issues },
    );
  return merged;
}

export function createTemplateService({
  db,
  assets,
}: {
  db: Kysely<Database>;
  assets: Pick<AssetService, 'getAsset'>;
}): TemplateService {
  const find = (ctx: RequestContext, id: string) =>
    db
      .selectFrom('templates')
      .selectAll()
      .where('tenant_id', '=', ctx.tenantId)
      .where('env', '=', ctx.env)
      .where('id', '=', id)
      .executeTakeFirst();

  const toRecord = (row: Database['templates']): TemplateRecord => {
    const document = JSON.parse(row.document) as TemplateDoc;
    return {
      id: row.id,
      name: row.name,
      fields: checkTemplate(document).fields,
      document,
      version: Number(row.version),
      created_at: row.created_at,
      updated_at: row.updated_at,
    };
  };

  const assetProblem = (ctx: RequestContext, id: string, path: string) =>
    assetProblemOf({ assets, ctx, id, path });

  /** Parse and check a document for storing (create and update alike). */
  const checkForStore = async (
    ctx: RequestContext,
    document: unknown,
  ): Promise<{ doc: TemplateDoc; fields: ResolvedTemplateField[] }> => {
    const doc = parseWith(TemplateDocSchema, document, 'template');
    const { fields } = checkTemplate(doc);
    const literal: Array<{ path: string; message: string }> = [];
    const defaults: Array<{ path: string; field: string; message: string }> = [];
    for (const ref of assetRefs(doc.timeline)) {
      if (ref.id.startsWith('generator:')) continue;
      if (!ref.id.includes('{{')) {
        const problem = await assetProblem(ctx, ref.id, ref.path);
        if (problem !== undefined) literal.push({ path: `timeline.${ref.path}`, message: problem });
      }
    }
    for (const f of fields)
      if (f.type === 'asset' && f.default !== undefined)
        for (const path of f.paths) {
          const problem = await assetProblem(ctx, String(f.default), path);
          if (problem !== undefined)
            defaults.push({ path: `fields.${f.name}.default`, field: f.name, message: problem });
        }
    if (literal.length > 0)
      throw cutroomError(
        'ASSET_NOT_FOUND',
        `the template references unknown assets: ${literal[0]!.path}: ${literal[0]!.message}`,
        {
          issues: literal,
        },
      );
    if (defaults.length > 0)
      throw cutroomError(
        'TEMPLATE_INVALID',
        `template is invalid: ${defaults[0]!.path}: ${defaults[0]!.message}`,
        {
          issues: defaults,
        },
      );
    return { doc, fields };
  };

  const createTemplate: TemplateService['createTemplate'] = async (ctx, { document }) => {
    const { doc, fields } = await checkForStore(ctx, document);
    const id = newId('tpl');
    const now = nowIso();
    const row: Database['templates'] = {
      id,
      tenant_id: ctx.tenantId,
      env: ctx.env,
      name: doc.name,
      document: JSON.stringify(doc),
      version: 1,
      created_at: now,
      updated_at: now,
    };
    await db.insertInto('templates').values(row).execute();
    return { id, name: doc.name, fields, document: doc, version: 1, created_at: now, updated_at: now };
  };

  const notFound = (id: string) =>
    cutroomError('TEMPLATE_NOT_FOUND', `no template ${id}`, { template_id: id });

  const conflict = (id: string, current: number, expected: number | undefined) =>
    cutroomError(
      'VERSION_CONFLICT',
      `template ${id} is at version ${current}${expected !== undefined ? `, the change was based on ${expected}` : ''}`,
      { template_id: id, current_version: current, expected_version: expected ?? null },
    );

  const updateTemplate: TemplateService['updateTemplate'] = async (
    ctx,
    { id, document, expectedVersion },
  ) => {
    // Another tenant's id is NOT_FOUND before its document is even looked at (no existence oracle via 400s).
    if (!(await find(ctx, id))) throw notFound(id);
    const { doc } = await checkForStore(ctx, document);
    // Compare-and-set in one statement: the version check and the write cannot be split by another writer.
    const result = await db
      .updateTable('templates')
      .set({
        name: doc.name,
        document: JSON.stringify(doc),
        version: expectedVersion + 1,
        updated_at: nowIso(),
      })
      .where('tenant_id', '=', ctx.tenantId)
      .where('env', '=', ctx.env)
      .where('id', '=', id)
      .where('version', '=', expectedVersion)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) {
      const current = await find(ctx, id);
      if (!current) throw notFound(id);
      throw conflict(id, Number(current.version), expectedVersion);
    }
    return getTemplate(ctx, id);
  };

  const deleteTemplate: TemplateService['deleteTemplate'] = async (ctx, { id, expectedVersion }) => {
    let q = db
      .deleteFrom('templates')
      .where('tenant_id', '=', ctx.tenantId)
      .where('env', '=', ctx.env)
      .where('id', '=', id);
    if (expectedVersion !== undefined) q = q.where('version', '=', expectedVersion);
    const result = await q.executeTakeFirst();
    if (Number(result.numDeletedRows) !== 1) {
      const current = await find(ctx, id);
      if (!current) throw notFound(id);
      throw conflict(id, Number(current.version), expectedVersion);
    }
  };

  const getTemplate: TemplateService['getTemplate'] = async (ctx, id) => {
    const row = await find(ctx, id);
    if (!row) throw notFound(id);
    return toRecord(row);
  };

  const listTemplates: TemplateService['listTemplates'] = async (ctx, page = {}) => {
    const limit = pageLimit(page.limit);
    const after = decodeCursor(page.cursor);
    let q = db
      .selectFrom('templates')
      .selectAll()
      .where('tenant_id', '=', ctx.tenantId)
      .where('env', '=', ctx.env);
    if (after)
      q = q.where((eb) =>
        eb.or([
          eb('created_at', '<', after.created_at),
          eb.and([eb('created_at', '=', after.created_at), eb('id', '<', after.id)]),
        ]),
      );
    const rows = await q
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit + 1)
      .execute();
    const items = rows.slice(0, limit).map((r) => {
      const { document: _doc, ...summary } = toRecord(r);
      return summary;
    });
    const last = items[items.length - 1];
    return { items, next_cursor: rows.length > limit && last ? encodeCursor(last) : null };
  };

  const mergeStoredTemplate: TemplateService['mergeStoredTemplate'] = async (ctx, { id, merge }) => {
    const template = await getTemplate(ctx, id);
    const merged = await mergeTemplateForTenant({ assets, ctx, template: template.document, merge });
    return { ...merged, template };
  };

  return { createTemplate, updateTemplate, deleteTemplate, getTemplate, listTemplates, mergeStoredTemplate };
}
