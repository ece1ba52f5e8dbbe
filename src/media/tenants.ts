/**
 * Tenants and API keys. A key maps to one tenant and a set of envs. Only the sha256 of a key is stored: a leaked
 * database does not leak usable keys, and lookup by hash needs no constant-time compare (the attacker cannot
 * choose which row is compared, and the hash of a guess reveals nothing about stored hashes).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { isSafeId } from '../context.js';
import { cutroomError } from '../errors.js';
import type { Database } from '../db/schema.js';
import { newId, nowIso } from './ids.js';

export const LOCAL_TENANT_ID = 'local';
export const LOCAL_ENVS = ['dev', 'prod'] as const;

export interface Tenant {
  id: string;
  name: string;
  envs: string[];
  created_at: string;
}

export interface ApiKeyInfo {
  id: string;
  tenant_id: string;
  envs: string[];
  label: string;
  created_at: string;
  revoked_at: string | null;
}

export interface CreateTenantInput {
  id: string;
  name?: string;
  /** Env ids (ID_PATTERN); default ["dev", "prod"]. */
  envs?: string[];
}

export interface CreateApiKeyInput {
  tenantId: string;
  /** Envs the key may act in; must be a subset of the tenant's envs. Default: all of them. */
  envs?: string[];
  label?: string;
}

export interface CreatedApiKey {
  /** The plaintext key, `cr_` + 43 base64url chars. Returned once; only its hash is stored. */
  key: string;
  info: ApiKeyInfo;
}

export interface ResolvedApiKey {
  tenantId: string;
  envs: string[];
  keyId: string;
}

export interface EnsureLocalTenantResult {
  tenantId: string;
  /** Plaintext key, present only when it was created by this call (print it once). */
  key?: string;
  created: boolean;
}

export interface TenantService {
  createTenant(input: CreateTenantInput): Promise<Tenant>;
  getTenant(id: string): Promise<Tenant | null>;
  listTenants(): Promise<Tenant[]>;
  createApiKey(input: CreateApiKeyInput): Promise<CreatedApiKey>;
  /** The key's tenant and envs, or null for an unknown, malformed or revoked key. */
  resolveApiKey(key: string): Promise<ResolvedApiKey | null>;
  /** Keys of a tenant, newest first, without secrets or hashes. */
  listKeys(tenantId: string): Promise<ApiKeyInfo[]>;
  /** Revokes the key (KEY_NOT_FOUND if it does not exist or belongs to another tenant when tenantId is given). */
  revokeKey(input: { keyId: string; tenantId?: string }): Promise<ApiKeyInfo>;
  /** Embedded default: tenant `local` with envs dev+prod and one key, created on first run. */
  ensureLocalTenant(): Promise<EnsureLocalTenantResult>;
}

