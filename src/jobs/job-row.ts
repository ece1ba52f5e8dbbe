/**
 * Mapping between a `jobs` row and a JobRecord. The row keeps the public id, the params hash and the worker
 * bookkeeping (owner, lease, checkpoint, retry time, FIFO sequence) in a JSON envelope in the `params` column until
 * the schema has columns for them; this file is the only place that knows, so moving them to real columns is a
 * local change.
 */
import type { Database } from '../db/schema.js';
import type { JobError, JobRecord } from './job-queue.js';
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
