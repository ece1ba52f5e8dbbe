/**
 * The Redis/BullMQ JobQueue, for several machines: API processes submit, `cutroom worker` processes run handlers.
 *
 * Split of duties:
 * - The metadata database stays the truth for job state: the same `jobs` rows as the embedded queue (job-row.ts),
 *   so HTTP and CLI read jobs the same way whatever the adapter. Every state change is a conditional update.
 * - BullMQ carries dispatch: one BullMQ job per queued run (id `{row id}-{seq}`; a resume gets a new seq, so a
 *   stale delivery is recognised and skipped), retries with backoff (delayed jobs), `UnrecoverableError` for
 *   failures that must not retry, stalled-job detection (a worker that dies stops renewing its lock; another
 *   worker's stalled checker re-queues the job and takes it over), and parent/child flows for fan-out (chunks of
 *   one render run on any worker; the parent waits in `waiting-children` without holding a worker).
 * - A Redis pub/sub channel per queue carries live events (state, progress) to subscribers in any process, and
 *   cancel requests to whichever worker runs the job; a DB check on every heartbeat is the fallback.
 *
 * Fairness: BullMQ has no per-tenant round-robin (that is a Pro feature), so it is built from job priorities:
 * a job's priority is max(its tenant's last priority, the priority last dispatched) + 1, kept in Redis by two
 * Lua scripts. Jobs of one tenant get increasing priorities (FIFO), and a tenant with a backlog cannot starve a
 * tenant that submits later (start-time fair queueing). BullMQ runs equal priorities in insertion order.
 *
 * Attempts are counted in the database when a run starts (like the embedded queue), so the retry decision uses
 * retry-policy.ts; BullMQ's own attempt counter only bounds it.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import {
  Queue,
  UnrecoverableError,
  WaitingChildrenError,
  WaitingError,
  Worker,
  type ConnectionOptions,
  type Job as BullJob,
  type JobsOptions,
} from 'bullmq';
import { Redis } from 'ioredis';
import type { Kysely } from 'kysely';
import type { RequestContext } from '../context.js';
import { cutroomError, isCutroomError } from '../errors.js';
import type { Database } from '../db/schema.js';
import { DEFAULT_MAX_QUEUED_PER_TENANT, defaultConcurrency } from './embedded-queue.js';
import { assertClientJobId, deriveJobId, paramsHash, rowIdFor } from './job-id.js';
import type {
  JobError,
  JobEvent,
  JobHandler,
  JobHandlers,
  JobHandlerTools,
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
import { redisOptionsFromUrl } from './redis-options.js';
import { backoffDelayMs, DEFAULT_MAX_ATTEMPTS, retryDecision, type BackoffOptions } from './retry-policy.js';

export interface BullmqQueueOptions {
  /** Redis URL, e.g. redis://127.0.0.1:6379/0. */
  connection: string;
  /** BullMQ key prefix (a namespace: tests use one per test). Default "cutroom". */
  prefix?: string;
  /** BullMQ queue name. Default "jobs". */
  queueName?: string;
  db: Kysely<Database>;
  /** The work per job kind. A process may submit kinds it has no handler for only if `submitKinds` lists them. */
  handlers: JobHandlers;
  /** Kinds this process may submit besides its handlers' (an API process without workers). */
  submitKinds?: readonly string[];
  /** Jobs run at once by this process's worker. Default max(1, cores − 1). */
  concurrency?: number;
  maxQueuedPerTenant?: number;
  maxAttempts?: number;
  backoff?: BackoffOptions;
  /** At most one progress write per job per this many ms. Default 1000. */
  progressPersistMs?: number;
  /** DB check of running jobs (cross-process cancel fallback). Default 2000. */
  heartbeatMs?: number;
  /** BullMQ lock of a running job; a dead worker's job is taken over after it expires. Default 30000. */
  lockDurationMs?: number;
  /** How often workers look for stalled jobs. Default 30000 (BullMQ's default). */
  stalledIntervalMs?: number;
  /** How often DB rows without a BullMQ job (a submitter that died between the two writes) are re-dispatched. */
  reconcileMs?: number;
  /** cancel/stop wait at most this long for a handler to settle. Default 10000. */
  cancelGraceMs?: number;
  onError?: (error: unknown) => void;
}

