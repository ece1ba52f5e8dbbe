/**
 * Job ids. A submitted job gets a deterministic id from what it would produce, so submitting the same render
 * twice (a double click, a client retry after a timeout) finds the existing job instead of rendering again:
 * `job_` + sha256(canonical JSON {tenant, env, kind, key}) — for a render the key is {plan_hash, profile, output}.
 *
 * Ids are public, but rows are stored under a second, tenant-scoped id (`rowIdFor`), so a client-chosen id such as
 * "nightly" used by two tenants never collides and one tenant cannot learn that another used an id.
 */
import { createHash } from 'node:crypto';
import { ID_PATTERN, type RequestContext } from '../context.js';
import { cutroomError } from '../errors.js';
import { canonicalJson } from '../media/cache-key.js';

/** Hex digits kept from the sha256: 128 bits, unguessable and collision-free in practice. */
const ID_HEX = 32;

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export interface DeriveJobIdInput {
  ctx: Pick<RequestContext, 'tenantId' | 'env'>;
  kind: string;
  /** What makes two submissions "the same job", e.g. {plan_hash, profile, output}. */
  key: unknown;
}

export function deriveJobId({ ctx, kind, key }: DeriveJobIdInput): string {
  const text = canonicalJson({ tenant: ctx.tenantId, env: ctx.env, kind, key: key ?? null });
  return `job_${sha256(text).slice(0, ID_HEX)}`;
}

/** The DB primary key of a job: scoped to tenant and env, never shown to clients. */
export function rowIdFor(ctx: Pick<RequestContext, 'tenantId' | 'env'>, jobId: string): string {
  return `jr_${sha256(`${ctx.tenantId}\u0000${ctx.env}\u0000${jobId}`).slice(0, 40)}`;
}

/** sha256 of the canonical params: compared when a client reuses its own job id. */
export function paramsHash(params: unknown): string {
  return sha256(canonicalJson(params ?? null, 'params'));
}

/** Client-chosen ids use the tenant id alphabet (they end up in storage keys and URLs). */
export function assertClientJobId(id: unknown): asserts id is string {
  if (typeof id !== 'string' || !ID_PATTERN.test(id))
    throw cutroomError('VALIDATION_FAILED', 'job id must match ^[a-z0-9][a-z0-9_-]{0,62}$', {
      issues: [
        {
          path: 'job_id',
          message: 'must be 1-63 chars of a-z, 0-9, _ and -, starting with a letter or digit',
        },
      ],
    });
}
