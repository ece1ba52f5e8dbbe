/**
 * The job state machine, pure. A job row is the truth; every state change goes through `assertTransition`, so a
 * bug (or a race between a cancel and a finishing worker) can never move a completed job back to running.
 *
 *   queued ──► running ──► completed
 *     │          │  └────► failed ────┐
 *     │          ├───────► cancelled ─┤ resume (owner asks again; finished chunks are kept)
 *     └──────────┼───────► cancelled  │
 *                └─► queued ◄─────────┘   (retry after a retryable error, or a crashed worker's job re-queued)
 */
import { cutroomError } from '../errors.js';

export const JOB_STATES = ['queued', 'running', 'completed', 'failed', 'cancelled'] as const;
export type JobState = (typeof JOB_STATES)[number];

/** States a job never leaves on its own (only an explicit resume re-queues failed/cancelled ones). */
export const TERMINAL_STATES: ReadonlySet<JobState> = new Set(['completed', 'failed', 'cancelled']);

const ALLOWED: Record<JobState, readonly JobState[]> = {
  queued: ['running', 'cancelled'],
  running: ['completed', 'failed', 'cancelled', 'queued'],
  completed: [],
  failed: ['queued'],
  cancelled: ['queued'],
};

export function isJobState(value: unknown): value is JobState {
  return typeof value === 'string' && (JOB_STATES as readonly string[]).includes(value);
}

export function canTransition({ from, to }: { from: JobState; to: JobState }): boolean {
  return ALLOWED[from].includes(to);
}

/** Throws ILLEGAL_JOB_TRANSITION (409) naming both states and the allowed targets. */
export function assertTransition({
  from,
  to,
  jobId,
}: {
  from: JobState;
  to: JobState;
  jobId?: string;
}): void {
  if (!canTransition({ from, to }))
    throw cutroomError('ILLEGAL_JOB_TRANSITION', `a ${from} job cannot become ${to}`, {
      from,
      to,
      allowed: [...ALLOWED[from]],
      ...(jobId !== undefined ? { job_id: jobId } : {}),
    });
}
