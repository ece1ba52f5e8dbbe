// The queue and the chunked runner together on real ffmpeg: a render job reports progress, and cancelling it
// through the queue kills ffmpeg, removes partial output and scratch files, and leaves the job cancelled.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runFfmpeg } from '../../src/ffmpeg/run.js';
import { planChunks } from '../../src/jobs/chunking.js';
import { runChunkedRender } from '../../src/jobs/chunked-render.js';
import { createEmbeddedQueue } from '../../src/jobs/embedded-queue.js';
import type { JobHandler } from '../../src/jobs/job-queue.js';
import { childPids, procAvailable, waitNoChildren } from '../helpers/process-tree.js';
import { makeServices } from '../media/setup.js';
import { FPS, renderTestAudio, renderTestChunk, videoFrameTimesMs } from './render-fixtures.js';

interface Params {
  output: string;
  duration_ms: number;
  realtime: boolean;
}

test('render jobs through the embedded queue: completion with progress, and cancel mid-chunk', async (t) => {
  const services = await makeServices();
  const dir = await mkdtemp(join(tmpdir(), 'cutroom-qrender-'));
  let queue: ReturnType<typeof createEmbeddedQueue> | null = null;
  t.after(async () => {
    await queue?.close();
    await services.dispose();
    await rm(dir, { recursive: true, force: true });
  });
  const workRoot = join(dir, 'work');
  const render: JobHandler<Params, unknown> = async (job, tools) => {
    const fps = { num: FPS, den: 1 };
    const chunks = planChunks({ durationMs: job.params.duration_ms, fps, targetChunkMs: 1000 });
    const r = await runChunkedRender({
      ctx: tools.ctx,
      artifacts: services.artifacts,
      renderKey: { plan_hash: `q-${job.id}`, profile: 'test' },
      chunks,
      fps,
      output: job.params.output,
      workRoot,
      renderVideoChunk: renderTestChunk(job.params.duration_ms, { realtime: job.params.realtime }),
      renderAudio: renderTestAudio(job.params.duration_ms),
      runFfmpeg,
      signal: tools.signal,
      jobId: job.id,
      onProgress: (f, detail) => tools.reportProgress(f, detail),
    });
    return { frame_count: r.frame_count, rendered_chunks: r.rendered_chunks };
  };
  queue = createEmbeddedQueue({
    db: services.db,
    concurrency: 1,
    handlers: { render: render as JobHandler<never, unknown> },
  });
  const ctx = await services.tenant();
  await queue.start();

  // A normal job completes with the runner's result and a rising progress stream.
  const okOut = join(dir, 'out', 'ok.mp4');
  const { job: ok } = await queue.submit(ctx, {
    kind: 'render',
    params: { output: okOut, duration_ms: 2000, realtime: false },
  });
  const seen: number[] = [];
  const finished = new Promise<void>((resolve) => {
    void queue.subscribe(ctx, ok.id, (e) => {
      if (e.type === 'progress') seen.push(e.progress);
      if (e.type === 'state' && e.job.state === 'completed') resolve();
    });
  });
  await finished;
  const done = await queue.get(ctx, ok.id);
  assert.deepEqual(done.result, { frame_count: 60, rendered_chunks: [0, 1] });
  assert.equal((await videoFrameTimesMs(okOut)).length, 60);
  assert.ok(seen.length >= 3 && seen.at(-1) === 1);

  // A real-time paced job is cancelled while its first chunk's ffmpeg runs.
  const cancelOut = join(dir, 'out', 'cancel.mp4');
  const { job } = await queue.submit(ctx, {
    kind: 'render',
    params: { output: cancelOut, duration_ms: 3000, realtime: true },
  });
  await new Promise<void>((resolve) => {
    void queue.subscribe(ctx, job.id, (e) => {
      if (e.type === 'progress' && e.progress > 0) resolve();
    });
  });
  if (procAvailable()) assert.ok(childPids('ffmpeg').length > 0, 'ffmpeg is running');
  const t0 = performance.now();
  const cancelled = await queue.cancel(ctx, job.id);
  const cancelMs = performance.now() - t0;
  t.diagnostic(`cancel returned after ${Math.round(cancelMs)} ms (handler settled, ffmpeg killed)`);
  assert.equal(cancelled.state, 'cancelled');
  if (procAvailable()) assert.deepEqual(await waitNoChildren('ffmpeg'), []);
  assert.equal(existsSync(cancelOut), false);
  assert.deepEqual((await readdir(join(dir, 'out'))).sort(), ['ok.mp4'], 'no partial output left');
  assert.deepEqual(await readdir(workRoot), [], 'no scratch left');
  const segs = await services.artifacts.listArtifacts(ctx, { kind: 'render_segment' });
  assert.ok(
    segs.every((s) => s.meta.job_id === ok.id),
    'the cancelled job registered no segment',
  );
  assert.equal((await queue.get(ctx, job.id)).state, 'cancelled');
});
