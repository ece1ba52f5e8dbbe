/**
 * Mapping between a `jobs` row and a JobRecord. The row keeps the public id, the params hash and the worker
 * bookkeeping (owner, lease, checkpoint, retry time, FIFO sequence) in a JSON envelope in the `params` column until
 * the schema has columns for them; this file is the only place that knows, so moving them to real columns is a
 * local change.
 */
import type { Database } from '../db/schema.js';
import type { RequestContext } from '../context.js';
import type { JobError, JobRecord, SubmitJobInput } from './job-queue.js';
import type { JobState } from './job-state.js';

export type JobRow = Database['jobs'];

export interface WorkerOwner {
  host: string;
  pid: number;
  /** Random per queue instance: two queues in one process are told apart. */
  instance: string;
}

export interface JobEnvelope {
  v: 1;
  job_id: string;
  params: unknown;
  params_hash: string;
  max_attempts: number;
  /** Submission order within the process and across restarts (ms · 1000 + counter). */
  seq: number;
  run_after: string | null;
  owner: WorkerOwner | null;
  lease_until: string | null;
  checkpoint: unknown;
}

export function readEnvelope(row: JobRow): JobEnvelope {
  return JSON.parse(row.params) as JobEnvelope;
}

export function toJobRecord(row: JobRow): JobRecord {
  const env = readEnvelope(row);
  return {
    id: env.job_id,
    tenant_id: row.tenant_id,
    env: row.env,
    kind: row.kind,
    state: row.state as JobState,
    attempts: Number(row.attempts),
    max_attempts: env.max_attempts,
    params: env.params,
    plan_hash: row.plan_hash,
    progress: Number(row.progress),
    error: row.error === null ? null : (JSON.parse(row.error) as JobError),
    result: row.result === null ? null : (JSON.parse(row.result) as unknown),
    created_at: row.created_at,
    updated_at: row.updated_at,
    started_at: row.started_at,
    finished_at: row.finished_at,
    run_after: env.run_after,
  };
}

/**
 * The row (and its envelope) of a newly submitted job, as both queue adapters insert it: the DB row is the
 * truth for every adapter, so it must look the same whichever one wrote it.
 */
export function newQueuedJob({
  ctx,
  rowId,
  jobId,
  input,
  paramsHash,
  maxAttempts,
  seq,
  now,
}: {
  ctx: RequestContext;
  rowId: string;
  jobId: string;
  input: SubmitJobInput;
  paramsHash: string;
  maxAttempts: number;
  seq: number;
  now: string;
}): { row: JobRow; envelope: JobEnvelope } {
  const envelope: JobEnvelope = {
    v: 1,
    job_id: jobId,
    params: input.params ?? null,
    params_hash: paramsHash,
    max_attempts: maxAttempts,
    seq,
    run_after: null,
    owner: null,
    lease_until: null,
    checkpoint: null,
  };
  const row: JobRow = {
    id: rowId,
    tenant_id: ctx.tenantId,
    env: ctx.env,
    kind: input.kind,
    state: 'queued',
    attempts: 0,
    params: JSON.stringify(envelope),
    plan_hash: input.planHash ?? null,
    progress: 0,
    error: null,
    result: null,
    created_at: now,
    updated_at: now,
    started_at: null,
    finished_at: null,
  };
  return { row, envelope };
}
