/**
 * Webhook rows as callers see them: subscribing a job to a callback URL, and the deliveries of one job with
 * every attempt. Keyed by the tenant-scoped job row id, so a job of another tenant or env has no webhook.
 */
import type { Kysely } from 'kysely';
import type { RequestContext } from '../../context.js';
import type { Database } from '../../db/schema.js';
import { rowIdFor } from '../job-id.js';

export type WebhookDeliveryStatus = 'pending' | 'delivering' | 'delivered' | 'failed';

export interface WebhookAttempt {
  attempt: number;
  /** When the attempt started (ISO). */
  at: string;
  /** The receiver's HTTP status, or null when no response came. */
  status_code: number | null;
  /** Why no 2xx: a connection error, a timeout, a refused address; null on success. */
  error: string | null;
  /** When the next attempt is due (ISO), or null when this was the last. */
  next_retry_at: string | null;
}

export interface WebhookDeliveryView {
  /** The event id, also sent as X-Cutroom-Event; the same across attempts. */
  id: string;
  /** The job state the event reports. */
  job_state: 'completed' | 'failed' | 'cancelled';
  status: WebhookDeliveryStatus;
  attempts: WebhookAttempt[];
  next_attempt_at: string | null;
  created_at: string;
}

export interface JobWebhookView {
  url: string;
  deliveries: WebhookDeliveryView[];
}

/** Records that the job's final states are to be POSTed to `url`; a job keeps the first URL it was given. */
export async function subscribeJobWebhook({
  db,
  ctx,
  jobId,
  url,
}: {
  db: Kysely<Database>;
  ctx: RequestContext;
  jobId: string;
  url: string;
}): Promise<void> {
  await db
    .insertInto('webhook_subscriptions')
    .values({
      job_row_id: rowIdFor(ctx, jobId),
      tenant_id: ctx.tenantId,
      env: ctx.env,
      job_id: jobId,
      url,
      notified_state: null,
      notified_finished_at: null,
      created_at: new Date().toISOString(),
    })
    .onConflict((oc) => oc.column('job_row_id').doNothing())
    .execute();
}

/** The job's webhook (URL and deliveries, oldest first), or null when it has none. */
export async function getJobWebhook({
  db,
  ctx,
  jobId,
}: {
  db: Kysely<Database>;
  ctx: RequestContext;
  jobId: string;
}): Promise<JobWebhookView | null> {
  const rowId = rowIdFor(ctx, jobId);
  const sub = await db
    .selectFrom('webhook_subscriptions')
    .select(['url'])
    .where('job_row_id', '=', rowId)
    .where('tenant_id', '=', ctx.tenantId)
    .where('env', '=', ctx.env)
    .executeTakeFirst();
  if (!sub) return null;
  const rows = await db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('job_row_id', '=', rowId)
    .where('tenant_id', '=', ctx.tenantId)
    .where('env', '=', ctx.env)
    .orderBy('created_at', 'asc')
    .orderBy('id', 'asc')
    .execute();
  return {
    url: sub.url,
    deliveries: rows.map((r) => ({
      id: r.id,
      job_state: r.job_state as WebhookDeliveryView['job_state'],
      status: r.status as WebhookDeliveryStatus,
      attempts: JSON.parse(r.attempt_log) as WebhookAttempt[],
      next_attempt_at: r.next_attempt_at,
      created_at: r.created_at,
    })),
  };
}
