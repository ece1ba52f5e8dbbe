/**
 * The embedded JobQueue: job rows in the metadata database (SQLite by default, PostgreSQL works too) are the
 * truth, and an in-process pool of `concurrency` workers runs the injected handlers. It needs no other service,
 * which is what a single-machine install wants; several processes may share one database (claims are
 * conditional updates, so a job runs in one place only).
 *
 * Crash recovery: a running job records its owner (host, pid, queue instance) and a lease it renews every
 * `heartbeatMs`. A job whose owner is gone — a dead pid on this host, a closed queue instance in this process, or
 * an expired lease anywhere — is re-queued by the next worker that starts or polls; the handler then finds its
 * checkpoint and skips finished work.
 *
 * Events are in-process: subscribers see the jobs this process runs or changes (embedded mode serves HTTP and runs
 * workers in one process).
 */
import { hostname, availableParallelism } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { RequestContext } from '../context.js';
import { cutroomError, isCutroomError } from '../errors.js';
import type { Database } from '../db/schema.js';
import { assertClientJobId, deriveJobId, paramsHash, rowIdFor } from './job-id.js';
import type {
  JobError,
  JobEvent,
  JobHandler,
  JobHandlers,
  JobListener,
  JobQueue,
  JobRecord,
  ListJobsFilter,
  SubmitJobInput,
  SubmitJobResult,
} from './job-queue.js';
import {
  newQueuedJob,
  readEnvelope,
  toJobRecord,
  type JobEnvelope,
  type JobRow,
  type WorkerOwner,
} from './job-row.js';
import { assertTransition, type JobState } from './job-state.js';
import { DEFAULT_MAX_ATTEMPTS, retryDecision, type BackoffOptions } from './retry-policy.js';

export const DEFAULT_MAX_QUEUED_PER_TENANT = 20;

/** One core is left for the HTTP server and the database; renders use several threads each anyway. */
export function defaultConcurrency(): number {
  return Math.max(1, availableParallelism() - 1);
}

export interface EmbeddedQueueOptions {
  db: Kysely<Database>;
  /** The work per job kind; submitting a kind without a handler is refused. */
  handlers: JobHandlers;
  /** Jobs run at once in this process. Default max(1, cores − 1). */
  concurrency?: number;
  /** Queued + running jobs per tenant before QUEUE_FULL. Default 20. */
  maxQueuedPerTenant?: number;
  /** Default attempts per job. Default 3. */
  maxAttempts?: number;
  backoff?: BackoffOptions;
  /** At most one progress write per job per this many ms (events are not throttled). Default 1000. */
  progressPersistMs?: number;
  /** Lease renewal and cross-process cancel check. Default 2000. */
  heartbeatMs?: number;
  /** A running job whose lease is older than this is taken over. Default 30000. */
  leaseMs?: number;
  /** How often the database is polled for jobs submitted elsewhere and dead workers. Default 1000. */
  pollMs?: number;
  /** cancel/stop wait at most this long for a handler to settle. Default 10000. */
  cancelGraceMs?: number;
  /**
   * Errors of the background work (polling, dispatch, heartbeats) — e.g. the database went away. They never
   * throw out of a timer; the next poll retries. Default: ignored.
   */
  onError?: (error: unknown) => void;
}

export interface EmbeddedQueue extends JobQueue {
  /** Tests only: drop everything without touching the database, as if the process had died (SIGKILL). */
  abandon(): void;
}

type AbortReason = 'cancel' | 'shutdown' | 'lost' | 'abandon';

interface RunningJob {
  rowId: string;
  row: JobRow;
  envelope: JobEnvelope;
  controller: AbortController;
  reason: AbortReason | null;
  settled: Promise<void>;
  lastPersistAt: number;
  pendingProgress: number | null;
  heartbeat: NodeJS.Timeout;
  startedAt: number;
  /**
   * The `params` text we last wrote. Every write of a running job is conditional on it, so a worker whose job
   * was taken over (lease expired) or cancelled elsewhere can never overwrite the new owner's row.
   */
  persisted: string;
  /** Writes of one job run one at a time (each depends on the previous one's `persisted`). */
  writes: Promise<unknown>;
}

/** Queue instances alive in this process (a crashed/abandoned one is removed, so its jobs count as orphaned). */
const LIVE_INSTANCES = new Set<string>();

function nowIso(): string {
  return new Date().toISOString();
}

