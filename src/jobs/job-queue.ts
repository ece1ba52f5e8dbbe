/**
 * The JobQueue contract: durable, tenant-scoped background jobs (renders today; proxies and analyses later). The
 * embedded adapter (embedded-queue.ts: SQLite/PostgreSQL rows + an in-process worker pool) is the default; a
 * Redis/BullMQ adapter implements the same interface and must pass the same conformance suite
 * (test/conformance/job-queue.ts).
 *
 * Guarantees every adapter gives:
 * - Tenancy: every call takes the caller's RequestContext; a job of another tenant or env is reported exactly
 *   like a missing one (JOB_NOT_FOUND), by get, cancel, resume and subscribe alike, and never listed.
 * - Idempotency: without a client id, the id is derived from the tenant, env, kind and `idempotencyKey` (or the
 *   params), so the same submission returns the same job with its state unchanged (`created: false`). A client id
 *   reused with other params or kind fails with JOB_PARAMS_MISMATCH (409).
 * - Backpressure: at most `maxQueuedPerTenant` queued + running jobs per tenant; beyond it QUEUE_FULL (429) with
 *   `details.retry_after_s`. Dispatch is fair: round-robin over tenants with ready jobs, FIFO within a tenant.
 * - State machine (job-state.ts), attempts counted when a job starts; retryable errors (CutroomError with
 *   `retryable`, a lost worker) re-queue with exponential backoff until `max_attempts`; others fail at once.
 * - Durability: a job survives the death of the process running it. The next worker re-queues it, and the
 *   handler finds the checkpoint it saved (`tools.checkpoint`) so finished work (render chunks) is not redone.
 * - Cancel aborts a running handler through its AbortSignal and returns once the handler has settled (so its
 *   cleanup — killing ffmpeg, deleting partial files — is done), bounded by the adapter's cancel grace period.
 *
 * Deliberately NOT in the contract:
 * - what a job does: work is injected as `handlers` by kind (the render service registers `render`), so this
 *   layer never imports render, plan or ffmpeg;
 * - priorities, delayed/scheduled/repeating jobs, job dependencies (flows), rate limits per time window;
 * - deleting jobs or their history (retention is an operator task); listing across tenants;
 * - progress history: subscribers see live events; late subscribers read the current state with `get`;
 * - exactly-once execution: a handler may run again after a crash, so handlers must be idempotent (write outputs
 *   atomically, look results up by key before recomputing).
 */
import type { RequestContext } from '../context.js';
import type { ErrorCode } from '../errors.js';
import type { JobState } from './job-state.js';

export type JobKind = string;

export interface JobError {
  code: ErrorCode;
  message: string;
  details: Record<string, unknown>;
}

/** A job as callers see it (the public id, never the storage row id). */
export interface JobRecord<P = unknown, R = unknown> {
  id: string;
  tenant_id: string;
  env: string;
  kind: JobKind;
  state: JobState;
  /** Attempts started so far (a resume resets it to 0). */
  attempts: number;
  max_attempts: number;
  params: P;
  plan_hash: string | null;
  /** 0..1, never decreasing within an attempt. */
  progress: number;
  error: JobError | null;
  result: R | null;
  created_at: string;
  updated_at: string;
  started_at: string | null;
  finished_at: string | null;
  /** Not before this time (ISO) when queued for a retry with backoff. */
  run_after: string | null;
}

export interface SubmitJobInput {
  kind: JobKind;
  /** JSON parameters handed to the handler (stored as submitted). */
  params: unknown;
  /** Client-chosen id (^[a-z0-9][a-z0-9_-]{0,62}$); otherwise derived (see deriveJobId). */
  jobId?: string;
  /** What makes two submissions the same job; defaults to params. Render: {plan_hash, profile, output}. */
  idempotencyKey?: unknown;
  planHash?: string;
  /** Default: the queue's maxAttempts (3). */
  maxAttempts?: number;
}

export interface SubmitJobResult<P = unknown, R = unknown> {
  job: JobRecord<P, R>;
  /** False when an existing job was returned (idempotent re-submission). */
  created: boolean;
}

export interface ListJobsFilter {
  state?: JobState;
  kind?: JobKind;
  /** Default 100, at most 1000. Newest first. */
  limit?: number;
}

export type JobEvent =
  | { type: 'state'; job: JobRecord }
  | { type: 'progress'; job_id: string; progress: number; detail?: Record<string, unknown> };

export type JobListener = (event: JobEvent) => void;

/** What a handler gets besides the job. */
export interface JobHandlerTools {
  /** Aborted on cancel, shutdown or a lost lease; pass it to every ffmpeg run. */
  signal: AbortSignal;
  /** 0..1 plus optional detail (chunk index, fps…); cheap to call often — persistence is throttled. */
  reportProgress(progress: number, detail?: Record<string, unknown>): void;
  /** The last checkpoint saved by an earlier attempt of this job (null on a first run). */
  checkpoint: unknown;
  /** Durably stores JSON (resolves after the write), e.g. the list of finished chunks. */
  saveCheckpoint(data: unknown): Promise<void>;
  /** Attempt number of this run, from 1. */
  attempt: number;
  /** The job's tenant and env as a RequestContext (requestId = job id), for tenant-scoped services. */
  ctx: RequestContext;
}

/**
 * The work for one job kind. Resolve with a JSON result; throw a CutroomError to fail (retryable codes retry).
 * On abort, stop promptly, clean up and reject (any error; the queue knows why it aborted).
 */
export type JobHandler<P = unknown, R = unknown> = (
  job: JobRecord<P, R>,
  tools: JobHandlerTools,
) => Promise<R>;

export type JobHandlers = Record<JobKind, JobHandler<never, unknown>>;

export interface JobQueue {
  submit(ctx: RequestContext, input: SubmitJobInput): Promise<SubmitJobResult>;
  /** JOB_NOT_FOUND unless the job exists in ctx's tenant and env. */
  get(ctx: RequestContext, jobId: string): Promise<JobRecord>;
  list(ctx: RequestContext, filter?: ListJobsFilter): Promise<JobRecord[]>;
  /** queued/running → cancelled (already cancelled: unchanged); completed/failed → ILLEGAL_JOB_TRANSITION. */
  cancel(ctx: RequestContext, jobId: string): Promise<JobRecord>;
  /** failed/cancelled → queued with attempts reset, checkpoint kept; queued/running: unchanged; completed → 409. */
  resume(ctx: RequestContext, jobId: string): Promise<JobRecord>;
  /** Live events of one job (state changes and progress); returns the unsubscribe function. */
  subscribe(ctx: RequestContext, jobId: string, listener: JobListener): Promise<() => void>;
  /** Recovers jobs of dead workers, then starts dispatching. Submitting works before start. */
  start(): Promise<void>;
  /** Stops dispatching; running jobs are aborted and re-queued (not counted as an attempt) for the next start. */
  stop(): Promise<void>;
  /** stop() and release timers; the injected database stays open (its owner closes it). */
  close(): Promise<void>;
}
