// Adapter choice by configuration: the Redis URL parser and queueFromEnv.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/db/open-database.js';
import { isCutroomError } from '../../src/errors.js';
import type { BullmqQueue } from '../../src/jobs/bullmq-queue.js';
import { queueFromEnv } from '../../src/jobs/queue-from-env.js';
import { redisOptionsFromUrl } from '../../src/jobs/redis-options.js';
import { REDIS_URL, redisAvailable, uniquePrefix } from './redis.js';

test('redisOptionsFromUrl: host, port, db, credentials (URL-decoded), TLS; bad URLs are coded errors', () => {
  assert.deepEqual(redisOptionsFromUrl('redis://127.0.0.1:6390/3'), {
    host: '127.0.0.1',
    port: 6390,
    db: 3,
    maxRetriesPerRequest: null,
  });
  const o = redisOptionsFromUrl('rediss://user:p%40ss@cache.internal');
  assert.equal(o.host, 'cache.internal');
  assert.equal(o.port, 6379);
  assert.equal(o.db, 0);
  assert.equal(o.username, 'user');
  assert.equal(o.password, 'p@ss');
  assert.deepEqual(o.tls, {});
  assert.equal(redisOptionsFromUrl('redis://[::1]:6379').host, '::1');
  for (const bad of ['not a url', 'http://127.0.0.1:6379', 'redis://h/abc'])
    assert.throws(
      () => redisOptionsFromUrl(bad),
      (e) => isCutroomError(e, 'VALIDATION_FAILED'),
      bad,
    );
});

test('queueFromEnv: embedded without CUTROOM_REDIS_URL, BullMQ with it; bad concurrency is refused', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'cutroom-qenv-'));
  const { db, close } = await openDatabase({ dataDir });
  t.after(async () => {
    await close();
    await rm(dataDir, { recursive: true, force: true });
  });
  const handlers = { w: async () => 'ok' };
  const embedded = await queueFromEnv({ env: {}, db, handlers });
  assert.equal(embedded.adapter, 'embedded');
  await embedded.queue.close();
  await assert.rejects(queueFromEnv({ env: { CUTROOM_WORKER_CONCURRENCY: '0' }, db, handlers }), (e) =>
    isCutroomError(e, 'VALIDATION_FAILED'),
  );
  if (!(await redisAvailable())) return t.skip('Redis not reachable');
  const prefix = uniquePrefix();
  const chosen = await queueFromEnv({
    env: { CUTROOM_REDIS_URL: REDIS_URL, CUTROOM_REDIS_PREFIX: prefix },
    db,
    handlers,
  });
  assert.equal(chosen.adapter, 'bullmq');
  assert.equal((chosen.queue as BullmqQueue).prefix, prefix);
  // It really runs jobs through Redis.
  const ctx = { tenantId: 'tenv', env: 'dev', requestId: 'r' };
  await chosen.queue.start();
  const { job } = await chosen.queue.submit(ctx, { kind: 'w', params: {} });
  let state = job.state;
  for (let i = 0; i < 1000 && state !== 'completed'; i++) {
    await new Promise((r) => setTimeout(r, 10));
    state = (await chosen.queue.get(ctx, job.id)).state;
  }
  assert.equal(state, 'completed');
  await chosen.queue.close();
  await (chosen.queue as BullmqQueue).obliterate();
});