const KEY_FORMAT = /^cr_[A-Za-z0-9_-]{43}$/;

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export function createTenantService({ db }: { db: Kysely<Database> }): TenantService {
  const toTenant = (row: Database['tenants']): Tenant => ({
    id: row.id,
    name: row.name,
    envs: JSON.parse(row.envs) as string[],
    created_at: row.created_at,
  });
  const toKey = (row: Database['api_keys']): ApiKeyInfo => ({
    id: row.id,
    tenant_id: row.tenant_id,
    envs: JSON.parse(row.envs) as string[],
    label: row.label,
    created_at: row.created_at,
    revoked_at: row.revoked_at,
  });

  const getTenant = async (id: string): Promise<Tenant | null> => {
    const row = await db.selectFrom('tenants').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toTenant(row) : null;
  };

  const createTenant = async ({ id, name, envs = [...LOCAL_ENVS] }: CreateTenantInput): Promise<Tenant> => {
    const issues: { path: string; message: string }[] = [];
    if (!isSafeId(id))
      issues.push({ path: 'id', message: 'tenant id must match ^[a-z0-9][a-z0-9_-]{0,62}$' });
    if (id === 't_unknown') issues.push({ path: 'id', message: 't_unknown is reserved' });
    if (envs.length === 0) issues.push({ path: 'envs', message: 'at least one env is required' });
    envs.forEach((e, i) => {
      if (!isSafeId(e))
        issues.push({ path: `envs[${i}]`, message: 'env must match ^[a-z0-9][a-z0-9_-]{0,62}$' });
    });
    if (issues.length > 0)
      throw cutroomError('VALIDATION_FAILED', `invalid tenant: ${issues[0]!.path}`, { issues });
    if (await getTenant(id))
      throw cutroomError('VALIDATION_FAILED', `tenant ${id} already exists`, {
        issues: [{ path: 'id', message: 'already exists' }],
      });
    const row = { id, name: name ?? id, envs: JSON.stringify([...new Set(envs)]), created_at: nowIso() };
    await db.insertInto('tenants').values(row).execute();
    return toTenant(row);
  };

  const createApiKey = async ({ tenantId, envs, label = '' }: CreateApiKeyInput): Promise<CreatedApiKey> => {
    const tenant = await getTenant(tenantId);
    if (!tenant) throw cutroomError('UNKNOWN_TENANT', `tenant ${tenantId} does not exist`, { tenantId });
    const keyEnvs = envs ?? tenant.envs;
    const foreign = keyEnvs.filter((e) => !tenant.envs.includes(e));
    if (keyEnvs.length === 0 || foreign.length > 0)
      throw cutroomError('VALIDATION_FAILED', 'key envs must be a non-empty subset of the tenant envs', {
        issues: [
          { path: 'envs', message: `not envs of tenant ${tenantId}: ${foreign.join(', ') || '(empty)'}` },
        ],
      });
    const key = `cr_${randomBytes(32).toString('base64url')}`;
    const row = {
      id: newId('key'),
      tenant_id: tenantId,
      key_hash: hashApiKey(key),
      envs: JSON.stringify([...new Set(keyEnvs)]),
      label: label.slice(0, 200),
      created_at: nowIso(),
      revoked_at: null,
    };
    await db.insertInto('api_keys').values(row).execute();
    return { key, info: toKey(row) };
  };

  const resolveApiKey = async (key: string): Promise<ResolvedApiKey | null> => {
    if (typeof key !== 'string' || !KEY_FORMAT.test(key)) return null;
    const row = await db
      .selectFrom('api_keys')
      .selectAll()
      .where('key_hash', '=', hashApiKey(key))
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (!row) return null;
    return { tenantId: row.tenant_id, envs: JSON.parse(row.envs) as string[], keyId: row.id };
  };

  const listKeys = async (tenantId: string): Promise<ApiKeyInfo[]> => {
    const rows = await db
      .selectFrom('api_keys')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
    return rows.map(toKey);
  };

  const revokeKey = async ({
    keyId,
    tenantId,
  }: {
    keyId: string;
    tenantId?: string;
  }): Promise<ApiKeyInfo> => {
    let q = db.selectFrom('api_keys').selectAll().where('id', '=', keyId);
    if (tenantId !== undefined) q = q.where('tenant_id', '=', tenantId);
    const row = await q.executeTakeFirst();
    if (!row) throw cutroomError('KEY_NOT_FOUND', `no API key ${keyId}`, { keyId });
    const revoked_at = row.revoked_at ?? nowIso();
    await db.updateTable('api_keys').set({ revoked_at }).where('id', '=', keyId).execute();
    return toKey({ ...row, revoked_at });
  };

  const ensureLocalTenant = async (): Promise<EnsureLocalTenantResult> => {
    const existing = await getTenant(LOCAL_TENANT_ID);
    if (existing) return { tenantId: LOCAL_TENANT_ID, created: false };
    try {
      await createTenant({ id: LOCAL_TENANT_ID, name: 'Local', envs: [...LOCAL_ENVS] });
    } catch (err) {
      // Two processes starting at once: the other one created it (and printed its key).
      if (await getTenant(LOCAL_TENANT_ID)) return { tenantId: LOCAL_TENANT_ID, created: false };
      throw err;
    }
    const { key } = await createApiKey({ tenantId: LOCAL_TENANT_ID, label: 'local default' });
    return { tenantId: LOCAL_TENANT_ID, key, created: true };
  };

  const listTenants = async (): Promise<Tenant[]> =>
    (await db.selectFrom('tenants').selectAll().orderBy('id').execute()).map(toTenant);

  return {
    createTenant,
    getTenant,
    listTenants,
    createApiKey,
    resolveApiKey,
    listKeys,
    revokeKey,
    ensureLocalTenant,
  };
}
