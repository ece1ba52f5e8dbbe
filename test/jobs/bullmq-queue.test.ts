// The Redis/BullMQ queue against the JobQueue conformance suite (PostgreSQL rows when reachable, else SQLite; a
// private BullMQ prefix per test, obliterated afterwards), plus what only this adapter does: jobs submitted by
// one process run in another, cancels and events cross processes, and parent jobs fan out to children.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/db/open-database.js';
import { createBullmqQueue, hasFlowTools, type BullmqQueue } from '../../src/jobs/bullmq-queue.js';
import type { JobEvent, JobHandler, JobQueue, JobRecord } from '../../src/jobs/job-queue.js';
import { cutroomError } from '../../src/errors.js';
import { runJobQueueConformance, type JobQueueFixture } from '../conformance/job-queue.js';
import { createPgSchema, postgresAvailable } from '../db/pg-schema.js';
import { REDIS_URL, redisAvailable, uniquePrefix } from '../scale/redis.js';

const FAST = {
  progressPersistMs: 0,
  heartbeatMs: 50,
  lockDurationMs: 1000,
  stalledIntervalMs: 300,
  reconcileMs: 500,
  cancelGraceMs: 5000,
};

async function storage(dialect: 'sqlite' | 'postgres') {
  const dataDir = await mkdtemp(join(tmpdir(), 'cutroom-bullmq-'));
  const pg = dialect === 'postgres' ? await createPgSchema() : null;
  const opened = await openDatabase({ dataDir, ...(pg ? { url: pg.url } : {}) });
  return {
    db: opened.db,
    dispose: async () => {
      await opened.close();
      await pg?.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

function fixtureFor(dialect: 'sqlite' | 'postgres') {
  return async (): Promise<JobQueueFixture> => {
    const { db, dispose } = await storage(dialect);
    const prefix = uniquePrefix();
    const made: BullmqQueue[] = [];
    return {
      makeQueue: async (opts) => {
        const q = await createBullmqQueue({ connection: REDIS_URL, prefix, db, ...opts, ...FAST });
        made.push(q);
        return q;
      },
      crash: async (queue) => (queue as BullmqQueue).abandon(),
      tenant: async () => ({
        tenantId: `t${randomBytes(5).toString('hex')}`,
        env: 'dev',
        requestId: 'req_test',
      }),
      cleanup: async () => {
        for (const q of made) await q.close().catch(() => undefined);
        await made[0]?.obliterate();
        await dispose();
      },
    };
  };
}

const haveRedis = await redisAvailable();
const havePg = await postgresAvailable();
if (!haveRedis)
  test('bullmq conformance', { skip: 'Redis not reachable (CUTROOM_TEST_REDIS_URL)' }, () => {});
else {
  runJobQueueConformance(
    `bullmq (${havePg ? 'postgres' : 'sqlite'})`,
    fixtureFor(havePg ? 'postgres' : 'sqlite'),
  );
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function waitFor(
  q: JobQueue,
  ctx: Parameters<JobQueue['get']>[0],
  id: string,
  pred: (j: JobRecord) => boolean,
) {
  for (let i = 0; i < 3000; i++) {
    const j = await q.get(ctx, id);
    if (pred(j)) return j;
    await sleep(10);
  }
  assert.fail(`timed out; job is ${(await q.get(ctx, id)).state}`);
}

test(
  'bullmq: a job submitted by an API-only queue runs on a worker queue; events and cancel cross processes',
  { skip: !haveRedis },
  async (t) => {
    const { db, dispose } = await storage('sqlite');
    const prefix = uniquePrefix();
    const api = await createBullmqQueue({
      connection: REDIS_URL,
      prefix,
      db,
      handlers: {},
      submitKinds: ['w'],
      ...FAST,
    });
    let started!: () => void;
    const inHandler = new Promise<void>((r) => (started = r));
    let settledAfterAbort = false;
    const worker = await createBullmqQueue({
      connection: REDIS_URL,
      prefix,
      db,
      concurrency: 1,
      ...FAST,
      handlers: {
        w: async (job, tools) => {
          tools.reportProgress(0.5, { step: 'half' });
          if ((job.params as { block?: boolean }).block) {
            started();
            await new Promise((_, reject) =>
              tools.signal.addEventListener('abort', () => {
                // Cleanup that takes a moment; cancel must wait for it (the ack comes over Redis).
                setTimeout(() => {
                  settledAfterAbort = true;
                  reject(tools.signal.reason);
                }, 50);
              }),
            );
          }
          return { pid: process.pid };
        },
      },
    });
    t.after(async () => {
      await api.close();
      await worker.close();
      await api.obliterate();
      await dispose();
    });
    const ctx = { tenantId: 'tcross', env: 'dev', requestId: 'r' };
    const { job } = await api.submit(ctx, { kind: 'w', params: { n: 1 } });
    const events: JobEvent[] = [];
    await api.subscribe(ctx, job.id, (e) => events.push(e));
    await worker.start();
    const done = await waitFor(api, ctx, job.id, (j) => j.state === 'completed');
    assert.deepEqual(done.result, { pid: process.pid });
    for (let i = 0; i < 200 && !events.some((e) => e.type === 'state' && e.job.state === 'completed'); i++)
      await sleep(10);
    // The API queue saw the worker's events through Redis (it ran nothing itself).
    assert.deepEqual(
      events.map((e) => (e.type === 'state' ? e.job.state : `p${e.progress}`)),
      ['running', 'p0.5', 'completed'],
    );
    // Cancel from the API side aborts the handler running in the worker and waits for it to settle.
    const blocked = await api.submit(ctx, { kind: 'w', params: { block: true } });
    await inHandler;
    const c = await api.cancel(ctx, blocked.job.id);
    assert.equal(c.state, 'cancelled');
    assert.equal(settledAfterAbort, true, 'cancel returned before the remote handler settled');
    assert.equal((await worker.get(ctx, blocked.job.id)).state, 'cancelled');
  },
);

test(
  'bullmq: a parent fans out children that run on any worker, then joins once without holding a worker',
  { skip: !haveRedis },
  async (t) => {
    const { db, dispose } = await storage('sqlite');
    const prefix = uniquePrefix();
    const runs: string[] = [];
    const handlers = {
      parent: async (
        job: JobRecord,
        tools: Parameters<Parameters<typeof createBullmqQueue>[0]['handlers'][string]>[1],
      ) => {
        assert.ok(hasFlowTools(tools));
        if (!tools.resumedFromChildren) {
          runs.push('parent:fanout');
          await tools.submitChildren(
            [0, 1, 2, 3].map((i) => ({ kind: 'child', params: { parent: job.id, i } })),
          );
          await tools.waitForChildren();
          assert.fail('waitForChildren returned although children were pending');
        }
        runs.push('parent:join');
        const done = await tools.children();
        assert.equal(done.length, 4);
        return { sum: done.reduce((n, c) => n + (c.result as { square: number }).square, 0) };
      },
      child: async (job: JobRecord) => {
        const { i } = job.params as { i: number };
        runs.push(`child:${i}`);
        await sleep(50);
        return { square: i * i };
      },
    };
    // Two workers of concurrency 1: the parked parent must not hold a slot, or the children could never all run.
    const queueA = await createBullmqQueue({
      connection: REDIS_URL,
      prefix,
      db,
      concurrency: 1,
      handlers,
      ...FAST,
    });
    const queueB = await createBullmqQueue({
      connection: REDIS_URL,
      prefix,
      db,
      concurrency: 1,
      handlers,
      ...FAST,
    });
    t.after(async () => {
      await queueA.close();
      await queueB.close();
      await queueA.obliterate();
      await dispose();
    });
    const ctx = { tenantId: 'tflow', env: 'dev', requestId: 'r' };
    const { job } = await queueA.submit(ctx, { kind: 'parent', params: {} });
    await queueA.start();
    await queueB.start();
    const done = await waitFor(queueA, ctx, job.id, (j) => j.state === 'completed' || j.state === 'failed');
    assert.equal(done.state, 'completed', JSON.stringify(done.error));
    assert.deepEqual(done.result, { sum: 0 + 1 + 4 + 9 });
    assert.equal(done.attempts, 1, 'parking and waking is not a new attempt');
    assert.equal(runs.filter((r) => r.startsWith('child:')).length, 4, 'each child ran once');
    assert.deepEqual(
      runs.filter((r) => r.startsWith('parent')),
      ['parent:fanout', 'parent:join'],
    );
    const children = await queueA.list(ctx, { kind: 'child' });
    assert.equal(children.length, 4);
    assert.ok(children.every((c) => c.state === 'completed'));
  },
);

test(
  'bullmq: cancelling a parked parent cancels its running children; resume re-runs them and joins',
  { skip: !haveRedis },
  async (t) => {
    const { db, dispose } = await storage('sqlite');
    const prefix = uniquePrefix();
    let block = true;
    let aborted = 0;
    let childStarts = 0;
    let joins = 0;
    const handlers = {
      parent: async (job: JobRecord, tools: Parameters<JobHandler>[1]) => {
        assert.ok(hasFlowTools(tools));
        if (!tools.resumedFromChildren) {
          await tools.submitChildren([0, 1].map((i) => ({ kind: 'child', params: { parent: job.id, i } })));
          await tools.waitForChildren();
        }
        joins += 1;
        const kids = await tools.children();
        if (kids.some((k) => k.state !== 'completed'))
          throw cutroomError('RENDER_CANCELLED', 'a child did not finish');
        return { children: kids.map((k) => k.state) };
      },
      child: async (_job: JobRecord, tools: Parameters<JobHandler>[1]) => {
        childStarts += 1;
        if (!block) return 'ok';
        return new Promise((_, reject) =>
          tools.signal.addEventListener('abort', () => {
            aborted += 1;
            reject(tools.signal.reason);
          }),
        );
      },
    };
    const q = await createBullmqQueue({
      connection: REDIS_URL,
      prefix,
      db,
      concurrency: 3,
      handlers,
      ...FAST,
    });
    t.after(async () => {
      await q.close();
      await q.obliterate();
      await dispose();
    });
    const ctx = { tenantId: 'tcancelflow', env: 'dev', requestId: 'r' };
    await q.start();
    const { job } = await q.submit(ctx, { kind: 'parent', params: {} });
    for (let i = 0; childStarts < 2; i++) {
      assert.ok(i < 3000, 'children never started');
      await sleep(10);
    }
    const c = await q.cancel(ctx, job.id);
    assert.equal(c.state, 'cancelled');
    const kids = await q.list(ctx, { kind: 'child' });
    assert.deepEqual(
      kids.map((k) => k.state),
      ['cancelled', 'cancelled'],
    );
    assert.equal(aborted, 2, 'both running children were aborted');
    await sleep(300);
    assert.equal(joins, 0, 'a cancelled parent never joins');
    block = false;
    await q.resume(ctx, job.id);
    const done = await waitFor(q, ctx, job.id, (j) => j.state === 'completed' || j.state === 'failed');
    assert.equal(done.state, 'completed', JSON.stringify(done.error));
    assert.deepEqual(done.result, { children: ['completed', 'completed'] });
    assert.equal(childStarts, 4, 'the cancelled children ran again after the resume');
  },
);
