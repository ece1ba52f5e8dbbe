/**
 * Retry vs give up (BullMQ's split of retryable and unrecoverable failures). Only errors we know to be transient
 * retry: a CutroomError whose registry entry says `retryable` (RENDER_FAILED from a killed or crashed ffmpeg,
 * STORE_FAILED) and a crashed worker. Everything else — a bad timeline, a missing asset, a validation error, and
 * any unexpected non-coded exception (a bug would fail again the same way) — fails the job at once.
 */
import { isCutroomError } from '../errors.js';

export const DEFAULT_MAX_ATTEMPTS = 3;

export interface BackoffOptions {
  /** Delay before the 2nd attempt, ms (doubles per attempt). Default 1000. */
  baseMs?: number;
  /** Upper bound, ms. Default 60000. */
  maxMs?: number;
}

export type RetryDecision = { retry: true; delayMs: number } | { retry: false; reason: string };

export interface RetryDecisionInput {
  error: unknown;
  /** Attempts made so far, including the one that just failed (>= 1). */
  attempts: number;
  maxAttempts: number;
  backoff?: BackoffOptions;
}

/** Exponential backoff without jitter (deterministic): base · 2^(attempts − 1), capped. */
export function backoffDelayMs({
  attempts,
  baseMs = 1000,
  maxMs = 60000,
}: BackoffOptions & { attempts: number }): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempts - 1));
}

export function isRetryableError(error: unknown): boolean {
  return isCutroomError(error) && error.retryable;
}

export function retryDecision({
  error,
  attempts,
  maxAttempts,
  backoff = {},
}: RetryDecisionInput): RetryDecision {
  if (!isRetryableError(error))
    return {
      retry: false,
      reason: isCutroomError(error) ? `${error.code} is not retryable` : 'unexpected error is not retryable',
    };
  if (attempts >= maxAttempts) return { retry: false, reason: `gave up after ${attempts} attempts` };
  return { retry: true, delayMs: backoffDelayMs({ attempts, ...backoff }) };
}
