// The embedded queue (database rows + in-process workers) against the JobQueue conformance suite, on SQLite and
// (when reachable) PostgreSQL, plus what only the embedded adapter promises: several queues sharing one
// database see each other's cancels and take over jobs whose lease expired.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type OpenedDatabase } from '../../src/db/open-database.js';
import { cutroomError } from '../../src/errors.js';
import { createEmbeddedQueue, type EmbeddedQueue } from '../../src/jobs/embedded-queue.js';
import type { JobRecord, JobQueue } from '../../src/jobs/job-queue.js';
import { runJobQueueConformance, type JobQueueFixture } from '../conformance/job-queue.js';
import { createPgSchema, postgresAvailable } from '../db/pg-schema.js';

/** Cleanups run last-registered first (queues close before their database), whatever node:test's order is. */
function cleanupStack(t: { after: (fn: () => Promise<void>) => void }): (fn: () => Promise<unknown>) => void {
  const stack: Array<() => Promise<unknown>> = [];
  t.after(async () => {
    for (const fn of stack.reverse()) await fn();
  });
  return (fn) => stack.push(fn);
}

async function openFresh(
  dialect: 'sqlite' | 'postgres',
): Promise<{ opened: OpenedDatabase; dispose: () => Promise<void> }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'cutroom-jobs-'));
  const pg = dialect === 'postgres' ? await createPgSchema() : null;
  const opened = await openDatabase({ dataDir, ...(pg ? { url: pg.url } : {}) });
  return {
    opened,
    dispose: async () => {
      await opened.close();
      await pg?.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

function fixtureFor(dialect: 'sqlite' | 'postgres') {
  return async (): Promise<JobQueueFixture> => {
    const { opened, dispose } = await openFresh(dialect);
    return {
      makeQueue: async (opts) =>
        createEmbeddedQueue({ db: opened.db, ...opts, progressPersistMs: 0, heartbeatMs: 50, pollMs: 50 }),
      crash: async (queue) => (queue as EmbeddedQueue).abandon(),
      tenant: async () => ({
        tenantId: `t${randomBytes(5).toString('hex')}`,
        env: 'dev',
        requestId: 'req_test',
      }),
      cleanup: dispose,
    };
  };
}

runJobQueueConformance('embedded (sqlite)', fixtureFor('sqlite'));
if (await postgresAvailable()) runJobQueueConformance('embedded (postgres)', fixtureFor('postgres'));
else
  test(
    'embedded (postgres) conformance',
    { skip: 'PostgreSQL not reachable (CUTROOM_TEST_PG_URL)' },
    () => {},
  );

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function waitFor(
  queue: JobQueue,
  ctx: Parameters<JobQueue['get']>[0],
  id: string,
  pred: (j: JobRecord) => boolean,
) {
  for (let i = 0; i < 2000; i++) {
    const j = await queue.get(ctx, id);
    if (pred(j)) return j;
    await sleep(10);
  }
  assert.fail(`timed out; job is ${(await queue.get(ctx, id)).state}`);
}
const ctx = () => ({ tenantId: `t${randomBytes(5).toString('hex')}`, env: 'dev', requestId: 'req_test' });

test('a cancel made by another queue on the same database aborts the running handler', async (t) => {
  const { opened, dispose } = await openFresh('sqlite');
  const defer = cleanupStack(t);
  defer(dispose);
  let aborted = false;
  let started!: () => void;
  const running = new Promise<void>((r) => (started = r));
  const worker = createEmbeddedQueue({
    db: opened.db,
    heartbeatMs: 30,
    handlers: {
      w: async (_job, tools) =>
        new Promise((_, reject) => {
          started();
          tools.signal.addEventListener('abort', () => {
            aborted = true;
            reject(new Error('aborted'));
          });
        }),
    },
  });
  const api = createEmbeddedQueue({ db: opened.db, handlers: { w: async () => null } }); // never started
  defer(() => worker.close());
  defer(() => api.close());
  const c = ctx();
  await worker.start();
  const { job } = await api.submit(c, { kind: 'w', params: {} });
  await running;
  assert.equal((await api.cancel(c, job.id)).state, 'cancelled');
  for (let i = 0; i < 500 && !aborted; i++) await sleep(10);
  assert.equal(aborted, true, 'the worker noticed the cancel at its next heartbeat');
  await sleep(100);
  assert.equal(
    (await worker.get(c, job.id)).state,
    'cancelled',
    'the aborted worker did not overwrite the cancel',
  );
});

test('a job whose lease expired is taken over, and the stalled worker cannot overwrite the new run', async (t) => {
  const { opened, dispose } = await openFresh('sqlite');
  const defer = cleanupStack(t);
  defer(dispose);
  let releaseStalled!: () => void;
  const stalledCanFinish = new Promise<void>((r) => (releaseStalled = r));
  let stalledRunning!: () => void;
  const stalledStarted = new Promise<void>((r) => (stalledRunning = r));
  // The stalled worker renews nothing (huge heartbeat interval) and ignores its signal: a hung process.
  const stalled = createEmbeddedQueue({
    db: opened.db,
    leaseMs: 100,
    heartbeatMs: 3_600_000,
    handlers: {
      w: async () => {
        stalledRunning();
        await stalledCanFinish;
        return { by: 'stalled' };
      },
    },
  });
  defer(() => stalled.close());
  const c = ctx();
  await stalled.start();
  const { job } = await stalled.submit(c, { kind: 'w', params: {} });
  await stalledStarted;
  let gate!: () => void;
  const rescueMayFinish = new Promise<void>((r) => (gate = r));
  const rescuer = createEmbeddedQueue({
    db: opened.db,
    pollMs: 30,
    handlers: {
      w: async () => {
        await rescueMayFinish;
        return { by: 'rescuer' };
      },
    },
  });
  defer(() => rescuer.close());
  await rescuer.start();
  await waitFor(rescuer, c, job.id, (j) => j.attempts === 2 && j.state === 'running');
  releaseStalled(); // the stalled worker now "finishes": its write must not land
  await sleep(100);
  assert.equal((await rescuer.get(c, job.id)).state, 'running');
  gate();
  const done = await waitFor(rescuer, c, job.id, (j) => j.state === 'completed');
  assert.deepEqual(done.result, { by: 'rescuer' });
});

test('progress is persisted while running (throttled) and subscribers get every update', async (t) => {
  const { opened, dispose } = await openFresh('sqlite');
  const defer = cleanupStack(t);
  defer(dispose);
  let proceed!: () => void;
  const hold = new Promise<void>((r) => (proceed = r));
  const queue = createEmbeddedQueue({
    db: opened.db,
    progressPersistMs: 0,
    handlers: {
      w: async (_job, tools) => {
        tools.reportProgress(0.4);
        await hold;
        return null;
      },
    },
  });
  defer(() => queue.close());
  const c = ctx();
  const { job } = await queue.submit(c, { kind: 'w', params: {} });
  await queue.start();
  const mid = await waitFor(queue, c, job.id, (j) => j.progress > 0);
  assert.equal(mid.state, 'running');
  assert.equal(mid.progress, 0.4);
  proceed();
  assert.equal((await waitFor(queue, c, job.id, (j) => j.state === 'completed')).progress, 1);
});

test('QUEUE_FULL counts running jobs and a retry in backoff as load', async (t) => {
  const { opened, dispose } = await openFresh('sqlite');
  const defer = cleanupStack(t);
  defer(dispose);
  const queue = createEmbeddedQueue({
    db: opened.db,
    maxQueuedPerTenant: 1,
    backoff: { baseMs: 60_000 },
    handlers: {
      w: async () => {
        throw cutroomError('RENDER_FAILED', 'killed');
      },
    },
  });
  defer(() => queue.close());
  const c = ctx();
  await queue.start();
  const { job } = await queue.submit(c, { kind: 'w', params: { a: 1 } });
  const waiting = await waitFor(queue, c, job.id, (j) => j.state === 'queued' && j.attempts === 1);
  assert.ok(waiting.run_after !== null && Date.parse(waiting.run_after) > Date.now());
  assert.equal(waiting.error?.code, 'RENDER_FAILED');
  await assert.rejects(queue.submit(c, { kind: 'w', params: { a: 2 } }), { code: 'QUEUE_FULL' });
});
