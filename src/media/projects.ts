/**
 * Projects repository: tenant-scoped project documents (ProjectSchema) with a version for optimistic
 * concurrency. An update names the version it was based on; if someone saved in between, it fails with
 * VERSION_CONFLICT instead of silently overwriting their work.
 */
import type { Kysely } from 'kysely';
import type { RequestContext } from '../context.js';
import { cutroomError } from '../errors.js';
import type { Database } from '../db/schema.js';
import { ProjectSchema, type Project } from '../timeline/schema.js';
import { parseWith } from '../timeline/validate.js';
import { newId, nowIso } from './ids.js';
import { decodeCursor, encodeCursor, pageLimit, type Page, type PageInput } from './pagination.js';

export interface ProjectRecord {
  id: string;
  name: string;
  /** Starts at 1; +1 on every update. */
  version: number;
  /** The validated document; `document.id` always equals `id`. */
  document: Project;
  created_at: string;
  updated_at: string;
}

export type ProjectSummary = Omit<ProjectRecord, 'document'>;

export interface ProjectService {
  /** Validates (VALIDATION_FAILED with every issue) and stores a new project; id from document.id or generated. */
  createProject(ctx: RequestContext, input: { document: unknown }): Promise<ProjectRecord>;
  /** PROJECT_NOT_FOUND unless it exists in ctx's tenant and env. */
  getProject(ctx: RequestContext, id: string): Promise<ProjectRecord>;
  /** Newest first, without documents. */
  listProjects(ctx: RequestContext, page?: PageInput): Promise<Page<ProjectSummary>>;
  /** Replaces the document if `expectedVersion` is the current version, else VERSION_CONFLICT (409). */
  updateProject(
    ctx: RequestContext,
    input: { id: string; document: unknown; expectedVersion: number },
  ): Promise<ProjectRecord>;
  /** Deletes; with expectedVersion, only if it matches (VERSION_CONFLICT otherwise). */
  deleteProject(ctx: RequestContext, input: { id: string; expectedVersion?: number }): Promise<void>;
}

export function createProjectService({ db }: { db: Kysely<Database> }): ProjectService {
  const toRecord = (row: Database['projects']): ProjectRecord => ({
    id: row.id,
    name: row.name,
    version: Number(row.version),
    document: JSON.parse(row.document) as Project,
    created_at: row.created_at,
    updated_at: row.updated_at,
  });

  const find = (ctx: RequestContext, id: string) =>
    db
      .selectFrom('projects')
      .selectAll()
      .where('tenant_id', '=', ctx.tenantId)
      .where('env', '=', ctx.env)
      .where('id', '=', id)
      .executeTakeFirst();

  const notFound = (id: string) => cutroomError('PROJECT_NOT_FOUND', `no project ${id}`, { project_id: id });

  const getProject = async (ctx: RequestContext, id: string): Promise<ProjectRecord> => {
    const row = typeof id === 'string' ? await find(ctx, id) : undefined;
    if (!row) throw notFound(String(id));
    return toRecord(row);
  };

  const createProject = async (
    ctx: RequestContext,
    { document }: { document: unknown },
  ): Promise<ProjectRecord> => {
    const parsed = parseWith(ProjectSchema, document, 'project');
    const id = parsed.id ?? newId('prj');
    const doc: Project = { ...parsed, id };
    const now = nowIso();
    const row: Database['projects'] = {
      id,
      tenant_id: ctx.tenantId,
      env: ctx.env,
      name: doc.name,
      document: JSON.stringify(doc),
      version: 1,
      created_at: now,
      updated_at: now,
    };
    if (await find(ctx, id))
      throw cutroomError('VERSION_CONFLICT', `project ${id} already exists`, {
        project_id: id,
        current_version: null,
      });
    try {
      await db.insertInto('projects').values(row).execute();
    } catch (err) {
      if (await find(ctx, id))
        throw cutroomError(
          'VERSION_CONFLICT',
          `project ${id} already exists`,
          { project_id: id },
          { cause: err },
        );
      throw err;
    }
    return toRecord(row);
  };

  const updateProject: ProjectService['updateProject'] = async (ctx, { id, document, expectedVersion }) => {
    const parsed = parseWith(ProjectSchema, document, 'project');
    if (parsed.id !== undefined && parsed.id !== id)
      throw cutroomError('VALIDATION_FAILED', 'document.id differs from the project id', {
        issues: [{ path: 'id', message: `must be ${id} or absent` }],
      });
    const doc: Project = { ...parsed, id };
    const now = nowIso();
    // Compare-and-set in one statement: the version check and the write cannot be split by another writer.
    const result = await db
      .updateTable('projects')
      .set({ document: JSON.stringify(doc), name: doc.name, version: expectedVersion + 1, updated_at: now })
      .where('tenant_id', '=', ctx.tenantId)
      .where('env', '=', ctx.env)
      .where('id', '=', id)
      .where('version', '=', expectedVersion)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) {
      const current = await find(ctx, id);
      if (!current) throw notFound(id);
      throw cutroomError(
        'VERSION_CONFLICT',
        `project ${id} is at version ${current.version}, the update was based on ${expectedVersion}`,
        { project_id: id, current_version: Number(current.version), expected_version: expectedVersion },
      );
    }
    return getProject(ctx, id);
  };

  const deleteProject: ProjectService['deleteProject'] = async (ctx, { id, expectedVersion }) => {
    let q = db
      .deleteFrom('projects')
      .where('tenant_id', '=', ctx.tenantId)
      .where('env', '=', ctx.env)
      .where('id', '=', id);
    if (expectedVersion !== undefined) q = q.where('version', '=', expectedVersion);
    const result = await q.executeTakeFirst();
    if (Number(result.numDeletedRows) !== 1) {
      const current = await find(ctx, id);
      if (!current) throw notFound(id);
      throw cutroomError('VERSION_CONFLICT', `project ${id} is at version ${current.version}`, {
        project_id: id,
        current_version: Number(current.version),
        expected_version: expectedVersion,
      });
    }
  };

  const listProjects = async (ctx: RequestContext, page: PageInput = {}): Promise<Page<ProjectSummary>> => {
    const limit = pageLimit(page.limit);
    const after = decodeCursor(page.cursor);
    let q = db
      .selectFrom('projects')
      .select(['id', 'name', 'version', 'created_at', 'updated_at'])
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
    const items = rows.slice(0, limit).map((r) => ({ ...r, version: Number(r.version) }));
    const last = items[items.length - 1];
    return { items, next_cursor: rows.length > limit && last ? encodeCursor(last) : null };
  };

  return { createProject, getProject, listProjects, updateProject, deleteProject };
}
