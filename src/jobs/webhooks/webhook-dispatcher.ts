/**
 * The webhook dispatcher: an outbox drained from the metadata database. Each poll
 *   1. finds subscribed jobs that reached a final state (completed, failed, cancelled) not yet turned into an
 *      event, and inserts one delivery row per (job, final state, finished_at) — a resumed job that ends again
 *      gets a second event;
 *   2. claims due deliveries (a conditional update with a lease, so several processes never send one twice at
 *      once, and a process that dies mid-delivery leaves a lease that expires) and POSTs them.
 * Both queue adapters write final states to the same `jobs` rows, so this works with either, in any process
 * that has the database; nothing here can fail a job — a delivery is a separate row with its own retries.
 *
 * Retries: 2xx is delivered; 4xx other than 408 and 429 gives up at once (the receiver refused the event);
 * anything else (5xx, 3xx, 408, 429, no response) retries with exponential backoff until `maxAttempts`. A URL
 * whose host now resolves to a refused address gives up (see webhook-policy.ts).
 */
import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { isCutroomError } from '../../errors.js';
import type { Database } from '../../db/schema.js';
import type { JobRecord } from '../job-queue.js';
import { toJobRecord } from '../job-row.js';
import { backoffDelayMs, type BackoffOptions } from '../retry-policy.js';
import { checkWebhookUrl, type WebhookPolicy } from './webhook-policy.js';
import { postWebhook, type WebhookPostInput, type WebhookPostResult } from './webhook-post.js';
import { getWebhookSecret } from './webhook-secrets.js';
import { EVENT_ID_HEADER, SIGNATURE_HEADER, signWebhook } from './webhook-signature.js';
import type { WebhookAttempt } from './webhook-store.js';

const FINAL_STATES = ['completed', 'failed', 'cancelled'] as const;

export interface WebhookDispatcherOptions {
  db: Kysely<Database>;
  policy: WebhookPolicy;
  /** The tenant-safe view of a job put in the event (no server paths, sanitized errors). */
  describeJob: (job: JobRecord) => unknown;
  /** Default 1000. */
  pollMs?: number;
  /** Attempts per event, first included. Default 8. */
  maxAttempts?: number;
  /** Delay before the 2nd attempt (doubles per attempt) and its cap. Default 2 s, 10 min. */
  backoff?: BackoffOptions;
  /** Per attempt. Default 10000. */
  timeoutMs?: number;
  /** A claimed delivery not finished by then is taken over by the next poll. Default 60000. */
  leaseMs?: number;
  /** Deliveries sent at once per poll. Default 8. */
  batch?: number;
  /** Tests: the transport (default: postWebhook). */
  post?: (input: WebhookPostInput) => Promise<WebhookPostResult>;
  /** Errors of the background work (database gone…); the next poll retries. Default: ignored. */
  onError?: (error: unknown) => void;
}

export interface WebhookDispatcher {
  start(): void;
  /** Stops polling and waits for the poll in flight (bounded by the attempt timeout). */
  stop(): Promise<void>;
  /** One poll now (tests, or after a job finished). */
  tick(): Promise<void>;
}

export interface WebhookEvent {
  /** The event id (same across attempts). */
  id: string;
  /** `<job kind>.<final state>`, e.g. render.completed. */
  type: string;
  /** When the job reached the state (ISO). */
  created_at: string;
  job: unknown;
}

function deliveryIdFor(jobRowId: string, state: string, finishedAt: string | null): string {
  const h = createHash('sha256')
    .update(`${jobRowId}\u0000${state}\u0000${finishedAt ?? ''}`)
    .digest('hex');
  return `whd_${h.slice(0, 32)}`;
}

/** Whether an HTTP status ends the retries: 2xx delivered, 4xx refused (408 and 429 are "try later"). */
function classify(statusCode: number): 'delivered' | 'give_up' | 'retry' {
  if (statusCode >= 200 && statusCode < 300) return 'delivered';
  if (statusCode >= 400 && statusCode < 500 && statusCode !== 408 && statusCode !== 429) return 'give_up';
  return 'retry';
}

