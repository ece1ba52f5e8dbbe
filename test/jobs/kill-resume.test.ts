// Crash recovery on real processes: a worker rendering a chunked job is SIGKILLed mid-render; a second worker on
// the same data dir re-queues the job, renders only the chunks without a durable segment, and the result equals
// an unchunked render.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEmbeddedQueue } from '../../src/jobs/embedded-queue.js';
import { deriveJobId } from '../../src/jobs/job-id.js';
import { createServices } from '../../src/media/services.js';
import { renderReference, streamDurationsMs, videoFrameTimesMs } from './render-fixtures.js';

const WORKER = resolve(dirname(fileURLToPath(import.meta.url)), 'fixtures/worker.ts');
const TOTAL_MS = 3000;
const children: ChildProcess[] = [];
const dirs: string[] = [];
after(async () => {
  for (const c of children)
    if (c.exitCode === null && c.signalCode === null && c.pid) process.kill(-c.pid, 'SIGKILL');
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

function startWorker(args: string[]): {
  child: ChildProcess;
  done: Promise<{ code: number | null; stdout: string; stderr: string }>;
} {
  // Own process group, so the kill takes the worker's ffmpeg with it (as losing the machine or container would).
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((r) =>
    child.on('close', (code) => r({ code, stdout, stderr })),
  );
  return { child, done };
}

function logLines(file: string): string[][] {
  return existsSync(file)
    ? readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split(' '))
    : [];
}

test('SIGKILL mid-render: the next worker resumes and re-renders only the missing chunks', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'cutroom-kill-'));
  dirs.push(dataDir);
  const logFile = join(dataDir, 'renders.log');
  const output = join(dataDir, 'out', 'final.mp4');
  const tenantId = 'tkill';
  const params = { output, duration_ms: TOTAL_MS, chunk_ms: 500 }; // 6 chunks of 15 frames, ~0.5 s each in real time

  // --- first worker: killed once two segments are durable -------------------------------------------------------
  const first = startWorker([dataDir, logFile, tenantId, JSON.stringify(params)]);
  for (let i = 0; ; i++) {
    if (logLines(logFile).filter((l) => l[0] === 'segment').length >= 2) break;
    if (first.child.exitCode !== null) assert.fail(`worker 1 exited early: ${(await first.done).stderr}`);
    assert.ok(i < 1200, 'worker 1 made no progress');
    await new Promise((r) => setTimeout(r, 50));
  }
  process.kill(-first.child.pid!, 'SIGKILL');
  const firstExit = await first.done;
  assert.equal(firstExit.code, null, 'worker 1 was killed, it did not finish');
  const firstPid = String(first.child.pid);

  // What survived the crash: the job row (still "running", owned by a dead pid) and the registered segments.
  const ctx = { tenantId, env: 'dev', requestId: 'req_test' };
  const jobId = deriveJobId({ ctx, kind: 'render', key: params });
  let durable: number[];
  {
    const services = await createServices({ dataDir });
    const queue = createEmbeddedQueue({ db: services.db, handlers: { render: async () => null } });
    const job = await queue.get(ctx, jobId);
    assert.equal(job.state, 'running');
    assert.equal(job.attempts, 1);
    const segs = await services.artifacts.listArtifacts(ctx, { kind: 'render_segment' });
    durable = segs
      .filter((s) => s.meta.stream === 'video')
      .map((s) => s.meta.chunk_index as number)
      .sort((a, b) => a - b);
    await queue.close();
    await services.close();
  }
  assert.ok(
    durable.length >= 2 && durable.length < 6,
    `durable segments after the kill: ${durable.join(',')}`,
  );
  assert.equal(existsSync(output), false, 'no final output from the killed worker');

  // --- second worker: recovers the job and finishes it ------------------------------------------------------------
  const second = startWorker([dataDir, logFile, tenantId, jobId]);
  const secondExit = await second.done;
  assert.equal(secondExit.code, 0, secondExit.stderr);
  const job = JSON.parse(secondExit.stdout.trim().split('\n').pop()!) as {
    error: unknown;
    state: string;
    attempts: number;
    result: { rendered_chunks: number[]; reused_chunks: number[]; frame_count: number };
  };
  assert.equal(job.state, 'completed', JSON.stringify(job.error));
  assert.equal(job.attempts, 2);
  const secondPid = String(second.child.pid);
  const all = [0, 1, 2, 3, 4, 5];
  const missing = all.filter((i) => !durable.includes(i));
  const renderedBySecond = logLines(logFile)
    .filter((l) => l[0] === 'start' && l[2] === secondPid)
    .map((l) => Number(l[1]))
    .sort((a, b) => a - b);
  assert.deepEqual(
    renderedBySecond,
    missing,
    'worker 2 rendered exactly the chunks without a durable segment',
  );
  assert.deepEqual(job.result.reused_chunks, durable);
  assert.deepEqual(job.result.rendered_chunks, missing);
  assert.ok(logLines(logFile).some((l) => l[2] === firstPid));

  // --- the output equals an unchunked render ---------------------------------------------------------------------
  const reference = join(dataDir, 'reference.mp4');
  await renderReference(TOTAL_MS, reference);
  const [times, refTimes] = [await videoFrameTimesMs(output), await videoFrameTimesMs(reference)];
  assert.equal(times.length, refTimes.length);
  assert.equal(times.length, 90);
  const [d, dr] = [await streamDurationsMs(output), await streamDurationsMs(reference)];
  assert.equal(d.video, dr.video);
  assert.equal(d.audio, dr.audio);
});
