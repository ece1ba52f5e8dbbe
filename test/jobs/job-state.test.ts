import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cutroomError, isCutroomError } from '../../src/errors.js';
import { deriveJobId, paramsHash, rowIdFor } from '../../src/jobs/job-id.js';
import { assertTransition, canTransition, JOB_STATES, type JobState } from '../../src/jobs/job-state.js';
import { backoffDelayMs, retryDecision } from '../../src/jobs/retry-policy.js';

test('only the documented transitions are allowed', () => {
  const allowed = new Set([
    'queued>running',
    'queued>cancelled',
    'running>completed',
    'running>failed',
    'running>cancelled',
    'running>queued',
    'failed>queued',
    'cancelled>queued',
  ]);
  for (const from of JOB_STATES)
    for (const to of JOB_STATES) {
      const key = `${from}>${to}`;
      assert.equal(canTransition({ from, to }), allowed.has(key), key);
    }
});

test('an illegal transition throws ILLEGAL_JOB_TRANSITION naming the allowed targets', () => {
  try {
    assertTransition({ from: 'completed' as JobState, to: 'running', jobId: 'job_x' });
    assert.fail('no throw');
  } catch (err) {
    assert.ok(isCutroomError(err, 'ILLEGAL_JOB_TRANSITION'));
    assert.equal(err.status, 409);
    assert.deepEqual(err.details, { from: 'completed', to: 'running', allowed: [], job_id: 'job_x' });
  }
  assert.doesNotThrow(() => assertTransition({ from: 'running', to: 'queued' }));
});

test('retry policy: retryable codes retry with doubling backoff until max attempts, others never', () => {
  const killed = cutroomError('RENDER_FAILED', 'killed');
  assert.deepEqual(retryDecision({ error: killed, attempts: 1, maxAttempts: 3 }), {
    retry: true,
    delayMs: 1000,
  });
  assert.deepEqual(retryDecision({ error: killed, attempts: 2, maxAttempts: 3 }), {
    retry: true,
    delayMs: 2000,
  });
  assert.equal(retryDecision({ error: killed, attempts: 3, maxAttempts: 3 }).retry, false);
  assert.equal(
    retryDecision({ error: cutroomError('JOB_WORKER_LOST'), attempts: 1, maxAttempts: 3 }).retry,
    true,
  );
  assert.equal(
    retryDecision({ error: cutroomError('STORE_FAILED'), attempts: 1, maxAttempts: 3 }).retry,
    true,
  );
  for (const code of [
    'VALIDATION_FAILED',
    'TIMELINE_INVALID',
    'ASSET_NOT_FOUND',
    'RENDER_CANCELLED',
  ] as const)
    assert.equal(
      retryDecision({ error: cutroomError(code), attempts: 1, maxAttempts: 3 }).retry,
      false,
      code,
    );
  assert.equal(retryDecision({ error: new Error('bug'), attempts: 1, maxAttempts: 3 }).retry, false);
  assert.equal(backoffDelayMs({ attempts: 10, baseMs: 1000, maxMs: 60000 }), 60000);
});

test('job ids: deterministic, canonical, tenant-scoped', () => {
  const ctx = { tenantId: 'acme', env: 'dev' };
  const key = { plan_hash: 'f'.repeat(64), profile: 'draft_360p', output: { container: 'mp4' } };
  const id = deriveJobId({ ctx, kind: 'render', key });
  assert.match(id, /^job_[0-9a-f]{32}$/);
  assert.equal(
    deriveJobId({
      ctx,
      kind: 'render',
      key: { output: { container: 'mp4' }, profile: 'draft_360p', plan_hash: 'f'.repeat(64) },
    }),
    id,
  );
  assert.notEqual(deriveJobId({ ctx: { ...ctx, env: 'prod' }, kind: 'render', key }), id);
  assert.notEqual(deriveJobId({ ctx: { ...ctx, tenantId: 'other' }, kind: 'render', key }), id);
  assert.notEqual(deriveJobId({ ctx, kind: 'render', key: { ...key, profile: 'preview_720p' } }), id);
  assert.notEqual(rowIdFor(ctx, 'nightly'), rowIdFor({ ...ctx, tenantId: 'other' }, 'nightly'));
  assert.equal(paramsHash({ a: 1, b: 2 }), paramsHash({ b: 2, a: 1 }));
});
