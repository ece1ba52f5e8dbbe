/**
 * The one place storage keys are built. Every object of a tenant lives under
 * `tenants/{tenant}/{env}/media_v2/{asset_id}/…` (ARCHITECTURE.md "Storage keys"); the registry refuses any key
 * outside the caller's prefix, so a bug or a crafted request cannot read or overwrite another tenant's bytes.
 */
import { isSafeId, type RequestContext } from '../context.js';
import { cutroomError } from '../errors.js';
import { assertSafeKey } from '../storage/safe-key.js';

/** Asset and artifact ids: a prefix plus lower-case base32 (see ids.ts). */
const ENTITY_ID = /^[a-z]{2,4}_[a-z0-9]{8,40}$/;

/** The asset folder used by artifacts that belong to no asset (e.g. a render of a whole project). */
export const NO_ASSET_FOLDER = '_none';

export interface AssetKeyInput {
  tenantId: string;
  env: string;
  /** Asset id, or NO_ASSET_FOLDER for tenant-level objects. */
  assetId: string;
  /** Object name inside the asset folder; may contain sub-folders, e.g. `regions/art_x.png`. */
  name: string;
}

/** `tenants/{tenant}/{env}/media_v2/{asset_id}/{name}`; throws INVALID_STORAGE_KEY / INVALID_PATH on unsafe parts. */
export function assetKey({ tenantId, env, assetId, name }: AssetKeyInput): string {
  if (!isSafeId(tenantId) || !isSafeId(env))
    throw cutroomError('INVALID_STORAGE_KEY', 'tenant or env id is not a safe id', { tenantId, env });
  if (assetId !== NO_ASSET_FOLDER && !ENTITY_ID.test(assetId))
    throw cutroomError('INVALID_STORAGE_KEY', 'asset id is not a valid id', { assetId });
  const key = `${tenantPrefix({ tenantId, env })}${assetId}/${name}`;
  assertSafeKey(key);
  return key;
}

/** `tenants/{tenant}/{env}/media_v2/` — the prefix every key of this tenant/env starts with. */
export function tenantPrefix({ tenantId, env }: { tenantId: string; env: string }): string {
  return `tenants/${tenantId}/${env}/media_v2/`;
}

/**
 * Throws INVALID_STORAGE_KEY unless `key` is a safe key under the caller's prefix (and under the asset's folder
 * when `assetId` is given). Unsafe syntax (`..`, NUL, …) is reported as INVALID_STORAGE_KEY too, since a caller
 * handing us such a key is trying to leave its prefix.
 */
export function assertKeyInTenantPrefix(ctx: RequestContext, key: string, assetId?: string | null): void {
  const prefix = assetId
    ? `${tenantPrefix(ctx)}${assetId}/`
    : tenantPrefix({ tenantId: ctx.tenantId, env: ctx.env });
  try {
    assertSafeKey(key);
  } catch (err) {
    throw cutroomError('INVALID_STORAGE_KEY', 'storage key is not a safe key', { key }, { cause: err });
  }
  if (!key.startsWith(prefix) || key.length === prefix.length)
    throw cutroomError('INVALID_STORAGE_KEY', `storage key must start with ${prefix}`, { key, prefix });
}