export function createWebhookDispatcher(options: WebhookDispatcherOptions): WebhookDispatcher {
  const { db, policy, describeJob } = options;
  const pollMs = options.pollMs ?? 1000;
  const maxAttempts = Math.max(1, options.maxAttempts ?? 8);
  const backoff = { baseMs: 2000, maxMs: 600000, ...options.backoff };
  const timeoutMs = options.timeoutMs ?? 10000;
  const leaseMs = Math.max(options.leaseMs ?? 60000, timeoutMs * 2);
  const batch = options.batch ?? 8;
  const post = options.post ?? postWebhook;
  let timer: NodeJS.Timeout | null = null;
  let inFlight: Promise<void> | null = null;
  let again = false;

  const reportError = (error: unknown): void => {
    try {
      options.onError?.(error);
    } catch {
      // The sink failed too; the next poll retries anyway.
    }
  };

  /** Step 1: one delivery row per final state reached by a subscribed job. */
  const createEvents = async (): Promise<void> => {
    const rows = await db
      .selectFrom('webhook_subscriptions as s')
      .innerJoin('jobs as j', 'j.id', 's.job_row_id')
      .select([
        's.job_row_id',
        's.url',
        's.notified_state',
        's.notified_finished_at',
        'j.state',
        'j.finished_at',
      ])
      .where('j.state', 'in', [...FINAL_STATES])
      .where((eb) =>
        eb.or([
          eb('s.notified_state', 'is', null),
          eb('s.notified_state', '!=', eb.ref('j.state')),
          eb(
            eb.fn.coalesce('s.notified_finished_at', sql.lit('')),
            '!=',
            eb.fn.coalesce('j.finished_at', sql.lit('')),
          ),
        ]),
      )
      .limit(100)
      .execute();
    for (const r of rows) {
      const jobRow = await db
        .selectFrom('jobs')
        .selectAll()
        .where('id', '=', r.job_row_id)
        .executeTakeFirst();
      if (!jobRow || jobRow.state !== r.state || jobRow.finished_at !== r.finished_at) continue; // moved on
      const job = toJobRecord(jobRow);
      const id = deliveryIdFor(r.job_row_id, job.state, job.finished_at);
      const createdAt = job.finished_at ?? job.updated_at;
      const event: WebhookEvent = {
        id,
        type: `${job.kind}.${job.state}`,
        created_at: createdAt,
        job: describeJob(job),
      };
      const now = new Date().toISOString();
      await db
        .insertInto('webhook_deliveries')
        .values({
          id,
          tenant_id: jobRow.tenant_id,
          env: jobRow.env,
          job_row_id: r.job_row_id,
          job_id: job.id,
          url: r.url,
          job_state: job.state,
          event: JSON.stringify(event),
          status: 'pending',
          attempts: 0,
          attempt_log: '[]',
          next_attempt_at: now,
          lease_until: null,
          created_at: now,
          updated_at: now,
        })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
      await db
        .updateTable('webhook_subscriptions')
        .set({ notified_state: job.state, notified_finished_at: job.finished_at })
        .where('job_row_id', '=', r.job_row_id)
        .where('notified_state', r.notified_state === null ? 'is' : '=', r.notified_state)
        .where('notified_finished_at', r.notified_finished_at === null ? 'is' : '=', r.notified_finished_at)
        .execute();
    }
  };

  /** One attempt of a claimed delivery; returns what to record. */
  const attempt = async (
    row: Database['webhook_deliveries'],
  ): Promise<{
    statusCode: number | null;
    error: string | null;
    outcome: 'delivered' | 'give_up' | 'retry';
  }> => {
    let checked;
    try {
      checked = await checkWebhookUrl({ url: row.url, policy });
    } catch (err) {
      if (isCutroomError(err, 'WEBHOOK_ADDRESS_FORBIDDEN'))
        return { statusCode: null, error: `${err.code}: ${err.message}`, outcome: 'give_up' };
      if (isCutroomError(err))
        return { statusCode: null, error: `${err.code}: ${err.message}`, outcome: 'retry' };
      throw err;
    }
    const { secret } = await getWebhookSecret({ db, tenantId: row.tenant_id });
    const timestamp = Math.floor(Date.now() / 1000);
    const result = await post({
      url: checked.url,
      address: checked.addresses[0]!,
      headers: {
        'content-type': 'application/json',
        'user-agent': 'cutroom-webhooks/1',
        [SIGNATURE_HEADER]: signWebhook({ secret, timestamp, body: row.event }),
        [EVENT_ID_HEADER]: row.id,
      },
      body: row.event,
      timeoutMs,
    });
    if ('error' in result) return { statusCode: null, error: result.error, outcome: 'retry' };
    return {
      statusCode: result.statusCode,
      error: classify(result.statusCode) === 'delivered' ? null : `HTTP ${result.statusCode}`,
      outcome: classify(result.statusCode),
    };
  };

  const deliver = async (row: Database['webhook_deliveries']): Promise<void> => {
    const startedAt = new Date();
    const leaseUntil = new Date(startedAt.getTime() + leaseMs).toISOString();
    const claim = await db
      .updateTable('webhook_deliveries')
      .set({ status: 'delivering', lease_until: leaseUntil, updated_at: startedAt.toISOString() })
      .where('id', '=', row.id)
      .where('status', '=', row.status)
      .where('updated_at', '=', row.updated_at)
      .where('lease_until', row.lease_until === null ? 'is' : '=', row.lease_until)
      .executeTakeFirst();
    if (Number(claim.numUpdatedRows) !== 1) return; // another process took it
    let result: Awaited<ReturnType<typeof attempt>>;
    try {
      result = await attempt(row);
    } catch (err) {
      reportError(err);
      result = { statusCode: null, error: 'internal error while delivering', outcome: 'retry' };
    }
    const attempts = Number(row.attempts) + 1;
    const retry = result.outcome === 'retry' && attempts < maxAttempts;
    const nextAt = retry
      ? new Date(Date.now() + backoffDelayMs({ attempts, ...backoff })).toISOString()
      : null;
    const log = JSON.parse(row.attempt_log) as WebhookAttempt[];
    log.push({
      attempt: attempts,
      at: startedAt.toISOString(),
      status_code: result.statusCode,
      error: result.error,
      next_retry_at: nextAt,
    });
    await db
      .updateTable('webhook_deliveries')
      .set({
        status: result.outcome === 'delivered' ? 'delivered' : retry ? 'pending' : 'failed',
        attempts,
        attempt_log: JSON.stringify(log),
        next_attempt_at: nextAt,
        lease_until: null,
        updated_at: new Date().toISOString(),
      })
      .where('id', '=', row.id)
      .where('status', '=', 'delivering')
      .where('lease_until', '=', leaseUntil)
      .execute();
  };

  /** Step 2: due deliveries, and deliveries whose claimer died (lease expired). */
  const deliverDue = async (): Promise<void> => {
    const now = new Date().toISOString();
    const rows = await db
      .selectFrom('webhook_deliveries')
      .selectAll()
      .where((eb) =>
        eb.or([
          eb.and([eb('status', '=', 'pending'), eb('next_attempt_at', '<=', now)]),
          eb.and([eb('status', '=', 'delivering'), eb('lease_until', '<', now)]),
        ]),
      )
      .orderBy('next_attempt_at', 'asc')
      .limit(batch)
      .execute();
    await Promise.all(rows.map((r) => deliver(r).catch(reportError)));
  };

  const tick = async (): Promise<void> => {
    if (inFlight) {
      again = true;
      return inFlight;
    }
    inFlight = (async () => {
      do {
        again = false;
        try {
          await createEvents();
          await deliverDue();
        } catch (err) {
          reportError(err);
        }
      } while (again);
    })().finally(() => {
      inFlight = null;
    });
    return inFlight;
  };

  return {
    start() {
      if (timer) return;
      timer = setInterval(() => void tick(), pollMs);
      timer.unref();
      void tick();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await inFlight;
    },
    tick,
  };
}
