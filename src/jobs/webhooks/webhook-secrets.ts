/**
 * The per-tenant webhook signing secret: created on first use, rotated on request. Every call is keyed by the
 * caller's tenant, so one tenant can never read or rotate another's. Stored in plaintext because signing needs
 * it (an HMAC key cannot be hashed like an API key); it never appears in a job, an event or a log.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';

export interface WebhookSecret {
  secret: string;
  created_at: string;
  rotated_at: string | null;
}

function newSecret(): string {
  return `whsec_${randomBytes(32).toString('hex')}`;
}

/** The tenant's secret, created if it has none (two concurrent first calls agree on one). */
export async function getWebhookSecret({
  db,
  tenantId,
}: {
  db: Kysely<Database>;
  tenantId: string;
}): Promise<WebhookSecret> {
  const read = () =>
    db
      .selectFrom('webhook_secrets')
      .select(['secret', 'created_at', 'rotated_at'])
      .where('tenant_id', '=', tenantId)
      .executeTakeFirst();
  const found = await read();
  if (found) return found;
  await db
    .insertInto('webhook_secrets')
    .values({
      tenant_id: tenantId,
      secret: newSecret(),
      created_at: new Date().toISOString(),
      rotated_at: null,
    })
    .onConflict((oc) => oc.column('tenant_id').doNothing())
    .execute();
  return (await read())!;
}

/** Replaces the tenant's secret; deliveries from now on (retries included) are signed with the new one. */
export async function rotateWebhookSecret({
  db,
  tenantId,
}: {
  db: Kysely<Database>;
  tenantId: string;
}): Promise<WebhookSecret> {
  await getWebhookSecret({ db, tenantId });
  const now = new Date().toISOString();
  await db
    .updateTable('webhook_secrets')
    .set({ secret: newSecret(), rotated_at: now })
    .where('tenant_id', '=', tenantId)
    .execute();
  return getWebhookSecret({ db, tenantId });
}
