// Scale-out on one machine, with every shared service real: 3 `cutroom worker` processes (runWorker) on
// PostgreSQL + Redis/BullMQ + an S3 bucket (s3rver) render one chunked edit (6 chunks) fanned out as child
// jobs; one worker is SIGKILLed in the middle of a chunk. The render still completes exactly once, each chunk's
// segment is registered once, and the output matches a single-process render frame for frame.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBullmqQueue } from '../../src/jobs/bullmq-queue.js';
import type { JobEvent, JobRecord } from '../../src/jobs/job-queue.js';
import { createServices } from '../../src/media/services.js';
import { storeFromEnv } from '../../src/storage/store-from-env.js';
import { createPgSchema, postgresAvailable } from '../db/pg-schema.js';
import { renderReference, streamDurationsMs, videoFrameTimesMs } from '../jobs/render-fixtures.js';
import { REDIS_URL, redisAvailable, uniquePrefix } from './redis.js';
import { startFakeS3 } from './s3rver.js';

const WORKER = join(import.meta.dirname, 'fixtures', 'render-worker.ts');
const TOTAL_MS = 6000;
const children: ChildProcess[] = [];
const cleanups: Array<() => Promise<unknown>> = [];
after(async () => {
  for (const c of children)
    if (c.exitCode === null && c.signalCode === null && c.pid) {
      try {
        process.kill(-c.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  for (const fn of cleanups.reverse()) await fn().catch(() => undefined);
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function logLines(file: string): string[][] {
  return existsSync(file)
    ? readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split(' '))
    : [];
}

function startWorker(env: NodeJS.ProcessEnv, logFile: string) {
  // Own process group: the kill takes the worker's ffmpeg with it, as losing the machine would.
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER, logFile], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
    env,
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const done = new Promise<{ code: number | null; signal: string | null }>((r) =>
    child.on('close', (code, signal) => r({ code, signal })),
  );
  return { child, done, out: () => stdout, err: () => stderr };
}

const ready = (await postgresAvailable()) && (await redisAvailable());

test(
  '3 workers, one SIGKILLed mid-chunk: a 6-chunk render completes once and equals a single-process render',
  { skip: ready ? false : 'needs PostgreSQL and Redis' },
  async () => {
    const root = await mkdtemp(join(tmpdir(), 'cutroom-scale-'));
    cleanups.push(() => rm(root, { recursive: true, force: true }));
    const s3 = await startFakeS3();
    cleanups.push(() => s3.close());
    const pg = await createPgSchema();
    cleanups.push(() => pg.drop());
    const prefix = uniquePrefix();
    // The N-machine configuration of docs/DEPLOYMENT.md (each worker has its own data dir = local scratch).
    const sharedEnv = {
      CUTROOM_DATABASE_URL: pg.url,
      CUTROOM_REDIS_URL: REDIS_URL,
      CUTROOM_REDIS_PREFIX: prefix,
      CUTROOM_WORKER_CONCURRENCY: '1',
      ...s3.env,
    };

    // The "API machine": services on the same database and bucket, and an API-only queue (no handlers).
    const apiDir = join(root, 'api');
    const services = await createServices({
      dataDir: apiDir,
      databaseUrl: pg.url,
      store: await storeFromEnv(sharedEnv, apiDir),
    });
    cleanups.push(() => services.close());
    const api = await createBullmqQueue({
      connection: REDIS_URL,
      prefix,
      db: services.db,
      handlers: {},
      submitKinds: ['render'],
    });
    cleanups.push(async () => {
      await api.obliterate();
      await api.close();
    });
    const tenantId = 'tscale';
    await services.tenants.createTenant({ id: tenantId, envs: ['dev'] });
    const ctx = { tenantId, env: 'dev', requestId: 'req_scale' };

    const logFile = join(root, 'chunks.log');
    const workers = [0, 1, 2].map((i) =>
      startWorker({ ...process.env, ...sharedEnv, CUTROOM_DATA_DIR: join(root, `worker${i}`) }, logFile),
    );
    for (const w of workers)
      for (let i = 0; !w.out().includes('ready'); i++) {
        if (w.child.exitCode !== null) assert.fail(`worker exited early: ${w.err()}`);
        assert.ok(i < 1200, `worker never became ready: ${w.err()}`);
        await sleep(50);
      }

    const output = join(root, 'out', 'final.mp4');
    const { job } = await api.submit(ctx, {
      kind: 'render',
      params: { output, duration_ms: TOTAL_MS, chunk_ms: 1000, realtime: true },
    });
    const events: JobEvent[] = [];
    await api.subscribe(ctx, job.id, (e) => events.push(e));

    // Kill the worker of the first chunk in progress, half-way through that chunk (chunks take ~1 s each).
    let victim: { pid: string; chunk: string } | null = null;
    for (let i = 0; !victim; i++) {
      assert.ok(i < 2400, 'no chunk started');
      const lines = logLines(logFile);
      const started = lines.find((l) => l[0] === 'start');
      if (started) victim = { chunk: started[1]!, pid: started[2]! };
      else await sleep(25);
    }
    await sleep(400);
    const killed = workers.find((w) => String(w.child.pid) === victim.pid)!;
    assert.ok(
      !logLines(logFile).some((l) => l[0] === 'segment' && l[1] === victim.chunk),
      'the victim chunk was still in progress when killed',
    );
    process.kill(-killed.child.pid!, 'SIGKILL');
    assert.equal((await killed.done).signal, 'SIGKILL');

    let done: JobRecord | null = null;
    for (let i = 0; i < 2400; i++) {
      const j = await api.get(ctx, job.id);
      if (j.state === 'completed' || j.state === 'failed') {
        done = j;
        break;
      }
      await sleep(50);
    }
    const stderrTails = () => workers.map((w, i) => `worker ${i}: ${w.err().slice(-1500)}`).join('\n');
    assert.ok(done, `the render did not finish\n${stderrTails()}`);
    assert.equal(done.state, 'completed', `${JSON.stringify(done.error)}\n${stderrTails()}`);
    assert.equal(done.attempts, 1, 'the parent never ran on the killed worker long enough to need a retry');
    const result = done.result as { chunk_jobs: string[]; rendered_in_join: number[]; frame_count: number };
    assert.equal(result.chunk_jobs.length, 6);
    assert.deepEqual(result.rendered_in_join, [], 'every chunk was rendered by a chunk job');

    // The killed chunk's job was taken over by another worker (a second attempt, a different pid).
    const lines = logLines(logFile);
    const victimStarts = lines.filter((l) => l[0] === 'start' && l[1] === victim.chunk);
    assert.ok(victimStarts.length >= 2, `chunk ${victim.chunk} was not restarted`);
    assert.ok(victimStarts.slice(1).every((l) => l[2] !== victim.pid));
    const chunkJobs = await Promise.all(result.chunk_jobs.map((id) => api.get(ctx, id)));
    assert.ok(chunkJobs.every((c) => c.state === 'completed'));
    assert.ok(
      chunkJobs.some((c) => c.attempts === 2),
      'one chunk job needed a second attempt',
    );
    // Chunks really spread: at least two worker processes produced segments.
    const segmentLines = lines.filter((l) => l[0] === 'segment' && l[2] === 'false');
    assert.ok(new Set(segmentLines.map((l) => l[3])).size >= 2, 'segments came from one worker only');

    // Each chunk's segment registered exactly once (and one audio segment), in the bucket.
    const segs = await services.artifacts.listArtifacts(ctx, { kind: 'render_segment' });
    const video = segs.filter((s) => s.meta.stream === 'video').map((s) => s.meta.chunk_index as number);
    assert.deepEqual(
      [...video].sort((a, b) => a - b),
      [0, 1, 2, 3, 4, 5],
    );
    assert.equal(segs.filter((s) => s.meta.stream === 'audio').length, 1);
    assert.equal(services.store.kind, 's3');
    for (const s of segs)
      assert.ok(await services.store.exists(s.storage_key!), `segment ${s.id} not in the bucket`);

    // Progress was folded in from the chunks while the parent waited, and never went back.
    const progress = events.flatMap((e) => (e.type === 'progress' ? [e] : []));
    assert.ok(
      progress.some((e) => e.detail?.phase === 'children'),
      'no aggregated chunk progress',
    );
    const values = progress.map((e) => e.progress);
    assert.ok(
      values.every((v, i) => i === 0 || v >= values[i - 1]! - 1e-9),
      `progress went back: ${values}`,
    );

    // The output equals a single-process render: same frames, same stream durations.
    const reference = join(root, 'reference.mp4');
    await renderReference(TOTAL_MS, reference);
    const [times, refTimes] = [await videoFrameTimesMs(output), await videoFrameTimesMs(reference)];
    assert.equal(times.length, 180);
    assert.deepEqual(times, refTimes);
    const [d, dr] = [await streamDurationsMs(output), await streamDurationsMs(reference)];
    assert.equal(d.video, dr.video);
    assert.equal(d.audio, dr.audio);

    // The surviving workers stop cleanly on SIGTERM.
    for (const w of workers.filter((x) => x !== killed)) process.kill(w.child.pid!, 'SIGTERM');
    for (const w of workers.filter((x) => x !== killed)) assert.equal((await w.done).code, 0, w.err());
  },
);
