import { cutroomError } from '../../errors.js';
import { DEFAULT_MIN_CONFIDENCE } from './backend.js';

/** VIDEO_REGIONS_MIN_CONFIDENCE, else 0.5. A value that is not a number in [0,1] is an error, not ignored. */
export function defaultMinConfidence(env: Record<string, string | undefined>): number {
  const raw = env.VIDEO_REGIONS_MIN_CONFIDENCE;
  if (raw === undefined || raw.trim() === '') return DEFAULT_MIN_CONFIDENCE;
  const v = Number(raw);
  if (!Number.isFinite(v) || v < 0 || v > 1) {
    throw cutroomError(
      'INVALID_PARAM',
      `VIDEO_REGIONS_MIN_CONFIDENCE must be a number in [0, 1], got "${raw}"`,
      {
        path: 'env.VIDEO_REGIONS_MIN_CONFIDENCE',
      },
    );
  }
  return v;
}
