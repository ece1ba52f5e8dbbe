/**
 * Artifacts: results derived from assets (analyses, proxies, renders, masks), each with validated meta and
 * optional content bytes in the store under the owning tenant's prefix. `lookupOrCreateArtifact` is the cache:
 * the same cache key returns the stored artifact instead of recomputing it.
 */
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import type { RequestContext } from '../context.js';
import { cutroomError } from '../errors.js';
import type { Database } from '../db/schema.js';
import type { ObjectStore } from '../storage/object-store.js';
import { isArtifactKind, type ArtifactKind } from './artifact-kinds.js';
import { validateArtifactMeta, type ArtifactMeta } from './artifact-meta.js';
import type { AssetService } from './assets.js';
import { cacheKey } from './cache-key.js';
import { newId, nowIso } from './ids.js';
import { assertKeyInTenantPrefix, assetKey, NO_ASSET_FOLDER } from './keys.js';

export interface Artifact {
  id: string;
  tenant_id: string;
  env: string;
  asset_id: string | null;
  kind: ArtifactKind;
  cache_key: string;
  backend_version: string;
  /** Storage key of the content, or null for a meta-only artifact. */
  storage_key: string | null;
  size_bytes: number | null;
  /** sha256 hex of the content. */
  content_hash: string | null;
  meta: ArtifactMeta;
  created_at: string;
}

export type ArtifactContentSource = Buffer | Readable | { path: string };

export interface RegisterArtifactInput {
  /** The asset it derives from (must be the caller's), or null (e.g. a whole-project render). */
  assetId: string | null;
  kind: ArtifactKind;
  /** Validated: tenant, env, cache_key, backend_version (+ model_used, duration_ms for analysis kinds). */
  meta: Record<string, unknown>;
  content?: ArtifactContentSource;
  /** Full storage key for the content; refused (INVALID_STORAGE_KEY) unless under the caller's asset prefix. */
  key?: string;
  /**
   * Name under the asset's folder when `key` is not given, e.g. `proxy_draft_360p.mp4` or
   * `regions/{artifact_id}.png` (`{artifact_id}` is replaced by the new id). Default `artifacts/{artifact_id}.bin`.
   */
  name?: string;
}

export interface ProduceResult {
  /** Kind-specific meta plus model_used (analysis kinds); tenant, env, cache_key, backend_version are filled in,
   * and duration_ms defaults to the measured time of produce. */
  meta: Record<string, unknown>;
  content?: ArtifactContentSource;
  /** As RegisterArtifactInput.name. */
  name?: string;
}

export interface LookupOrCreateInput {
  assetId: string | null;
  kind: ArtifactKind;
  /** Every parameter that changes the result; part of the cache key. */
  params: unknown;
  backendVersion: string;
  /** Called only on a cache miss, once per key even under concurrent calls; workDir is removed afterwards. */
  produce: (args: { workDir: string; cacheKey: string }) => Promise<ProduceResult>;
}

export interface LookupOrCreateResult {
  artifact: Artifact;
  /** True when an existing artifact was returned and produce was not called by this call. */
  cached: boolean;
}

export interface ArtifactContent {
  stream: Readable;
  size: number;
  key: string;
}

export interface ArtifactService {
  registerArtifact(ctx: RequestContext, input: RegisterArtifactInput): Promise<Artifact>;
  lookupOrCreateArtifact(ctx: RequestContext, input: LookupOrCreateInput): Promise<LookupOrCreateResult>;
  /** ARTIFACT_NOT_FOUND unless it exists in ctx's tenant and env. */
  getArtifact(ctx: RequestContext, id: string): Promise<Artifact>;
  /** Newest first; at most `limit` (default 500). */
  listArtifacts(
    ctx: RequestContext,
    filter?: { assetId?: string; kind?: ArtifactKind; limit?: number },
  ): Promise<Artifact[]>;
  latestArtifact(
    ctx: RequestContext,
    input: { assetId: string | null; kind: ArtifactKind },
  ): Promise<Artifact | null>;
  /** ARTIFACT_NOT_FOUND also for a meta-only artifact (no content). */
  artifactContent(ctx: RequestContext, id: string): Promise<ArtifactContent>;
  /** Local path of the content, for ffmpeg. */
  artifactPath(ctx: RequestContext, id: string): Promise<string>;
  /** The cache key lookupOrCreateArtifact would use (for plan meta / dependency notices). */
  cacheKeyFor(
    ctx: RequestContext,
    input: { assetId: string | null; kind: ArtifactKind; params: unknown; backendVersion: string },
  ): Promise<string>;
}