/** Extra tools the BullMQ adapter gives handlers (not in the JobQueue contract: only this adapter has flows). */
export interface FlowTools {
  /**
   * Submits child jobs (same tenant) that this job depends on; each runs on whichever worker takes it.
   * Idempotent: a re-run of the parent gets the existing children back (same ids); children that failed or were
   * cancelled are re-queued (a new run of the parent — a retry or a resume — wants them done).
   */
  submitChildren(inputs: readonly ChildJobInput[], opts?: SubmitChildrenOptions): Promise<JobRecord[]>;
  /** The children submitted by this job, as they are now. */
  children(): Promise<JobRecord[]>;
  /**
   * True when this run is the wake-up after waitForChildren parked the job: the children have all finished
   * (completed, failed or cancelled) and the handler should join, not submit again.
   */
  readonly resumedFromChildren: boolean;
  /**
   * Parks this job until all its children have finished, without holding a worker slot; the handler is then run
   * again (same attempt, its checkpoint kept). Resolves at once when every child is already done; otherwise it
   * never resolves (the run ends there).
   */
  waitForChildren(): Promise<void>;
}

export type FlowHandlerTools = JobHandlerTools & FlowTools;

export interface ChildJobInput extends SubmitJobInput {
  /** Share of the parent's progress this child stands for (e.g. its frame count). Default 1. */
  weight?: number;
}

export interface SubmitChildrenOptions {
  /**
   * While the parent is parked its progress is `progressShare` × the weighted mean of its children's progress
   * (the rest is left for the parent's own join step). Default 0.9.
   */
  progressShare?: number;
}

export function hasFlowTools(tools: JobHandlerTools): tools is FlowHandlerTools {
  return typeof (tools as Partial<FlowTools>).waitForChildren === 'function';
}

export interface BullmqQueue extends JobQueue {
  readonly prefix: string;
  readonly queueName: string;
  /** Tests only: vanish as if the process had been SIGKILLed (no writes; locks simply expire). */
  abandon(): Promise<void>;
  /** Tests only: delete every BullMQ key of this queue's namespace. */
  obliterate(): Promise<void>;
}

interface DispatchData {
  row_id: string;
  seq: number;
  /** Set on children: their progress is folded into the parent's. */
  parent_row_id?: string;
}

interface FlowMeta {
  job_id: string;
  share: number;
  weights: Record<string, number>;
}

/** Our envelope plus the adapter's own field (kept in the same JSON; other adapters ignore it). */
type Envelope = JobEnvelope & { parked?: boolean };

type AbortReason = 'cancel' | 'shutdown' | 'lost' | 'abandon' | 'parked';

interface RunningJob {
  rowId: string;
  row: JobRow;
  envelope: Envelope;
  controller: AbortController;
  reason: AbortReason | null;
  settled: Promise<void>;
  lastPersistAt: number;
  pendingProgress: number | null;
  heartbeat: NodeJS.Timeout;
  startedAt: number;
  persisted: string;
  writes: Promise<unknown>;
}

type BusMessage =
  | { t: 'event'; from: string; row_id: string; event: JobEvent }
  | { t: 'cancel'; from: string; row_id: string }
  | { t: 'settled'; from: string; row_id: string };

/** A retryable failure handed to BullMQ with the delay our retry policy chose. */
class RetryLater extends Error {
  constructor(
    message: string,
    readonly delayMs: number,
  ) {
    super(message);
    this.name = 'RetryLater';
  }
}

/** BullMQ priorities are 1..2^21. */
const MAX_PRIORITY = 2 ** 21;

// KEYS: [virtual time, tenant → last priority]; ARGV: [tenant]. Returns the new job's priority.
const NEXT_PRIORITY_LUA = `
local vt = tonumber(redis.call('GET', KEYS[1]) or '0')
local last = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0')
local p = math.max(vt, last) + 1
redis.call('HSET', KEYS[2], ARGV[1], p)
return p`;
// KEYS: [flow hash]; ARGV: [child row id, child progress, channel, sender instance, parent row id].
// Folds a child's progress into its parent's and publishes it — in one script, so that reports from several
// workers are published in the order they were applied and the parent's progress only ever goes up (a child
// taken over after a crash starts again from 0). Returns the published message, or false if it did not rise.
const FLOW_PROGRESS_LUA = `
redis.call('HSET', KEYS[1], 'p:' .. ARGV[1], ARGV[2])
local metaText = redis.call('HGET', KEYS[1], 'meta')
if not metaText then return false end
local meta = cjson.decode(metaText)
local sum, total, done, n = 0, 0, 0, 0
for child, w in pairs(meta.weights) do
  local p = tonumber(redis.call('HGET', KEYS[1], 'p:' .. child) or '0')
  sum = sum + w * p
  total = total + w
  n = n + 1
  if p >= 1 then done = done + 1 end
end
if total <= 0 then return false end
local value = math.min(1, meta.share * sum / total)
local max = tonumber(redis.call('HGET', KEYS[1], 'max') or '-1')
if value <= max then return false end
redis.call('HSET', KEYS[1], 'max', tostring(value))
local event = { type = 'progress', job_id = meta.job_id, progress = value,
  detail = { phase = 'children', children_done = done, children = n } }
local msg = cjson.encode({ t = 'event', from = ARGV[4], row_id = ARGV[5], event = event })
redis.call('PUBLISH', ARGV[3], msg)
return msg`;
// KEYS: [virtual time]; ARGV: [priority of the job being dispatched].
const ADVANCE_VT_LUA = `
local vt = tonumber(redis.call('GET', KEYS[1]) or '0')
if tonumber(ARGV[1]) > vt then redis.call('SET', KEYS[1], ARGV[1]) end
return 1`;