let seqCounter = 0;
function nextSeq(): number {
  seqCounter = (seqCounter + 1) % 1000;
  return Date.now() * 1000 + seqCounter;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function toJobError(err: unknown): JobError {
  if (isCutroomError(err)) return { code: err.code, message: err.message, details: err.details };
  return { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err), details: {} };
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms).unref());
}

export function createEmbeddedQueue(options: EmbeddedQueueOptions): EmbeddedQueue {
  const { db, handlers } = options;
  const concurrency = Math.max(1, Math.trunc(options.concurrency ?? defaultConcurrency()));
  const maxQueuedPerTenant = options.maxQueuedPerTenant ?? DEFAULT_MAX_QUEUED_PER_TENANT;
  const defaultMaxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const progressPersistMs = options.progressPersistMs ?? 1000;
  const heartbeatMs = options.heartbeatMs ?? 2000;
  const leaseMs = options.leaseMs ?? 30000;
  const pollMs = options.pollMs ?? 1000;
  const cancelGraceMs = options.cancelGraceMs ?? 10000;
  const owner: WorkerOwner = { host: hostname(), pid: process.pid, instance: randomBytes(8).toString('hex') };
  LIVE_INSTANCES.add(owner.instance);

  const running = new Map<string, RunningJob>();
  const listeners = new Map<string, Set<JobListener>>();
  let started = false;
  let dead = false;
  let pumping = false;
  let pumpAgain = false;
  let lastTenant: string | null = null;
  let pollTimer: NodeJS.Timeout | null = null;
  let wakeTimer: NodeJS.Timeout | null = null;
  let submitChain: Promise<unknown> = Promise.resolve();
  /** Moving average of job run time, for QUEUE_FULL's retry_after_s. */
  let avgJobMs = 5000;

  const reportError = (error: unknown): void => {
    if (dead) return;
    try {
      options.onError?.(error);
    } catch {
      // The error sink itself failed; nothing more to do.
    }
  };
  const kick = (): void => {
    pump().catch(reportError);
  };

  const emit = (rowId: string, event: JobEvent): void => {
    for (const l of listeners.get(rowId) ?? []) {
      try {
        l(event);
      } catch {
        // A throwing subscriber must not break the worker.
      }
    }
  };
  const emitState = (row: JobRow): void => emit(row.id, { type: 'state', job: toJobRecord(row) });

  const getRow = async (ctx: RequestContext, jobId: string): Promise<JobRow> => {
    const row =
      typeof jobId === 'string' && jobId.length > 0 && jobId.length <= 200
        ? await db
            .selectFrom('jobs')
            .selectAll()
            .where('id', '=', rowIdFor(ctx, jobId))
            .where('tenant_id', '=', ctx.tenantId)
            .where('env', '=', ctx.env)
            .executeTakeFirst()
        : undefined;
    if (!row) throw cutroomError('JOB_NOT_FOUND', `no job ${String(jobId)}`, { job_id: jobId });
    return row;
  };
  const rowById = (id: string) => db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();

  /** Conditional update: applies only while the row is still in `expected` state (and params unchanged if given). */
  const updateIf = async (
    id: string,
    expected: JobState,
    values: Partial<JobRow>,
    expectedParams?: string,
  ): Promise<boolean> => {
    let q = db
      .updateTable('jobs')
      .set({ ...values, updated_at: nowIso() })
      .where('id', '=', id)
      .where('state', '=', expected);
    if (expectedParams !== undefined) q = q.where('params', '=', expectedParams);
    const r = await q.executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  };

  const activeCount = async (tenantId: string): Promise<number> => {
    const r = await db
      .selectFrom('jobs')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('tenant_id', '=', tenantId)
      .where('state', 'in', ['queued', 'running'])
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  };

  const assertRoom = async (ctx: RequestContext): Promise<void> => {
    const active = await activeCount(ctx.tenantId);
    if (active >= maxQueuedPerTenant) {
      const retryAfterS = Math.max(
        1,
        Math.ceil((avgJobMs * Math.max(1, active - maxQueuedPerTenant + 1)) / concurrency / 1000),
      );
      throw cutroomError(
        'QUEUE_FULL',
        `tenant has ${active} queued or running jobs (limit ${maxQueuedPerTenant})`,
        {
          limit: maxQueuedPerTenant,
          active,
          retry_after_s: retryAfterS,
        },
      );
    }
  };

  const serialize = <T>(fn: () => Promise<T>): Promise<T> => {
    const p = submitChain.then(fn, fn);
    submitChain = p.catch(() => undefined);
    return p;
  };

  // ---------------------------------------------------------------------------------------------------------------
  // submit / get / list

  const submit = (ctx: RequestContext, input: SubmitJobInput): Promise<SubmitJobResult> =>
    serialize(async () => {
      if (typeof input?.kind !== 'string' || !Object.hasOwn(handlers, input.kind))
        throw cutroomError('VALIDATION_FAILED', `no handler for job kind ${String(input?.kind)}`, {
          issues: [{ path: 'kind', message: `must be one of ${Object.keys(handlers).join(', ')}` }],
        });
      if (input.jobId !== undefined) assertClientJobId(input.jobId);
      const maxAttempts = input.maxAttempts ?? defaultMaxAttempts;
      if (!Number.isSafeInteger(maxAttempts) || maxAttempts < 1)
        throw cutroomError('VALIDATION_FAILED', 'maxAttempts must be a positive integer', {
          issues: [{ path: 'max_attempts', message: 'must be a positive integer' }],
        });
      const hash = paramsHash(input.params);
      const jobId =
        input.jobId ?? deriveJobId({ ctx, kind: input.kind, key: input.idempotencyKey ?? input.params });
      const rowId = rowIdFor(ctx, jobId);

      const existing = async (): Promise<SubmitJobResult | null> => {
        const row = await rowById(rowId);
        if (!row) return null;
        const env = readEnvelope(row);
        if (input.jobId !== undefined && (env.params_hash !== hash || row.kind !== input.kind))
          throw cutroomError('JOB_PARAMS_MISMATCH', `job ${jobId} was submitted with other parameters`, {
            job_id: jobId,
          });
        return { job: toJobRecord(row), created: false };
      };
      const found = await existing();
      if (found) return found;
      await assertRoom(ctx);

      const { row } = newQueuedJob({
        ctx,
        rowId,
        jobId,
        input,
        paramsHash: hash,
        maxAttempts,
        seq: nextSeq(),
        now: nowIso(),
      });
      try {
        await db.insertInto('jobs').values(row).execute();
      } catch (err) {
        // Another process inserted the same id between our read and write: that job is the answer.
        const again = await existing();
        if (again) return again;
        throw cutroomError('STORE_FAILED', 'recording the job failed', {}, { cause: err });
      }
      emitState(row);
      kick();
      return { job: toJobRecord(row), created: true };
    });

  const get = async (ctx: RequestContext, jobId: string): Promise<JobRecord> =>
    toJobRecord(await getRow(ctx, jobId));

  const list = async (ctx: RequestContext, filter: ListJobsFilter = {}): Promise<JobRecord[]> => {
    let q = db
      .selectFrom('jobs')
      .selectAll()
      .where('tenant_id', '=', ctx.tenantId)
      .where('env', '=', ctx.env);
    if (filter.state !== undefined) q = q.where('state', '=', filter.state);
    if (filter.kind !== undefined) q = q.where('kind', '=', filter.kind);
    const limit = Math.min(Math.max(1, Math.trunc(filter.limit ?? 100)), 1000);
    const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
    return rows.map(toJobRecord);
  };

  // ---------------------------------------------------------------------------------------------------------------
  // cancel / resume / subscribe

  const cancel = async (ctx: RequestContext, jobId: string): Promise<JobRecord> => {
    for (let tries = 0; tries < 5; tries++) {
      const row = await getRow(ctx, jobId);
      const from = row.state as JobState;
      if (from === 'cancelled') return toJobRecord(row);
      assertTransition({ from, to: 'cancelled', jobId });
      const now = nowIso();
      if (!(await updateIf(row.id, from, { state: 'cancelled', finished_at: now }))) continue;
      const updated = (await rowById(row.id))!;
      emitState(updated);
      const r = running.get(row.id);
      if (r) {
        r.reason = 'cancel';
        r.controller.abort(cutroomError('RENDER_CANCELLED', 'the job was cancelled', { job_id: jobId }));
        await Promise.race([r.settled, sleep(cancelGraceMs)]);
      }
      return toJobRecord((await rowById(row.id))!);
    }
    throw cutroomError('INTERNAL', 'the job kept changing state while being cancelled', { job_id: jobId });
  };

  const resume = async (ctx: RequestContext, jobId: string): Promise<JobRecord> =>
    serialize(async () => {
      const row = await getRow(ctx, jobId);
      const from = row.state as JobState;
      if (from === 'queued' || from === 'running') return toJobRecord(row);
      assertTransition({ from, to: 'queued', jobId });
      await assertRoom(ctx);
      const envelope = {
        ...readEnvelope(row),
        seq: nextSeq(),
        run_after: null,
        owner: null,
        lease_until: null,
      };
      const ok = await updateIf(row.id, from, {
        state: 'queued',
        attempts: 0,
        error: null,
        result: null,
        progress: 0,
        finished_at: null,
        params: JSON.stringify(envelope),
      });
      const updated = (await rowById(row.id))!;
      if (ok) {
        emitState(updated);
        kick();
      }
      return toJobRecord(updated);
    });

  const subscribe = async (
    ctx: RequestContext,
    jobId: string,
    listener: JobListener,
  ): Promise<() => void> => {
    const row = await getRow(ctx, jobId);
    let set = listeners.get(row.id);
    if (!set) listeners.set(row.id, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && listeners.get(row.id) === set) listeners.delete(row.id);
    };
  };

  // ---------------------------------------------------------------------------------------------------------------
  // dispatch

  const scheduleWake = (atMs: number): void => {
    if (wakeTimer) clearTimeout(wakeTimer);
    wakeTimer = setTimeout(
      () => {
        wakeTimer = null;
        kick();
      },
      Math.max(0, atMs - Date.now()),
    );
    wakeTimer.unref();
  };

  /** Round-robin over tenants with a ready job (after the last tenant served), FIFO (by seq) within a tenant. */
  const pickNext = async (): Promise<JobRow | null> => {
    const rows = await db.selectFrom('jobs').selectAll().where('state', '=', 'queued').execute();
    const now = Date.now();
    let earliestFuture = Infinity;
    const byTenant = new Map<string, { row: JobRow; seq: number }>();
    for (const row of rows) {
      if (!Object.hasOwn(handlers, row.kind)) continue;
      const env = readEnvelope(row);
      if (env.run_after !== null) {
        const at = Date.parse(env.run_after);
        if (at > now) {
          earliestFuture = Math.min(earliestFuture, at);
          continue;
        }
      }
      const best = byTenant.get(row.tenant_id);
      if (!best || env.seq < best.seq || (env.seq === best.seq && row.id < best.row.id))
        byTenant.set(row.tenant_id, { row, seq: env.seq });
    }
    if (earliestFuture !== Infinity) scheduleWake(earliestFuture);
    if (byTenant.size === 0) return null;
    const tenants = [...byTenant.keys()].sort();
    const next = (lastTenant !== null ? tenants.find((t) => t > lastTenant!) : undefined) ?? tenants[0]!;
    return byTenant.get(next)!.row;
  };

  const pump = async (): Promise<void> => {
    if (!started || dead) return;
    if (pumping) {
      pumpAgain = true;
      return;
    }
    pumping = true;
    try {
      do {
        pumpAgain = false;
        while (started && !dead && running.size < concurrency) {
          const row = await pickNext();
          if (!row) break;
          lastTenant = row.tenant_id;
          await claimAndRun(row);
        }
      } while (pumpAgain && started && !dead);
    } finally {
      pumping = false;
    }
  };

  const claimAndRun = async (row: JobRow): Promise<void> => {
    const envelope: JobEnvelope = {
      ...readEnvelope(row),
      run_after: null,
      owner,
      lease_until: new Date(Date.now() + leaseMs).toISOString(),
    };
    const now = nowIso();
    const values: Partial<JobRow> = {
      state: 'running',
      attempts: Number(row.attempts) + 1,
      progress: 0,
      error: null,
      started_at: now,
      params: JSON.stringify(envelope),
    };
    if (!(await updateIf(row.id, 'queued', values, row.params))) return; // taken by another worker or cancelled
    const claimed: JobRow = { ...row, ...values, updated_at: now } as JobRow;
    emitState(claimed);

    const controller = new AbortController();
    let resolveSettled!: () => void;
    const job: RunningJob = {
      rowId: row.id,
      row: claimed,
      envelope,
      controller,
      reason: null,
      settled: new Promise<void>((r) => (resolveSettled = r)),
      lastPersistAt: 0,
      pendingProgress: null,
      heartbeat: setInterval(() => void heartbeat(job), heartbeatMs),
      startedAt: Date.now(),
      persisted: values.params!,
      writes: Promise.resolve(),
    };
    job.heartbeat.unref();
    running.set(row.id, job);
    void execute(job)
      .catch(reportError)
      .finally(() => {
        clearInterval(job.heartbeat);
        running.delete(row.id);
        resolveSettled();
        kick();
      });
  };

  /** Stops working on a job that is no longer ours (cancelled or taken over elsewhere). */
  const release = (job: RunningJob, state: string | undefined): void => {
    if (job.reason) return;
    job.reason = state === 'cancelled' ? 'cancel' : 'lost';
    job.controller.abort(cutroomError('RENDER_CANCELLED', 'the job is no longer ours to run'));
  };

  /**
   * One write of a running job: serialized per job, conditional on state running and on the params we wrote
   * last; with `envelope` the params are replaced by the current in-memory envelope (checkpoint, lease).
   */
  const writeJob = (job: RunningJob, values: Partial<JobRow>, envelope = false): Promise<boolean> => {
    const p = job.writes.then(async () => {
      const params = envelope ? JSON.stringify(job.envelope) : job.persisted;
      const ok = await updateIf(
        job.rowId,
        'running',
        envelope ? { ...values, params } : values,
        job.persisted,
      );
      if (ok) job.persisted = params;
      else if (!dead) release(job, (await rowById(job.rowId))?.state);
      return ok;
    });
    job.writes = p.catch(() => undefined);
    return p;
  };

  const heartbeat = async (job: RunningJob): Promise<void> => {
    if (dead || job.reason) return;
    // Renewing the lease is also the cross-process cancel check: the write fails once the row is not ours.
    job.envelope.lease_until = new Date(Date.now() + leaseMs).toISOString();
    // Also flushes a progress value the throttle held back.
    const progress = job.pendingProgress;
    job.pendingProgress = null;
    if (progress !== null) job.lastPersistAt = Date.now();
    await writeJob(job, progress !== null ? { progress } : {}, true).catch(() => false);
  };

  const persistProgress = async (job: RunningJob): Promise<void> => {
    if (job.pendingProgress === null || dead || job.reason) return;
    const progress = job.pendingProgress;
    job.pendingProgress = null;
    job.lastPersistAt = Date.now();
    await writeJob(job, { progress }).catch(() => false);
  };

  const execute = async (job: RunningJob): Promise<void> => {
    const handler = handlers[job.row.kind] as JobHandler<unknown, unknown>;
    const record = toJobRecord(job.row);
    const ctx: RequestContext = { tenantId: job.row.tenant_id, env: job.row.env, requestId: record.id };
    let lastProgress = 0;
    let outcome: { ok: true; result: unknown } | { ok: false; error: unknown };
    try {
      const result = await handler(record, {
        signal: job.controller.signal,
        attempt: record.attempts,
        checkpoint: job.envelope.checkpoint ?? null,
        ctx,
        reportProgress: (p, detail) => {
          if (dead || job.reason || !Number.isFinite(p)) return;
          const progress = Math.min(1, Math.max(lastProgress, p));
          lastProgress = progress;
          emit(job.rowId, { type: 'progress', job_id: record.id, progress, ...(detail ? { detail } : {}) });
          job.pendingProgress = progress;
          if (Date.now() - job.lastPersistAt >= progressPersistMs) void persistProgress(job);
        },
        saveCheckpoint: async (data) => {
          if (dead || job.reason) return;
          job.envelope.checkpoint = data === undefined ? null : JSON.parse(JSON.stringify(data));
          if (!(await writeJob(job, {}, true)))
            throw cutroomError('RENDER_CANCELLED', 'the job is no longer ours to run', { job_id: record.id });
        },
      });
      outcome = { ok: true, result: result === undefined ? null : result };
    } catch (error) {
      outcome = { ok: false, error };
    }
    if (dead || job.reason === 'abandon' || job.reason === 'cancel' || job.reason === 'lost') return;
    const now = nowIso();
    let final: Partial<JobRow>;
    if (job.reason === 'shutdown' && !outcome.ok) {
      // Interrupted by our own stop(): back to the queue, and the interrupted run does not count as an attempt.
      final = {
        state: 'queued',
        attempts: Math.max(0, Number(job.row.attempts) - 1),
        params: JSON.stringify({ ...job.envelope, owner: null, lease_until: null }),
      };
    } else if (outcome.ok) {
      avgJobMs = Math.round(avgJobMs * 0.8 + (Date.now() - job.startedAt) * 0.2);
      final = { state: 'completed', progress: 1, result: JSON.stringify(outcome.result), finished_at: now };
    } else {
      const attempts = Number(job.row.attempts);
      const decision = retryDecision({
        error: outcome.error,
        attempts,
        maxAttempts: job.envelope.max_attempts,
        ...(options.backoff ? { backoff: options.backoff } : {}),
      });
      const error = JSON.stringify(toJobError(outcome.error));
      final = decision.retry
        ? {
            state: 'queued',
            error,
            params: JSON.stringify({
              ...job.envelope,
              owner: null,
              lease_until: null,
              run_after: new Date(Date.now() + decision.delayMs).toISOString(),
            }),
          }
        : { state: 'failed', error, finished_at: now };
    }
    assertTransition({ from: 'running', to: final.state as JobState, jobId: record.id });
    const envelopeChanged = final.params !== undefined;
    if (envelopeChanged) job.envelope = JSON.parse(final.params!) as JobEnvelope;
    const { params: _params, ...rest } = final;
    if (await writeJob(job, rest, envelopeChanged).catch(() => false)) {
      const row = await rowById(job.rowId);
      if (row) emitState(row);
    }
  };

  // ---------------------------------------------------------------------------------------------------------------
  // recovery and lifecycle

  const ownerIsGone = (env: JobEnvelope): boolean => {
    const o = env.owner;
    if (!o) return true;
    if (o.instance === owner.instance) return false;
    if (env.lease_until !== null && Date.parse(env.lease_until) < Date.now()) return true;
    if (o.host !== owner.host) return false;
    if (o.pid === process.pid) return !LIVE_INSTANCES.has(o.instance);
    return !pidAlive(o.pid);
  };

  const recoverOrphans = async (): Promise<void> => {
    const rows = await db.selectFrom('jobs').selectAll().where('state', '=', 'running').execute();
    for (const row of rows) {
      const env = readEnvelope(row);
      if (!ownerIsGone(env)) continue;
      const attempts = Number(row.attempts);
      const lost = cutroomError('JOB_WORKER_LOST', 'the worker running this job died', {
        job_id: env.job_id,
        attempts,
      });
      const values: Partial<JobRow> =
        attempts >= env.max_attempts
          ? { state: 'failed', error: JSON.stringify(toJobError(lost)), finished_at: nowIso() }
          : {
              state: 'queued',
              error: JSON.stringify(toJobError(lost)),
              params: JSON.stringify({ ...env, owner: null, lease_until: null, run_after: null }),
            };
      if (await updateIf(row.id, 'running', values, row.params)) {
        const updated = await rowById(row.id);
        if (updated) emitState(updated);
      }
    }
  };

  const start = async (): Promise<void> => {
    if (dead) throw cutroomError('INTERNAL', 'this queue was closed; create a new one');
    if (started) return;
    await recoverOrphans();
    started = true;
    pollTimer = setInterval(() => {
      void recoverOrphans()
        .then(() => pump())
        .catch(reportError);
    }, pollMs);
    // Deliberately not unref'd: a started queue keeps a worker process alive until stop() or close().
    kick();
  };

  const stopTimers = (): void => {
    started = false;
    if (pollTimer) clearInterval(pollTimer);
    if (wakeTimer) clearTimeout(wakeTimer);
    pollTimer = wakeTimer = null;
  };

  const stop = async (): Promise<void> => {
    stopTimers();
    const jobs = [...running.values()];
    for (const job of jobs) {
      if (job.reason) continue;
      job.reason = 'shutdown';
      job.controller.abort(cutroomError('RENDER_CANCELLED', 'the worker is shutting down'));
    }
    await Promise.race([Promise.all(jobs.map((j) => j.settled)), sleep(cancelGraceMs)]);
  };

  const close = async (): Promise<void> => {
    await stop();
    await submitChain;
    dead = true;
    LIVE_INSTANCES.delete(owner.instance);
    listeners.clear();
  };

  const abandon = (): void => {
    stopTimers();
    dead = true;
    LIVE_INSTANCES.delete(owner.instance);
    for (const job of running.values()) {
      job.reason = 'abandon';
      job.controller.abort(cutroomError('RENDER_CANCELLED', 'the worker died'));
    }
    listeners.clear();
  };

  return { submit, get, list, cancel, resume, subscribe, start, stop, close, abandon };
}