export interface ArtifactServiceOptions {
  db: Kysely<Database>;
  store: ObjectStore;
  assets: AssetService;
  /** Where produce() gets its scratch directories. */
  workRoot: string;
}

export function createArtifactService({
  db,
  store,
  assets,
  workRoot,
}: ArtifactServiceOptions): ArtifactService {
  const inflight = new Map<string, Promise<LookupOrCreateResult>>();

  const toArtifact = (row: Database['artifacts']): Artifact => ({
    id: row.id,
    tenant_id: row.tenant_id,
    env: row.env,
    asset_id: row.asset_id,
    kind: row.kind as ArtifactKind,
    cache_key: row.cache_key,
    backend_version: row.backend_version,
    storage_key: row.storage_key,
    size_bytes: row.size_bytes === null ? null : Number(row.size_bytes),
    content_hash: row.content_hash,
    meta: JSON.parse(row.meta) as ArtifactMeta,
    created_at: row.created_at,
  });

  const scoped = (ctx: RequestContext) =>
    db.selectFrom('artifacts').selectAll().where('tenant_id', '=', ctx.tenantId).where('env', '=', ctx.env);

  const assertKind = (kind: unknown): void => {
    if (!isArtifactKind(kind))
      throw cutroomError('VALIDATION_FAILED', `unknown artifact kind ${String(kind)}`, {
        issues: [{ path: 'kind', message: 'unknown artifact kind' }],
      });
  };

  const registerArtifact = async (ctx: RequestContext, input: RegisterArtifactInput): Promise<Artifact> => {
    assertKind(input.kind);
    if (input.assetId !== null) await assets.getAsset(ctx, input.assetId);
    const meta = validateArtifactMeta({ ctx, kind: input.kind, meta: input.meta });
    const id = newId('art');
    let key: string | null = null;
    let put: { size: number; sha256: string } | null = null;
    if (input.key !== undefined) assertKeyInTenantPrefix(ctx, input.key, input.assetId ?? undefined);
    if (input.content !== undefined) {
      key =
        input.key ??
        assetKey({
          tenantId: ctx.tenantId,
          env: ctx.env,
          assetId: input.assetId ?? NO_ASSET_FOLDER,
          name: (input.name ?? 'artifacts/{artifact_id}.bin').replaceAll('{artifact_id}', id),
        });
      const c = input.content;
      const body = Buffer.isBuffer(c)
        ? c
        : 'path' in c && typeof c.path === 'string'
          ? createReadStream(c.path)
          : (c as Readable);
      put = await store.put(key, body);
    } else if (input.key !== undefined) {
      // Content written earlier (e.g. by ffmpeg straight into the store): it must exist.
      const st = await store.stat(input.key);
      if (!st) throw cutroomError('OBJECT_NOT_FOUND', `no object at ${input.key}`, { key: input.key });
      key = input.key;
    }
    const row: Database['artifacts'] = {
      id,
      tenant_id: ctx.tenantId,
      env: ctx.env,
      asset_id: input.assetId,
      kind: input.kind,
      cache_key: meta.cache_key,
      backend_version: meta.backend_version,
      storage_key: key,
      size_bytes: put ? put.size : key ? ((await store.stat(key))?.size ?? null) : null,
      content_hash: put ? put.sha256 : null,
      meta: JSON.stringify(meta),
      created_at: nowIso(),
    };
    try {
      await db.insertInto('artifacts').values(row).execute();
    } catch (err) {
      if (put && key) await store.delete(key).catch(() => false);
      throw cutroomError('STORE_FAILED', 'recording the artifact failed', {}, { cause: err });
    }
    return toArtifact(row);
  };

  const contentHashOf = async (ctx: RequestContext, assetId: string | null): Promise<string | null> =>
    assetId === null ? null : (await assets.getAsset(ctx, assetId)).content_hash;

  const cacheKeyFor: ArtifactService['cacheKeyFor'] = async (
    ctx,
    { assetId, kind, params, backendVersion },
  ) => {
    assertKind(kind);
    return cacheKey({
      tenantId: ctx.tenantId,
      env: ctx.env,
      contentHash: await contentHashOf(ctx, assetId),
      kind,
      params,
      backendVersion,
    });
  };

  const findCached = async (
    ctx: RequestContext,
    kind: ArtifactKind,
    key: string,
  ): Promise<Artifact | null> => {
    const row = await scoped(ctx)
      .where('cache_key', '=', key)
      .where('kind', '=', kind)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .executeTakeFirst();
    return row ? toArtifact(row) : null;
  };

  const produceAndRegister = async (
    ctx: RequestContext,
    input: LookupOrCreateInput,
    key: string,
  ): Promise<Artifact> => {
    await mkdir(workRoot, { recursive: true });
    const workDir = await mkdtemp(join(workRoot, 'art-'));
    try {
      const started = performance.now();
      const produced = await input.produce({ workDir, cacheKey: key });
      const measured = Math.round(performance.now() - started);
      return await registerArtifact(ctx, {
        assetId: input.assetId,
        kind: input.kind,
        meta: {
          duration_ms: measured,
          ...produced.meta,
          tenant: ctx.tenantId,
          env: ctx.env,
          cache_key: key,
          backend_version: input.backendVersion,
        },
        content: produced.content,
        name: produced.name,
      });
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  };

  const lookupOrCreateArtifact = async (
    ctx: RequestContext,
    input: LookupOrCreateInput,
  ): Promise<LookupOrCreateResult> => {
    const key = await cacheKeyFor(ctx, input);
    // Lookup and production run under one in-process lock per cache key (get and set happen in the same tick), so
    // concurrent callers never produce twice. The key already contains tenant and env: one map serves everyone.
    const running = inflight.get(key);
    if (running) return { artifact: (await running).artifact, cached: true };
    const promise = (async (): Promise<LookupOrCreateResult> => {
      const existing = await findCached(ctx, input.kind, key);
      if (existing) return { artifact: existing, cached: true };
      return { artifact: await produceAndRegister(ctx, input, key), cached: false };
    })();
    inflight.set(key, promise);
    try {
      return await promise;
    } finally {
      if (inflight.get(key) === promise) inflight.delete(key);
    }
  };

  const getArtifact = async (ctx: RequestContext, id: string): Promise<Artifact> => {
    const row =
      typeof id === 'string' ? await scoped(ctx).where('id', '=', id).executeTakeFirst() : undefined;
    if (!row) throw cutroomError('ARTIFACT_NOT_FOUND', `no artifact ${String(id)}`, { artifact_id: id });
    return toArtifact(row);
  };

  const listArtifacts: ArtifactService['listArtifacts'] = async (ctx, filter = {}) => {
    let q = scoped(ctx);
    if (filter.assetId !== undefined) q = q.where('asset_id', '=', filter.assetId);
    if (filter.kind !== undefined) q = q.where('kind', '=', filter.kind);
    const limit = Math.min(Math.max(1, Math.trunc(filter.limit ?? 500)), 5000);
    const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
    return rows.map(toArtifact);
  };

  const latestArtifact: ArtifactService['latestArtifact'] = async (ctx, { assetId, kind }) => {
    let q = scoped(ctx).where('kind', '=', kind);
    q = assetId === null ? q.where('asset_id', 'is', null) : q.where('asset_id', '=', assetId);
    const row = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').executeTakeFirst();
    return row ? toArtifact(row) : null;
  };

  const contentKey = async (ctx: RequestContext, id: string): Promise<string> => {
    const artifact = await getArtifact(ctx, id);
    if (!artifact.storage_key)
      throw cutroomError('ARTIFACT_NOT_FOUND', `artifact ${id} has no content`, { artifact_id: id });
    // Defence in depth: a row can only point inside its own tenant's prefix.
    assertKeyInTenantPrefix(ctx, artifact.storage_key);
    return artifact.storage_key;
  };

  const artifactContent = async (ctx: RequestContext, id: string): Promise<ArtifactContent> => {
    const key = await contentKey(ctx, id);
    const st = await store.stat(key);
    if (!st)
      throw cutroomError('ARTIFACT_NOT_FOUND', `content of artifact ${id} is missing`, { artifact_id: id });
    return { stream: await store.get(key), size: st.size, key };
  };

  const artifactPath = async (ctx: RequestContext, id: string): Promise<string> =>
    store.localPath(await contentKey(ctx, id));

  return {
    registerArtifact,
    lookupOrCreateArtifact,
    getArtifact,
    listArtifacts,
    latestArtifact,
    artifactContent,
    artifactPath,
    cacheKeyFor,
  };
}