function nowIso(): string {
  return new Date().toISOString();
}

let seqCounter = 0;
function nextSeq(): number {
  seqCounter = (seqCounter + 1) % 1000;
  return Date.now() * 1000 + seqCounter;
}

function toJobError(err: unknown): JobError {
  if (isCutroomError(err)) return { code: err.code, message: err.message, details: err.details };
  return { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err), details: {} };
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms).unref());
}

const never = <T>(): Promise<T> => new Promise<T>(() => undefined);

const dispatchId = (rowId: string, seq: number): string => `${rowId}-${seq}`;

export async function createBullmqQueue(options: BullmqQueueOptions): Promise<BullmqQueue> {
  const { db, handlers } = options;
  const prefix = options.prefix ?? 'cutroom';
  const queueName = options.queueName ?? 'jobs';
  const concurrency = Math.max(1, Math.trunc(options.concurrency ?? defaultConcurrency()));
  const maxQueuedPerTenant = options.maxQueuedPerTenant ?? DEFAULT_MAX_QUEUED_PER_TENANT;
  const defaultMaxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const progressPersistMs = options.progressPersistMs ?? 1000;
  const heartbeatMs = options.heartbeatMs ?? 2000;
  const lockDuration = options.lockDurationMs ?? 30000;
  const stalledInterval = options.stalledIntervalMs ?? 30000;
  const reconcileMs = options.reconcileMs ?? 10000;
  const cancelGraceMs = options.cancelGraceMs ?? 10000;
  const submittable = new Set([...Object.keys(handlers), ...(options.submitKinds ?? [])]);
  const redisOptions = redisOptionsFromUrl(options.connection);
  const owner: WorkerOwner = { host: hostname(), pid: process.pid, instance: randomBytes(8).toString('hex') };
  const channel = `${prefix}:${queueName}:cutroom-bus`;
  const vtKey = `${prefix}:${queueName}:cutroom-vt`;
  const tenantPrioKey = `${prefix}:${queueName}:cutroom-tenant-priority`;
  const flowKey = (parentRowId: string) => `${prefix}:${queueName}:cutroom-flow:${parentRowId}`;

  // One connection for our commands and publishing, one in subscriber mode; BullMQ opens its own.
  const cmd = new Redis({ ...redisOptions, lazyConnect: true });
  const sub = new Redis({ ...redisOptions, lazyConnect: true });
  await Promise.all([cmd.connect(), sub.connect()]);
  // BullMQ's own option type has an index signature ioredis's lacks; the fields are the same.
  const connection = { ...redisOptions } as ConnectionOptions;
  const bq = new Queue<DispatchData, unknown, string>(queueName, { connection, prefix });

  const running = new Map<string, RunningJob>();
  const listeners = new Map<string, Set<JobListener>>();
  const settledWaiters = new Map<string, Set<() => void>>();
  let worker: Worker<DispatchData> | null = null;
  let started = false;
  let dead = false;
  let reconcileTimer: NodeJS.Timeout | null = null;
  let submitChain: Promise<unknown> = Promise.resolve();
  let avgJobMs = 5000;

  const reportError = (error: unknown): void => {
    if (dead) return;
    try {
      options.onError?.(error);
    } catch {
      // The error sink itself failed.
    }
  };

  const publish = (msg: BusMessage): void => {
    if (dead) return;
    cmd.publish(channel, JSON.stringify(msg)).catch(reportError);
  };

  const deliver = (rowId: string, event: JobEvent): void => {
    for (const l of listeners.get(rowId) ?? []) {
      try {
        l(event);
      } catch {
        // A throwing subscriber must not break the worker.
      }
    }
  };
  const emit = (rowId: string, event: JobEvent): void => {
    deliver(rowId, event);
    publish({ t: 'event', from: owner.instance, row_id: rowId, event });
  };
  const emitState = (row: JobRow): void => emit(row.id, { type: 'state', job: toJobRecord(row) });

  sub.on('message', (_channel: string, text: string) => {
    let msg: BusMessage;
    try {
      msg = JSON.parse(text) as BusMessage;
    } catch {
      return;
    }
    if (msg.from === owner.instance) return;
    if (msg.t === 'event') deliver(msg.row_id, msg.event);
    else if (msg.t === 'settled') for (const w of settledWaiters.get(msg.row_id) ?? []) w();
    else if (msg.t === 'cancel') {
      const r = running.get(msg.row_id);
      if (!r) return;
      if (!r.reason) {
        r.reason = 'cancel';
        r.controller.abort(cutroomError('RENDER_CANCELLED', 'the job was cancelled'));
      }
      void r.settled.then(() => publish({ t: 'settled', from: owner.instance, row_id: msg.row_id }));
    }
  });
  await sub.subscribe(channel);

  // ---------------------------------------------------------------------------------------------------------------
  // database helpers (same conditional-update discipline as the embedded queue)

  const rowById = (id: string) => db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();

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

  const assertRoom = async (ctx: RequestContext): Promise<void> => {
    const r = await db
      .selectFrom('jobs')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('tenant_id', '=', ctx.tenantId)
      .where('state', 'in', ['queued', 'running'])
      .executeTakeFirst();
    const active = Number(r?.n ?? 0);
    if (active >= maxQueuedPerTenant)
      throw cutroomError(
        'QUEUE_FULL',
        `tenant has ${active} queued or running jobs (limit ${maxQueuedPerTenant})`,
        {
          limit: maxQueuedPerTenant,
          active,
          retry_after_s: Math.max(
            1,
            Math.ceil((avgJobMs * Math.max(1, active - maxQueuedPerTenant + 1)) / concurrency / 1000),
          ),
        },
      );
  };

  const serialize = <T>(fn: () => Promise<T>): Promise<T> => {
    const p = submitChain.then(fn, fn);
    submitChain = p.catch(() => undefined);
    return p;
  };

  // ---------------------------------------------------------------------------------------------------------------
  // dispatch through BullMQ

  const nextPriority = async (tenantId: string): Promise<number> => {
    const p = Number(await cmd.eval(NEXT_PRIORITY_LUA, 2, vtKey, tenantPrioKey, tenantId));
    return Math.min(MAX_PRIORITY, Math.max(1, p));
  };

  const dispatch = async (
    row: JobRow,
    envelope: Envelope,
    parent?: { id: string; queue: string; rowId: string },
  ): Promise<void> => {
    const opts: JobsOptions = {
      jobId: dispatchId(row.id, envelope.seq),
      priority: await nextPriority(row.tenant_id),
      // The database decides whether to retry (UnrecoverableError otherwise); this only bounds BullMQ.
      attempts: envelope.max_attempts,
      backoff: { type: 'cutroom' },
      removeOnComplete: true,
      removeOnFail: true,
      // A failed child still wakes the parent (which then fails the job with the child's error) instead of
      // leaving it in waiting-children forever.
      ...(parent ? { parent: { id: parent.id, queue: parent.queue }, ignoreDependencyOnFailure: true } : {}),
    };
    await bq.add(
      row.kind,
      { row_id: row.id, seq: envelope.seq, ...(parent ? { parent_row_id: parent.rowId } : {}) },
      opts,
    );
  };

  interface InsertOutcome {
    row: JobRow;
    created: boolean;
  }

  const insertJob = async (
    ctx: RequestContext,
    input: SubmitJobInput,
    checkRoom: boolean,
  ): Promise<InsertOutcome> => {
    if (typeof input?.kind !== 'string' || !submittable.has(input.kind))
      throw cutroomError('VALIDATION_FAILED', `no handler for job kind ${String(input?.kind)}`, {
        issues: [{ path: 'kind', message: `must be one of ${[...submittable].join(', ')}` }],
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
    const existing = async (): Promise<InsertOutcome | null> => {
      const row = await rowById(rowId);
      if (!row) return null;
      const env = readEnvelope(row);
      if (input.jobId !== undefined && (env.params_hash !== hash || row.kind !== input.kind))
        throw cutroomError('JOB_PARAMS_MISMATCH', `job ${jobId} was submitted with other parameters`, {
          job_id: jobId,
        });
      return { row, created: false };
    };
    const found = await existing();
    if (found) return found;
    if (checkRoom) await assertRoom(ctx);
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
    return { row, created: true };
  };

  const submit = (ctx: RequestContext, input: SubmitJobInput): Promise<SubmitJobResult> =>
    serialize(async () => {
      const { row, created } = await insertJob(ctx, input, true);
      if (created) {
        try {
          await dispatch(row, readEnvelope(row));
        } catch (err) {
          // Without a dispatch the row would wait for the next reconcile; undo it so the client can retry now.
          await db.deleteFrom('jobs').where('id', '=', row.id).where('state', '=', 'queued').execute();
          throw cutroomError('STORE_FAILED', 'the job queue (Redis) refused the job', {}, { cause: err });
        }
        emitState(row);
      }
      return { job: toJobRecord(row), created };
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

  const waitSettledElsewhere = (rowId: string): Promise<void> =>
    new Promise<void>((resolve) => {
      let set = settledWaiters.get(rowId);
      if (!set) settledWaiters.set(rowId, (set = new Set()));
      const done = () => {
        clearTimeout(timer);
        set.delete(done);
        if (set.size === 0) settledWaiters.delete(rowId);
        resolve();
      };
      const timer = setTimeout(done, cancelGraceMs);
      timer.unref();
      set.add(done);
    });

  const cancel = async (ctx: RequestContext, jobId: string): Promise<JobRecord> => {
    for (let tries = 0; tries < 5; tries++) {
      const row = await getRow(ctx, jobId);
      const from = row.state as JobState;
      if (from === 'cancelled') return toJobRecord(row);
      assertTransition({ from, to: 'cancelled', jobId });
      const env = readEnvelope(row) as Envelope;
      const remoteSettled =
        from === 'running' && !running.has(row.id) && !env.parked ? waitSettledElsewhere(row.id) : null;
      if (!(await updateIf(row.id, from, { state: 'cancelled', finished_at: nowIso() }))) continue;
      emitState((await rowById(row.id))!);
      // A parent's children go with it (a parked render's chunks stop rendering).
      const flow = await cmd.hget(flowKey(row.id), 'meta');
      if (flow) {
        const childIds = Object.keys((JSON.parse(flow) as FlowMeta).weights);
        const kids = childIds.length
          ? await db.selectFrom('jobs').selectAll().where('id', 'in', childIds).execute()
          : [];
        await Promise.all(
          kids
            .filter((k) => k.state === 'queued' || k.state === 'running')
            .map((k) => cancel(ctx, readEnvelope(k).job_id).catch(() => undefined)),
        );
      }
      if (from === 'queued') await bq.remove(dispatchId(row.id, env.seq)).catch(() => 0); // a stale delivery is skipped anyway
      const r = running.get(row.id);
      if (r) {
        if (!r.reason) {
          r.reason = 'cancel';
          r.controller.abort(cutroomError('RENDER_CANCELLED', 'the job was cancelled', { job_id: jobId }));
        }
        await Promise.race([r.settled, sleep(cancelGraceMs)]);
      } else if (remoteSettled) {
        publish({ t: 'cancel', from: owner.instance, row_id: row.id });
        await remoteSettled;
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
      const envelope: Envelope = {
        ...(readEnvelope(row) as Envelope),
        seq: nextSeq(),
        run_after: null,
        owner: null,
        lease_until: null,
        parked: false,
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
        await dispatch(updated, envelope);
        emitState(updated);
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
  // running a delivered job

  const release = (job: RunningJob, state: string | undefined): void => {
    if (job.reason) return;
    job.reason = state === 'cancelled' ? 'cancel' : 'lost';
    job.controller.abort(cutroomError('RENDER_CANCELLED', 'the job is no longer ours to run'));
  };

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

  const persistProgress = async (job: RunningJob): Promise<void> => {
    if (job.pendingProgress === null || dead || job.reason) return;
    const progress = job.pendingProgress;
    job.pendingProgress = null;
    job.lastPersistAt = Date.now();
    await writeJob(job, { progress }).catch(() => false);
  };

  /** Folds a child's progress into its parent's: an event for the parent's subscribers and a monotonic write. */
  const flowProgress = async (parentRowId: string, childRowId: string, progress: number): Promise<void> => {
    const raw = (await cmd.eval(
      FLOW_PROGRESS_LUA,
      1,
      flowKey(parentRowId),
      childRowId,
      String(progress),
      channel,
      owner.instance,
      parentRowId,
    )) as string | null;
    if (raw === null) return;
    const msg = JSON.parse(raw) as BusMessage;
    if (msg.t !== 'event' || msg.event.type !== 'progress') return;
    const value = msg.event.progress;
    // The script published to other processes; subscribers here hear it directly (the bus skips our own).
    deliver(parentRowId, msg.event);
    await db
      .updateTable('jobs')
      .set({ progress: value, updated_at: nowIso() })
      .where('id', '=', parentRowId)
      .where('state', '=', 'running')
      .where('progress', '<', value)
      .execute();
  };

  /** Claims the row for this delivery, or returns null when there is nothing (left) to run. */
  const claim = async (
    bjob: BullJob<DispatchData>,
  ): Promise<{ row: JobRow; envelope: Envelope; resumedFromPark: boolean } | 'unrecoverable' | null> => {
    const row = await rowById(bjob.data.row_id);
    if (!row) return null;
    const env = readEnvelope(row) as Envelope;
    if (env.seq !== bjob.data.seq) return null; // a delivery from before a resume
    const state = row.state as JobState;
    let values: Partial<JobRow>;
    const envelope: Envelope = { ...env, run_after: null, owner, lease_until: null, parked: false };
    if (state === 'queued') {
      values = { state: 'running', attempts: Number(row.attempts) + 1, progress: 0, error: null };
      values.started_at = nowIso();
    } else if (state === 'running' && env.parked) {
      // Its children are done: the same attempt carries on (join step).
      values = {};
    } else if (state === 'running') {
      // BullMQ re-delivered a running job: its worker stopped renewing the lock (died). Take it over.
      const attempts = Number(row.attempts);
      if (attempts >= env.max_attempts) {
        const lost = cutroomError('JOB_WORKER_LOST', 'the worker running this job died', {
          job_id: env.job_id,
          attempts,
        });
        const failed = { state: 'failed', error: JSON.stringify(toJobError(lost)), finished_at: nowIso() };
        if (await updateIf(row.id, 'running', failed, row.params)) emitState((await rowById(row.id))!);
        return 'unrecoverable';
      }
      values = { attempts: attempts + 1, progress: 0, error: null, started_at: nowIso() };
    } else return null;
    values.params = JSON.stringify(envelope);
    if (!(await updateIf(row.id, state, values, row.params))) return null;
    const claimed = { ...row, ...values, updated_at: nowIso() } as JobRow;
    if (state === 'queued' || !env.parked) emitState(claimed);
    return { row: claimed, envelope, resumedFromPark: state === 'running' && env.parked === true };
  };

  const processor = async (bjob: BullJob<DispatchData>, token?: string): Promise<unknown> => {
    if (dead) return never();
    cmd.eval(ADVANCE_VT_LUA, 1, vtKey, String(bjob.opts.priority ?? 0)).catch(reportError);
    const claimed = await claim(bjob);
    if (claimed === null) return null;
    if (claimed === 'unrecoverable') throw new UnrecoverableError('the worker running this job died');
    const { row, envelope, resumedFromPark } = claimed;
    const handler = handlers[row.kind] as JobHandler<unknown, unknown> | undefined;
    const controller = new AbortController();
    let resolveSettled!: () => void;
    const job: RunningJob = {
      rowId: row.id,
      row,
      envelope,
      controller,
      reason: null,
      settled: new Promise<void>((r) => (resolveSettled = r)),
      lastPersistAt: 0,
      pendingProgress: null,
      heartbeat: setInterval(() => {
        if (dead || job.reason) return;
        const progress = job.pendingProgress;
        job.pendingProgress = null;
        if (progress !== null) job.lastPersistAt = Date.now();
        // Also the cross-process cancel check: the conditional write fails once the row is not ours.
        void writeJob(job, progress !== null ? { progress } : {}).catch(() => false);
      }, heartbeatMs),
      startedAt: Date.now(),
      persisted: row.params,
      writes: Promise.resolve(),
    };
    job.heartbeat.unref();
    running.set(row.id, job);
    try {
      return await execute(job, bjob, token, handler, resumedFromPark);
    } finally {
      clearInterval(job.heartbeat);
      running.delete(row.id);
      resolveSettled();
    }
  };

  const execute = async (
    job: RunningJob,
    bjob: BullJob<DispatchData>,
    token: string | undefined,
    handler: JobHandler<unknown, unknown> | undefined,
    resumedFromPark: boolean,
  ): Promise<unknown> => {
    const record = toJobRecord(job.row);
    const ctx: RequestContext = { tenantId: job.row.tenant_id, env: job.row.env, requestId: record.id };
    // After a park the attempt goes on: progress (folded in from the children) must not go back.
    let lastProgress = resumedFromPark
      ? Math.max(Number(job.row.progress), Number((await cmd.hget(flowKey(job.rowId), 'max')) ?? 0))
      : 0;
    const parentRowId = bjob.data.parent_row_id;
    let lastFlowAt = 0;
    const toParent = (progress: number): Promise<void> => {
      if (!parentRowId) return Promise.resolve();
      lastFlowAt = Date.now();
      return flowProgress(parentRowId, job.rowId, progress).catch(reportError);
    };
    let outcome: { ok: true; result: unknown } | { ok: false; error: unknown };
    let onParked!: () => void;
    const parked = new Promise<never>((_, reject) => (onParked = () => reject(new WaitingChildrenError())));
    parked.catch(() => undefined);
    const flow: FlowTools = {
      submitChildren: async (inputs, opts = {}) => {
        const rows: Array<{ row: JobRow; created: boolean; weight: number }> = [];
        for (const { weight, ...input } of inputs) {
          const inserted = await insertJob(ctx, input, false);
          const state = inserted.row.state as JobState;
          if (!inserted.created && (state === 'failed' || state === 'cancelled')) {
            const env: Envelope = {
              ...(readEnvelope(inserted.row) as Envelope),
              seq: nextSeq(),
              run_after: null,
              owner: null,
              lease_until: null,
              parked: false,
            };
            const requeued = {
              state: 'queued',
              attempts: 0,
              error: null,
              result: null,
              progress: 0,
              finished_at: null,
              params: JSON.stringify(env),
            };
            if (await updateIf(inserted.row.id, state, requeued, inserted.row.params)) {
              inserted.row = (await rowById(inserted.row.id))!;
              emitState(inserted.row);
            }
          }
          rows.push({ ...inserted, weight: weight ?? 1 });
        }
        const meta: FlowMeta = {
          job_id: record.id,
          share: opts.progressShare ?? 0.9,
          weights: Object.fromEntries(rows.map((r) => [r.row.id, r.weight])),
        };
        // Before the children are dispatched, so their first progress report finds the weights.
        await cmd.hset(flowKey(job.rowId), 'meta', JSON.stringify(meta));
        for (const { row, created } of rows) {
          // Re-added even when the row existed: a parent re-run after a crash must re-link live children
          // (BullMQ ignores an id it already has; finished children are skipped by their DB state).
          if (created || row.state === 'queued' || row.state === 'running')
            await dispatch(row, readEnvelope(row), {
              id: bjob.id!,
              queue: bjob.queueQualifiedName,
              rowId: job.rowId,
            });
          if (created) emitState(row);
        }
        return rows.map((r) => toJobRecord(r.row));
      },
      children: async () => {
        const meta = await cmd.hget(flowKey(job.rowId), 'meta');
        const ids = meta ? Object.keys((JSON.parse(meta) as FlowMeta).weights) : [];
        const rows = ids.length
          ? await db.selectFrom('jobs').selectAll().where('id', 'in', ids).execute()
          : [];
        const order = new Map(ids.map((id, i) => [id, i]));
        return rows.sort((a, b) => order.get(a.id)! - order.get(b.id)!).map(toJobRecord);
      },
      resumedFromChildren: resumedFromPark,
      waitForChildren: async () => {
        if (!token) return;
        // Marked before moving: once moved, a child finishing at once lets another worker pick the parent up.
        job.envelope.parked = true;
        if (!(await writeJob(job, {}, true))) return never();
        if (await bjob.moveToWaitingChildren(token)) {
          job.reason = 'parked';
          onParked();
          return never();
        }
        job.envelope.parked = false;
        await writeJob(job, {}, true);
      },
    };
    try {
      if (!handler) throw cutroomError('VALIDATION_FAILED', `no handler for job kind ${job.row.kind}`);
      const tools: FlowHandlerTools = {
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
          if (parentRowId && Date.now() - lastFlowAt >= 250) void toParent(progress);
        },
        saveCheckpoint: async (data) => {
          if (dead || job.reason) return;
          job.envelope.checkpoint = data === undefined ? null : JSON.parse(JSON.stringify(data));
          if (!(await writeJob(job, {}, true)))
            throw cutroomError('RENDER_CANCELLED', 'the job is no longer ours to run', { job_id: record.id });
        },
        ...flow,
      };
      // waitForChildren parks by never resolving: race the handler against the park.
      const result = await Promise.race([handler(record, tools), parked]);
      outcome = { ok: true, result: result === undefined ? null : result };
    } catch (error) {
      outcome = { ok: false, error };
    }
    if (dead || job.reason === 'abandon') return never();
    if (job.reason === 'cancel' || job.reason === 'lost') return null;
    if (job.reason === 'parked') throw new WaitingChildrenError();
    if (job.reason === 'shutdown' && !outcome.ok) {
      // Interrupted by our own stop(): back to the queue, and the interrupted run does not count as an attempt.
      job.envelope = { ...job.envelope, owner: null };
      const ok = await writeJob(
        job,
        { state: 'queued', attempts: Math.max(0, Number(job.row.attempts) - 1) },
        true,
      ).catch(() => false);
      if (ok && token) await bjob.moveToWait(token);
      throw new WaitingError();
    }
    const now = nowIso();
    if (outcome.ok) {
      avgJobMs = Math.round(avgJobMs * 0.8 + (Date.now() - job.startedAt) * 0.2);
      const final = {
        state: 'completed',
        progress: 1,
        result: JSON.stringify(outcome.result),
        finished_at: now,
      };
      if (await writeJob(job, final).catch(() => false)) {
        const row = await rowById(job.rowId);
        if (row) emitState(row);
        // Awaited: the parent must see this child's last progress before BullMQ wakes it.
        await toParent(1);
        cmd.del(flowKey(job.rowId)).catch(reportError);
      }
      return outcome.result;
    }
    const attempts = Number(job.row.attempts);
    const decision = retryDecision({
      error: outcome.error,
      attempts,
      maxAttempts: job.envelope.max_attempts,
      ...(options.backoff ? { backoff: options.backoff } : {}),
    });
    const error = JSON.stringify(toJobError(outcome.error));
    const message = outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
    if (decision.retry) {
      job.envelope = {
        ...job.envelope,
        owner: null,
        run_after: new Date(Date.now() + decision.delayMs).toISOString(),
      };
      if (await writeJob(job, { state: 'queued', error }, true).catch(() => false)) {
        const row = await rowById(job.rowId);
        if (row) emitState(row);
      }
      throw new RetryLater(message, decision.delayMs);
    }
    if (await writeJob(job, { state: 'failed', error, finished_at: now }).catch(() => false)) {
      const row = await rowById(job.rowId);
      if (row) emitState(row);
      await toParent(1);
      cmd.del(flowKey(job.rowId)).catch(reportError);
    }
    throw new UnrecoverableError(message);
  };

  // ---------------------------------------------------------------------------------------------------------------
  // reconcile and lifecycle

  /** Rows that should be in BullMQ but are not (submitter died between the writes, Redis lost data). */
  const reconcile = async (): Promise<void> => {
    const rows = await db
      .selectFrom('jobs')
      .selectAll()
      .where('state', 'in', ['queued', 'running'])
      .execute();
    for (const row of rows) {
      if (!submittable.has(row.kind)) continue;
      const env = readEnvelope(row) as Envelope;
      const existing = await bq.getJob(dispatchId(row.id, env.seq));
      if (!existing) await dispatch(row, env);
    }
  };

  const startWorker = async (): Promise<void> => {
    const w = new Worker<DispatchData>(queueName, processor, {
      connection,
      prefix,
      concurrency,
      lockDuration,
      stalledInterval,
      // Attempts are bounded by the database (JOB_WORKER_LOST after max_attempts), not by BullMQ's stall count.
      maxStalledCount: 1000,
      autorun: true,
      settings: {
        backoffStrategy: (attemptsMade: number, _type?: string, err?: Error) =>
          err instanceof RetryLater
            ? err.delayMs
            : backoffDelayMs({ attempts: attemptsMade, ...(options.backoff ?? {}) }),
      },
    });
    w.on('error', reportError);
    worker = w;
    await w.waitUntilReady();
  };

  const start = async (): Promise<void> => {
    if (dead) throw cutroomError('INTERNAL', 'this queue was closed; create a new one');
    if (started) return;
    started = true;
    await reconcile();
    await startWorker();
    reconcileTimer = setInterval(() => void reconcile().catch(reportError), reconcileMs);
  };

  const stop = async (): Promise<void> => {
    if (!started) return;
    started = false;
    if (reconcileTimer) clearInterval(reconcileTimer);
    reconcileTimer = null;
    const jobs = [...running.values()];
    for (const job of jobs) {
      if (job.reason) continue;
      job.reason = 'shutdown';
      job.controller.abort(cutroomError('RENDER_CANCELLED', 'the worker is shutting down'));
    }
    const w = worker;
    worker = null;
    if (w) {
      const closed = w.close();
      await Promise.race([closed, sleep(cancelGraceMs)]);
      await w.close(true).catch(() => undefined);
    }
  };

  const closeConnections = async (): Promise<void> => {
    await bq.close().catch(() => undefined);
    sub.disconnect();
    await cmd.quit().catch(() => cmd.disconnect());
  };

  const close = async (): Promise<void> => {
    if (dead) return;
    await stop();
    await submitChain;
    dead = true;
    listeners.clear();
    await closeConnections();
  };

  const abandon = async (): Promise<void> => {
    dead = true;
    started = false;
    if (reconcileTimer) clearInterval(reconcileTimer);
    for (const job of running.values()) {
      job.reason = 'abandon';
      job.controller.abort(cutroomError('RENDER_CANCELLED', 'the worker died'));
    }
    listeners.clear();
    const w = worker;
    worker = null;
    // Force: no waiting for handlers and no lock renewal; the jobs' locks expire and another worker takes over.
    await w?.close(true).catch(() => undefined);
    sub.disconnect();
    cmd.disconnect();
    await bq.close().catch(() => undefined);
  };

  const obliterate = async (): Promise<void> => {
    const c = new Redis({ ...redisOptions });
    try {
      // Not Queue.obliterate: it refuses while a (crashed) job still holds a lock. Our namespace, all keys.
      let cursor = '0';
      do {
        const [next, keys] = await c.scan(cursor, 'MATCH', `${prefix}:${queueName}:*`, 'COUNT', 500);
        cursor = next;
        if (keys.length > 0) await c.del(...keys);
      } while (cursor !== '0');
    } finally {
      c.disconnect();
    }
  };

  return {
    prefix,
    queueName,
    submit,
    get,
    list,
    cancel,
    resume,
    subscribe,
    start,
    stop,
    close,
    abandon,
    obliterate,
  };
}
