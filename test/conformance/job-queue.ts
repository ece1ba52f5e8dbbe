/**
 * JobQueue conformance suite: every adapter (embedded DB queue now, Redis/BullMQ next) must pass it.
 * `makeFixture` returns fresh storage (database / Redis namespace); `makeQueue` may be called several times on one
 * fixture — each call is a new process on the same storage (a restart), and `crash` makes a queue vanish as if its
 * process had been killed (no cleanup, no more writes).
 */
import { describe, test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import type { RequestContext } from '../../src/context.js';
import { cutroomError, isCutroomError, type ErrorCode } from '../../src/errors.js';
import type { JobEvent, JobHandlers, JobQueue, JobRecord } from '../../src/jobs/job-queue.js';
import type { JobState } from '../../src/jobs/job-state.js';

export interface ConformanceQueueOptions {
  handlers: JobHandlers;
  concurrency: number;
  maxQueuedPerTenant: number;
  maxAttempts: number;
  /** Retry backoff; the suite keeps it tiny. */
  backoff: { baseMs: number; maxMs: number };
}

export interface JobQueueFixture {
  makeQueue(opts: ConformanceQueueOptions): Promise<JobQueue>;
  /** The process running `queue` dies: it stops without writing anything. */
  crash(queue: JobQueue): Promise<void>;
  /** A context for a fresh tenant (unique id per call). */
  tenant(): Promise<RequestContext>;
  cleanup(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(
  queue: JobQueue,
  ctx: RequestContext,
  id: string,
  pred: (job: JobRecord) => boolean,
  what: string,
): Promise<JobRecord> {
  // Generous bound so a loaded machine does not fail the suite; it only guards against hanging forever.
  for (let i = 0; i < 3000; i++) {
    const job = await queue.get(ctx, id);
    if (pred(job)) return job;
    await sleep(10);
  }
  const job = await queue.get(ctx, id);
  assert.fail(`timed out waiting for ${what}; job is ${job.state} (attempts ${job.attempts})`);
}

const inState = (state: JobState) => (j: JobRecord) => j.state === state;

async function rejectsWith(p: Promise<unknown>, code: ErrorCode): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    assert.ok(isCutroomError(err, code), `expected ${code}, got ${String((err as Error)?.message ?? err)}`);
    return err;
  }
  assert.fail(`expected ${code}, but it resolved`);
}

/** A gate a test opens to let a blocked handler finish. */
function gate(): { wait: Promise<void>; open: () => void } {
  let open!: () => void;
  const wait = new Promise<void>((r) => (open = r));
  return { wait, open };
}

function untilAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason as Error);
    signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
  });
}

const BASE: Omit<ConformanceQueueOptions, 'handlers'> = {
  concurrency: 2,
  maxQueuedPerTenant: 20,
  maxAttempts: 3,
  backoff: { baseMs: 5, maxMs: 20 },
};

