/**
 * `node --import tsx bench/workers.ts [--jobs 20] [--latency-jobs 200]`: the Redis/BullMQ queue on loopback.
 *
 * 1. Queue overhead: submit→start latency of a no-op job, one job at a time (submit, wait for completion, next),
 *    for the BullMQ queue and, as the baseline measured in the same run, the embedded queue. Target < 20 ms.
 * 2. Throughput: `--jobs` small proxy-like renders (2 s 320×240 testsrc2 → x264 ultrafast, 1 thread, real
 *    ffmpeg) queued at once, drained by 1, 2 and 4 workers (BullMQ Worker instances of concurrency 1 in this
 *    process; the work is the ffmpeg child processes, so in-process workers load the CPU like separate ones).
 *
 * Metadata database: SQLite in a temp dir (the queue's DB writes are the same with PostgreSQL). Redis:
 * CUTROOM_REDIS_URL or redis://127.0.0.1:6379/0, keys under a throwaway prefix deleted at the end.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../src/db/open-database.js';
import { runFfmpeg } from '../src/ffmpeg/run.js';
import { createBullmqQueue, type BullmqQueue } from '../src/jobs/bullmq-queue.js';
import { createEmbeddedQueue } from '../src/jobs/embedded-queue.js';
import type { JobHandlers, JobQueue } from '../src/jobs/job-queue.js';

const REDIS = process.env.CUTROOM_REDIS_URL ?? 'redis://127.0.0.1:6379/0';
const arg = (name: string, d: number) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : d;
};
const JOBS = arg('--jobs', 20);
const LATENCY_JOBS = arg('--latency-jobs', 200);
const dir = mkdtempSync(join(tmpdir(), 'cutroom-bench-workers-'));
const { db, close } = await openDatabase({ dataDir: dir });
const ctx = { tenantId: 'tbench', env: 'dev', requestId: 'bench' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;

async function waitDone(q: JobQueue, id: string): Promise<void> {
  for (;;) {
    const j = await q.get(ctx, id);
    if (j.state === 'completed') return;
    if (j.state === 'failed' || j.state === 'cancelled') throw new Error(`job ${id} ${j.state}`);
    await sleep(2);
  }
}

async function latency(make: (handlers: JobHandlers) => Promise<JobQueue>): Promise<number[]> {
  const startedAt = new Map<number, number>();
  const q = await make({
    noop: async (job) => {
      startedAt.set((job.params as { n: number }).n, performance.now());
      return null;
    },
  });
  await q.start();
  const out: number[] = [];
  const run = randomBytes(4).toString('hex');
  for (let n = 0; n < LATENCY_JOBS; n++) {
    const t0 = performance.now();
    const { job } = await q.submit(ctx, { kind: 'noop', params: { n, run } });
    await waitDone(q, job.id);
    out.push(startedAt.get(n)! - t0);
  }
  await q.close();
  return out.slice(10); // warm-up (connections, prepared statements, JIT)
}

const proxyJob: JobHandlers = {
  proxy: async (job, tools) => {
    const { n } = job.params as { n: number };
    await runFfmpeg({
      args: [
        ...['-f', 'lavfi', '-i', `testsrc2=s=320x240:r=30:d=2`],
        ...['-c:v', 'libx264', '-preset', 'ultrafast', '-threads', '1', '-pix_fmt', 'yuv420p'],
      ],
      output: join(dir, `proxy-${n}-${randomBytes(3).toString('hex')}.mp4`),
      signal: tools.signal,
      stage: 'encode',
    });
    return null;
  },
};

/** The same ffmpeg work without any queue, `parallel` at a time: what the machine itself allows. */
async function direct(parallel: number): Promise<number> {
  const t0 = performance.now();
  let next = 0;
  const signal = new AbortController().signal;
  const lane = async () => {
    for (let n = next++; n < JOBS; n = next++)
      await proxyJob.proxy!({ params: { n } } as never, { signal } as never);
  };
  await Promise.all(Array.from({ length: parallel }, lane));
  return (performance.now() - t0) / 1000;
}

async function throughput(workers: number): Promise<number> {
  const prefix = `bench-${randomBytes(4).toString('hex')}`;
  const api = await createBullmqQueue({
    connection: REDIS,
    prefix,
    db,
    handlers: {},
    submitKinds: ['proxy'],
    maxQueuedPerTenant: 1000,
  });
  const pool: BullmqQueue[] = [];
  for (let i = 0; i < workers; i++)
    pool.push(await createBullmqQueue({ connection: REDIS, prefix, db, handlers: proxyJob, concurrency: 1 }));
  const run = randomBytes(4).toString('hex');
  const t0 = performance.now();
  const ids: string[] = [];
  for (let n = 0; n < JOBS; n++)
    ids.push((await api.submit(ctx, { kind: 'proxy', params: { n, run } })).job.id);
  await Promise.all(pool.map((w) => w.start()));
  for (const id of ids) await waitDone(api, id);
  const seconds = (performance.now() - t0) / 1000;
  for (const w of pool) await w.close();
  await api.obliterate();
  await api.close();
  return seconds;
}

console.log(
  `cores: ${availableParallelism()}, load average: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
const bull = await latency((handlers) =>
  createBullmqQueue({
    connection: REDIS,
    prefix: `bench-${randomBytes(4).toString('hex')}`,
    db,
    handlers,
    concurrency: 1,
  }).then(async (q) => {
    const close0 = q.close;
    return {
      ...q,
      close: async () => {
        await close0();
        await q.obliterate();
      },
    };
  }),
);
const emb = await latency(async (handlers) => createEmbeddedQueue({ db, handlers, concurrency: 1 }));
for (const [name, xs] of [
  ['bullmq (redis loopback)', bull],
  ['embedded (baseline)', emb],
] as const)
  console.log(
    `submit→start ${name}: p50 ${pct(xs, 0.5).toFixed(2)} ms, p95 ${pct(xs, 0.95).toFixed(2)} ms, mean ${(xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(2)} ms over ${xs.length} jobs (target < 20 ms)`,
  );
const base = await throughput(1);
const directBase = await direct(1);
console.log(
  `throughput 1 worker:  ${JOBS} jobs in ${base.toFixed(2)} s = ${(JOBS / base).toFixed(2)} jobs/s (baseline); ` +
    `same ffmpeg work without a queue: ${directBase.toFixed(2)} s`,
);
for (const n of [2, 4]) {
  const s = await throughput(n);
  const d = await direct(n);
  console.log(
    `throughput ${n} workers: ${JOBS} jobs in ${s.toFixed(2)} s = ${(JOBS / s).toFixed(2)} jobs/s, speed-up ×${(base / s).toFixed(2)} vs 1 worker; ` +
      `without a queue, ${n} at a time: ${d.toFixed(2)} s (×${(directBase / d).toFixed(2)})`,
  );
}
await close();
rmSync(dir, { recursive: true, force: true });
