// Back-pressure against the real Redis/BullMQ queue: a burst of DISTINCT render jobs (different timelines, no
// job id, so no idempotency folds them together) beyond the per-tenant limit is answered 429 QUEUE_FULL with
// Retry-After; exactly the admitted jobs exist (database rows and BullMQ jobs: nothing half-created for the
// refused ones); once a worker starts, every admitted job finishes and its output is served, with HTTP Range.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue, type ConnectionOptions } from 'bullmq';
import { buildApp } from '../../src/http/index.js';
import { engineRoutes } from '../../src/http/engine-routes.js';
import { createBullmqQueue } from '../../src/jobs/bullmq-queue.js';
import type { JobHandler } from '../../src/jobs/job-queue.js';
import { redisOptionsFromUrl } from '../../src/jobs/redis-options.js';
import { createServices } from '../../src/media/services.js';
import { createRenderJobHandler, RENDER_JOB_KIND } from '../../src/render/jobs/index.js';
import { frameCount } from '../helpers/media.js';
import type { TestServices } from '../media/setup.js';
import { registerColours, waitForJob } from '../render/jobs-helpers.js';
import { REDIS_URL, redisAvailable, uniquePrefix } from '../scale/redis.js';
import { auth } from './helpers.js';

const haveRedis = await redisAvailable();
const LIMIT = 4;
const BURST = 16;

test(
  `a burst of ${BURST} distinct render jobs on the Redis queue: ${LIMIT} admitted and finished, the rest 429`,
  { skip: !haveRedis && 'Redis not reachable (CUTROOM_TEST_REDIS_URL)' },
  async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'cutroom-backpressure-'));
    const services = await createServices({ dataDir });
    const prefix = uniquePrefix();
    const queue = await createBullmqQueue({
      connection: REDIS_URL,
      prefix,
      db: services.db,
      handlers: {
        [RENDER_JOB_KIND]: createRenderJobHandler({ services, chunkMs: 1000 }) as JobHandler<never, unknown>,
      },
      concurrency: 2,
      maxQueuedPerTenant: LIMIT,
      progressPersistMs: 0,
      heartbeatMs: 50,
      reconcileMs: 500,
    });
    const app = await buildApp({ services, extraRoutes: engineRoutes({ queue }) });
    await app.ready();
    const bq = new Queue('jobs', { connection: redisOptionsFromUrl(REDIS_URL) as ConnectionOptions, prefix });
    try {
      await services.tenants.createTenant({ id: 'ta', envs: ['dev'] });
      const key = (await services.tenants.createApiKey({ tenantId: 'ta' })).key;
      const ctx = { tenantId: 'ta', env: 'dev', requestId: 'req_backpressure' };
      const [asset] = (await registerColours(services as TestServices, ctx, ['#3366CC'], 2000)) as [string];

      // No worker yet: every admitted job stays queued, so the limit is what admits.
      const replies = await Promise.all(
        Array.from({ length: BURST }, (_, i) =>
          app.inject({
            method: 'POST',
            url: '/video/render',
            headers: auth(key, 'dev'),
            payload: {
              profile: 'draft_360p',
              // Distinct timelines: each clip one frame longer than the last.
              timeline: {
                tracks: [
                  {
                    id: 'v',
                    kind: 'video',
                    clips: [{ id: 'c', asset_id: asset, start_ms: 0, in_ms: 0, out_ms: 300 + 100 * i }],
                  },
                ],
              },
            },
          }),
        ),
      );
      const accepted = replies.filter((r) => r.statusCode === 201);
      const refused = replies.filter((r) => r.statusCode === 429);
      assert.equal(accepted.length + refused.length, BURST, replies.map((r) => r.statusCode).join(','));
      assert.equal(accepted.length, LIMIT);
      for (const r of refused) {
        assert.equal(r.json().error.code, 'QUEUE_FULL');
        assert.ok(Number(r.headers['retry-after']) >= 1, `Retry-After ${r.headers['retry-after']}`);
      }
      const ids = accepted.map((r) => r.json().job.id as string).sort();
      assert.equal(new Set(ids).size, LIMIT);

      // Nothing half-created: the database has exactly the admitted rows, Redis exactly their BullMQ jobs.
      const rows = await queue.list(ctx, { limit: 1000 });
      assert.deepEqual(rows.map((j) => j.id).sort(), ids);
      const counts = await bq.getJobCounts(
        'waiting',
        'prioritized',
        'delayed',
        'active',
        'completed',
        'failed',
      );
      const inRedis = Object.values(counts).reduce((a, b) => a + b, 0);
      assert.equal(inRedis, LIMIT, JSON.stringify(counts));

      await queue.start();
      for (const [i, id] of ids.entries()) {
        const job = await waitForJob(queue, ctx, id);
        assert.equal(job.state, 'completed', `job ${i} ${id}: ${JSON.stringify(job.error)}`);
      }
      // Each output is the job's own timeline (distinct lengths), served whole and by Range.
      const lengths = new Set<number>();
      const dir = await mkdtemp(join(tmpdir(), 'cutroom-backpressure-out-'));
      try {
        for (const id of ids) {
          const whole = await app.inject({
            method: 'GET',
            url: `/video/render/jobs/${id}/output`,
            headers: auth(key, 'dev'),
          });
          assert.equal(whole.statusCode, 200, whole.body);
          const file = join(dir, `${id}.mp4`);
          await writeFile(file, whole.rawPayload);
          lengths.add(await frameCount(file));
          const part = await app.inject({
            method: 'GET',
            url: `/video/render/jobs/${id}/output`,
            headers: { ...auth(key, 'dev'), range: 'bytes=4-11' },
          });
          assert.equal(part.statusCode, 206);
          assert.equal(part.headers['content-range'], `bytes 4-11/${whole.rawPayload.length}`);
          assert.deepEqual(part.rawPayload, whole.rawPayload.subarray(4, 12));
        }
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
      assert.equal(lengths.size, LIMIT, `frame counts ${[...lengths].join(', ')}`);

      // With the queue drained, the tenant is admitted again.
      const again = await app.inject({
        method: 'POST',
        url: '/video/render',
        headers: auth(key, 'dev'),
        payload: {
          profile: 'draft_360p',
          timeline: {
            tracks: [
              {
                id: 'v',
                kind: 'video',
                clips: [{ id: 'c', asset_id: asset, start_ms: 0, in_ms: 0, out_ms: 250 }],
              },
            ],
          },
        },
      });
      assert.equal(again.statusCode, 201, again.body);
      await waitForJob(queue, ctx, again.json().job.id as string);
    } finally {
      await bq.close();
      await app.close();
      await queue.close();
      await queue.obliterate();
      await services.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  },
);