export function runJobQueueConformance(name: string, makeFixture: () => Promise<JobQueueFixture>): void {
  describe(`JobQueue conformance: ${name}`, () => {
    const cleanups: Array<() => Promise<void>> = [];
    // Per test, so a database adapter never holds more than one test's connections (PostgreSQL's client limit).
    afterEach(async () => {
      for (const c of cleanups.splice(0).reverse()) await c();
    });
    const setup = async () => {
      const fx = await makeFixture();
      const queues: JobQueue[] = [];
      cleanups.push(async () => {
        for (const q of queues) await q.close().catch(() => undefined);
        await fx.cleanup();
      });
      const make = async (opts: Partial<ConformanceQueueOptions> & { handlers: JobHandlers }) => {
        const q = await fx.makeQueue({ ...BASE, ...opts });
        queues.push(q);
        return q;
      };
      return { fx, make };
    };

    test('a job runs queued → running → completed, with its result, progress and events', async () => {
      const { fx, make } = await setup();
      const ctx = await fx.tenant();
      const queue = await make({
        handlers: {
          echo: async (job, tools) => {
            tools.reportProgress(0.25);
            tools.reportProgress(0.1); // never goes backwards
            tools.reportProgress(0.75, { step: 'b' });
            return {
              doubled: (job.params as { n: number }).n * 2,
              attempt: tools.attempt,
              tenant: tools.ctx.tenantId,
            };
          },
        },
      });
      const { job, created } = await queue.submit(ctx, { kind: 'echo', params: { n: 21 } });
      assert.equal(created, true);
      assert.equal(job.state, 'queued');
      assert.equal(job.attempts, 0);
      assert.match(job.id, /^job_[0-9a-f]{32}$/);
      const events: JobEvent[] = [];
      await queue.subscribe(ctx, job.id, (e) => events.push(e));
      await queue.start();
      const done = await waitFor(queue, ctx, job.id, inState('completed'), 'completion');
      assert.deepEqual(done.result, { doubled: 42, attempt: 1, tenant: ctx.tenantId });
      assert.equal(done.attempts, 1);
      assert.equal(done.progress, 1);
      assert.equal(done.error, null);
      assert.ok(done.started_at && done.finished_at);
      // get() may see the new state a moment before the event is delivered (events follow the write).
      const stateEvents = () => events.flatMap((e) => (e.type === 'state' ? [e.job.state] : []));
      for (let i = 0; i < 500 && !stateEvents().includes('completed'); i++) await sleep(10);
      const states = stateEvents();
      assert.deepEqual(states, ['running', 'completed']);
      const progress = events.flatMap((e) => (e.type === 'progress' ? [e.progress] : []));
      assert.deepEqual(progress, [0.25, 0.25, 0.75]);
      const detailed = events.find((e) => e.type === 'progress' && e.detail);
      assert.deepEqual(detailed && detailed.type === 'progress' ? detailed.detail : null, { step: 'b' });
    });

    test('submitting the same job again returns it unchanged; other params make another job', async () => {
      const { fx, make } = await setup();
      const ctx = await fx.tenant();
      let runs = 0;
      const queue = await make({
        handlers: {
          render: async () => {
            runs++;
            return { ok: true };
          },
        },
      });
      const params = { plan_hash: 'a'.repeat(64), profile: 'draft_360p', output: { container: 'mp4' } };
      const first = await queue.submit(ctx, { kind: 'render', params, idempotencyKey: params });
      await queue.start();
      await waitFor(queue, ctx, first.job.id, inState('completed'), 'completion');
      // Same key (params re-ordered: canonical JSON) → same job, still completed, not run again.
      const again = await queue.submit(ctx, {
        kind: 'render',
        params: { output: { container: 'mp4' }, profile: 'draft_360p', plan_hash: 'a'.repeat(64) },
      });
      assert.equal(again.created, false);
      assert.equal(again.job.id, first.job.id);
      assert.equal(again.job.state, 'completed');
      const other = await queue.submit(ctx, {
        kind: 'render',
        params: { ...params, profile: 'preview_720p' },
      });
      assert.equal(other.created, true);
      assert.notEqual(other.job.id, first.job.id);
      await waitFor(queue, ctx, other.job.id, inState('completed'), 'completion');
      assert.equal(runs, 2);
      // The same params in another tenant are another job (ids are tenant-scoped and unguessable).
      const ctxB = await fx.tenant();
      const inB = await queue.submit(ctxB, { kind: 'render', params });
      assert.notEqual(inB.job.id, first.job.id);
    });

    test('a client job id reused with other params is JOB_PARAMS_MISMATCH; bad ids are refused', async () => {
      const { fx, make } = await setup();
      const ctx = await fx.tenant();
      const queue = await make({ handlers: { echo: async () => null, other: async () => null } });
      const a = await queue.submit(ctx, { kind: 'echo', jobId: 'nightly-1', params: { x: 1 } });
      assert.equal(a.job.id, 'nightly-1');
      const same = await queue.submit(ctx, { kind: 'echo', jobId: 'nightly-1', params: { x: 1 } });
      assert.equal(same.created, false);
      const err = await rejectsWith(
        queue.submit(ctx, { kind: 'echo', jobId: 'nightly-1', params: { x: 2 } }),
        'JOB_PARAMS_MISMATCH',
      );
      assert.equal((err as { status: number }).status, 409);
      await rejectsWith(
        queue.submit(ctx, { kind: 'other', jobId: 'nightly-1', params: { x: 1 } }),
        'JOB_PARAMS_MISMATCH',
      );
      await rejectsWith(
        queue.submit(ctx, { kind: 'echo', jobId: '../etc', params: {} }),
        'VALIDATION_FAILED',
      );
      await rejectsWith(queue.submit(ctx, { kind: 'nope', params: {} }), 'VALIDATION_FAILED');
    });

    test('backpressure: QUEUE_FULL with retry_after_s past maxQueuedPerTenant, per tenant only', async () => {
      const { fx, make } = await setup();
      const ctxA = await fx.tenant();
      const ctxB = await fx.tenant();
      const g = gate();
      const queue = await make({
        maxQueuedPerTenant: 3,
        concurrency: 1,
        handlers: { w: async () => g.wait },
      });
      await queue.start();
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) ids.push((await queue.submit(ctxA, { kind: 'w', params: { i } })).job.id);
      const err = await rejectsWith(queue.submit(ctxA, { kind: 'w', params: { i: 3 } }), 'QUEUE_FULL');
      const e = err as { status: number; details: { retry_after_s: unknown } };
      assert.equal(e.status, 429);
      assert.ok(Number.isInteger(e.details.retry_after_s) && (e.details.retry_after_s as number) >= 1);
      // An idempotent re-submission of an existing job is not new load: it still answers.
      assert.equal((await queue.submit(ctxA, { kind: 'w', params: { i: 0 } })).created, false);
      // Another tenant is not affected by A's backlog.
      const b = await queue.submit(ctxB, { kind: 'w', params: { i: 0 } });
      assert.equal(b.created, true);
      g.open();
      for (const id of ids) await waitFor(queue, ctxA, id, inState('completed'), 'drain');
      assert.equal((await queue.submit(ctxA, { kind: 'w', params: { i: 3 } })).created, true);
    });

    test('dispatch is round-robin across tenants and FIFO within a tenant', async () => {
      const { fx, make } = await setup();
      const tenants = [await fx.tenant(), await fx.tenant(), await fx.tenant()];
      const order: Array<{ tenant: string; n: number }> = [];
      const queue = await make({
        concurrency: 1,
        handlers: {
          w: async (job, tools) => {
            order.push({ tenant: tools.ctx.tenantId, n: (job.params as { n: number }).n });
            return null;
          },
        },
      });
      const [heavy, medium, light] = tenants as [RequestContext, RequestContext, RequestContext];
      const all: Array<[RequestContext, string]> = [];
      for (let n = 0; n < 6; n++)
        all.push([heavy, (await queue.submit(heavy, { kind: 'w', params: { n } })).job.id]);
      for (let n = 0; n < 2; n++)
        all.push([medium, (await queue.submit(medium, { kind: 'w', params: { n } })).job.id]);
      all.push([light, (await queue.submit(light, { kind: 'w', params: { n: 0 } })).job.id]);
      await queue.start();
      for (const [c, id] of all) await waitFor(queue, c, id, inState('completed'), 'all jobs');
      assert.equal(order.length, 9);
      // The first three runs serve three different tenants, the next two the two tenants that still have work.
      assert.equal(new Set(order.slice(0, 3).map((o) => o.tenant)).size, 3);
      assert.deepEqual(
        new Set(order.slice(3, 5).map((o) => o.tenant)),
        new Set([heavy.tenantId, medium.tenantId]),
      );
      assert.ok(order.slice(5).every((o) => o.tenant === heavy.tenantId));
      for (const t of tenants) {
        const ns = order.filter((o) => o.tenant === t.tenantId).map((o) => o.n);
        assert.deepEqual(
          ns,
          [...ns].sort((a, b) => a - b),
          'FIFO within a tenant',
        );
      }
    });

    test('cancel: a queued job never runs; a running one is aborted and cleaned up before cancel returns', async () => {
      const { fx, make } = await setup();
      const ctx = await fx.tenant();
      let cleanedUp = false;
      let started = gate();
      const ran: number[] = [];
      const queue = await make({
        concurrency: 1,
        handlers: {
          w: async (job, tools) => {
            ran.push((job.params as { n: number }).n);
            started.open();
            try {
              return await untilAborted(tools.signal);
            } finally {
              await sleep(20); // cleanup that takes a moment (killing ffmpeg, deleting partial files)
              cleanedUp = true;
            }
          },
        },
      });
      const running = await queue.submit(ctx, { kind: 'w', params: { n: 1 } });
      const queued = await queue.submit(ctx, { kind: 'w', params: { n: 2 } });
      const cq = await queue.cancel(ctx, queued.job.id);
      assert.equal(cq.state, 'cancelled');
      await queue.start();
      await started.wait;
      await waitFor(queue, ctx, running.job.id, inState('running'), 'running');
      const c = await queue.cancel(ctx, running.job.id);
      assert.equal(c.state, 'cancelled');
      assert.equal(cleanedUp, true, 'cancel returned before the handler cleaned up');
      assert.equal((await queue.cancel(ctx, running.job.id)).state, 'cancelled', 'cancel is idempotent');
      // Give the worker a chance to (wrongly) pick the cancelled job, then check it never ran.
      started = gate();
      const probe = await queue.submit(ctx, { kind: 'w', params: { n: 3 } });
      await started.wait;
      await queue.cancel(ctx, probe.job.id);
      assert.deepEqual(ran, [1, 3]);
      assert.equal((await queue.get(ctx, running.job.id)).state, 'cancelled');
      assert.equal((await queue.get(ctx, queued.job.id)).attempts, 0);
    });

    test('cancelling or resuming a completed job is ILLEGAL_JOB_TRANSITION', async () => {
      const { fx, make } = await setup();
      const ctx = await fx.tenant();
      const queue = await make({ handlers: { w: async () => 1 } });
      await queue.start();
      const { job } = await queue.submit(ctx, { kind: 'w', params: {} });
      await waitFor(queue, ctx, job.id, inState('completed'), 'completion');
      const err = await rejectsWith(queue.cancel(ctx, job.id), 'ILLEGAL_JOB_TRANSITION');
      assert.equal((err as { status: number }).status, 409);
      await rejectsWith(queue.resume(ctx, job.id), 'ILLEGAL_JOB_TRANSITION');
    });

    test('retryable errors retry with backoff up to max_attempts; unrecoverable ones fail at once', async () => {
      const { fx, make } = await setup();
      const ctx = await fx.tenant();
      const calls = new Map<string, number>();
      const queue = await make({
        maxAttempts: 3,
        handlers: {
          flaky: async (job) => {
            const n = (calls.get(job.id) ?? 0) + 1;
            calls.set(job.id, n);
            if (n < 3) throw cutroomError('RENDER_FAILED', 'ffmpeg was killed', { stage: 'encode' });
            return { n };
          },
          broken: async (job) => {
            calls.set(job.id, (calls.get(job.id) ?? 0) + 1);
            throw cutroomError('TIMELINE_INVALID', 'clips overlap');
          },
          buggy: async (job) => {
            calls.set(job.id, (calls.get(job.id) ?? 0) + 1);
            throw new TypeError('x is undefined');
          },
          down: async (job) => {
            calls.set(job.id, (calls.get(job.id) ?? 0) + 1);
            throw cutroomError('STORE_FAILED', 'disk full');
          },
        },
      });
      await queue.start();
      const flaky = (await queue.submit(ctx, { kind: 'flaky', params: {} })).job.id;
      const broken = (await queue.submit(ctx, { kind: 'broken', params: {} })).job.id;
      const buggy = (await queue.submit(ctx, { kind: 'buggy', params: {} })).job.id;
      const down = (await queue.submit(ctx, { kind: 'down', params: {}, maxAttempts: 2 })).job.id;
      const f = await waitFor(queue, ctx, flaky, inState('completed'), 'flaky completes');
      assert.equal(f.attempts, 3);
      assert.deepEqual(f.result, { n: 3 });
      const b = await waitFor(queue, ctx, broken, inState('failed'), 'broken fails');
      assert.equal(b.attempts, 1);
      assert.equal(b.error?.code, 'TIMELINE_INVALID');
      const g = await waitFor(queue, ctx, buggy, inState('failed'), 'buggy fails');
      assert.equal(g.attempts, 1);
      assert.equal(g.error?.code, 'INTERNAL');
      const d = await waitFor(queue, ctx, down, inState('failed'), 'down fails');
      assert.equal(d.attempts, 2);
      assert.equal(d.max_attempts, 2);
      assert.equal(d.error?.code, 'STORE_FAILED');
      assert.equal(calls.get(broken), 1);
      assert.equal(calls.get(down), 2);
    });

    test('resume re-queues a failed job with attempts reset and its checkpoint kept', async () => {
      const { fx, make } = await setup();
      const ctx = await fx.tenant();
      let fail = true;
      const seen: unknown[] = [];
      const queue = await make({
        handlers: {
          w: async (_job, tools) => {
            seen.push(tools.checkpoint);
            await tools.saveCheckpoint({ done: [0] });
            if (fail) throw cutroomError('VALIDATION_FAILED', 'bad input');
            return 'ok';
          },
        },
      });
      await queue.start();
      const { job } = await queue.submit(ctx, { kind: 'w', params: {} });
      await waitFor(queue, ctx, job.id, inState('failed'), 'failure');
      fail = false;
      const r = await queue.resume(ctx, job.id);
      assert.ok(r.state === 'queued' || r.state === 'running' || r.state === 'completed');
      const done = await waitFor(queue, ctx, job.id, inState('completed'), 'completion after resume');
      assert.equal(done.attempts, 1);
      assert.equal(done.error, null);
      assert.deepEqual(seen, [null, { done: [0] }]);
    });

    test('a job whose worker died is re-queued by the next worker and resumes from its checkpoint', async () => {
      const { fx, make } = await setup();
      const ctx = await fx.tenant();
      const inFirst = gate();
      const first = await make({
        handlers: {
          render: async (_job, tools) => {
            await tools.saveCheckpoint({ chunks_done: [0, 1] });
            inFirst.open();
            return untilAborted(tools.signal);
          },
        },
      });
      await first.start();
      const { job } = await first.submit(ctx, { kind: 'render', params: { chunks: 4 } });
      await inFirst.wait;
      await fx.crash(first);
      assert.equal((await first.get(ctx, job.id).catch(() => null))?.state ?? 'running', 'running');
      const seen: unknown[] = [];
      const second = await make({
        handlers: {
          render: async (_job, tools) => {
            seen.push({ checkpoint: tools.checkpoint, attempt: tools.attempt });
            return { resumed: true };
          },
        },
      });
      await second.start();
      const done = await waitFor(second, ctx, job.id, inState('completed'), 'recovery');
      assert.equal(done.attempts, 2);
      assert.deepEqual(seen, [{ checkpoint: { chunks_done: [0, 1] }, attempt: 2 }]);
    });

    test('stop() re-queues running jobs without spending an attempt; the next start finishes them', async () => {
      const { fx, make } = await setup();
      const ctx = await fx.tenant();
      const g = gate();
      const first = await make({
        handlers: {
          w: async (_job, tools) => {
            g.open();
            return untilAborted(tools.signal);
          },
        },
      });
      await first.start();
      const { job } = await first.submit(ctx, { kind: 'w', params: {} });
      await g.wait;
      await first.stop();
      const stopped = await first.get(ctx, job.id);
      assert.equal(stopped.state, 'queued');
      assert.equal(stopped.attempts, 0);
      await first.close();
      const second = await make({ handlers: { w: async () => 'done' } });
      await second.start();
      const done = await waitFor(second, ctx, job.id, inState('completed'), 'completion');
      assert.equal(done.attempts, 1);
    });

    test('tenants are walls: another tenant cannot get, list, cancel, resume or watch a job', async () => {
      const { fx, make } = await setup();
      const a = await fx.tenant();
      const b = await fx.tenant();
      const g = gate();
      const queue = await make({ handlers: { w: async () => g.wait } });
      const { job } = await queue.submit(a, { kind: 'w', params: { secret: 1 } });
      await rejectsWith(queue.get(b, job.id), 'JOB_NOT_FOUND');
      await rejectsWith(queue.cancel(b, job.id), 'JOB_NOT_FOUND');
      await rejectsWith(queue.resume(b, job.id), 'JOB_NOT_FOUND');
      await rejectsWith(
        queue.subscribe(b, job.id, () => undefined),
        'JOB_NOT_FOUND',
      );
      await rejectsWith(queue.get(a, 'job_' + '0'.repeat(32)), 'JOB_NOT_FOUND');
      assert.deepEqual(await queue.list(b), []);
      assert.deepEqual(
        (await queue.list(a)).map((j) => j.id),
        [job.id],
      );
      // Another env of the same tenant is a wall too.
      await rejectsWith(queue.get({ ...a, env: a.env === 'prod' ? 'dev' : 'prod' }, job.id), 'JOB_NOT_FOUND');
      // The same client id in two tenants names two independent jobs (no mismatch leaks A's params to B).
      await queue.submit(a, { kind: 'w', jobId: 'shared-name', params: { v: 'a' } });
      const inB = await queue.submit(b, { kind: 'w', jobId: 'shared-name', params: { v: 'b' } });
      assert.equal(inB.created, true);
      assert.deepEqual(inB.job.params, { v: 'b' });
      assert.equal((await queue.get(a, job.id)).state, 'queued', 'B did not cancel A');
      g.open();
      await queue.start();
      await waitFor(queue, a, job.id, inState('completed'), 'completion');
      assert.equal(
        (await queue.list(a, { state: 'completed' })).some((j) => j.id === job.id),
        true,
      );
    });
  });
}
